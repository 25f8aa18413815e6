"""`freiweg place ...`, `freiweg graph import` and `freiweg area quiet-zone`: guidance for operators."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from freiweg.command_support import fail as _fail
from freiweg.command_support import opened as _opened
from freiweg.command_support import report_invalid
from freiweg.domain.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    pass

place_app = typer.Typer(help="Places: sights, museums and viewpoints for guidance.", no_args_is_help=True)
graph_app = typer.Typer(help="The walking graph that routes are found on.", no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


def _invalid(error: InvalidInput) -> NoReturn:
    report_invalid(error, item="item")


@place_app.command("add")
def place_add(
    place_id: Annotated[str, typer.Argument(metavar="ID", help="Lower-case id, e.g. bamberger-dom.")],
    name_de: Annotated[str, typer.Option("--name-de", help="German name.")],
    name_en: Annotated[str, typer.Option("--name-en", help="English name.")],
    category: Annotated[str, typer.Option(help="sight, church, museum, viewpoint, garden or inn.")],
    area: Annotated[str, typer.Option(help="Id of the area the place lies in.")],
    lon: Annotated[float, typer.Option(help="Longitude (WGS 84).")],
    lat: Annotated[float, typer.Option(help="Latitude (WGS 84).")],
    opening_hours: Annotated[
        str, typer.Option("--opening-hours", help="e.g. 'Mo-Fr 10:00-17:00; Sa,Su 10:00-18:00'.")
    ],
    capacity: Annotated[int, typer.Option(help="Visitors one slot takes.")] = 60,
    visit_minutes: Annotated[int, typer.Option("--visit-minutes", help="Length of a visit.")] = 45,
) -> None:
    """Create or change a place."""
    data = {
        "id": place_id, "name_de": name_de, "name_en": name_en, "category": category, "area_id": area,
        "lon": lon, "lat": lat, "opening_hours": opening_hours, "capacity": capacity,
        "visit_minutes": visit_minutes,
    }  # fmt: skip
    try:
        with _opened() as built:
            created = built.guidance.places.save_place(data)
    except InvalidInput as error:
        _invalid(error)
    typer.echo(f"place {place_id} {'created' if created else 'changed'}")


@place_app.command("list")
def place_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the places."""
    with _opened() as built:
        found = built.guidance.places.places()
    if as_json:
        from freiweg.services.guidance import place_facts

        typer.echo(json.dumps([place_facts(p) for p in found], ensure_ascii=False))
        return
    for p in found:
        typer.echo(f"{p.id:24} {p.category.value:10} {p.area_id:18} {p.opening_hours.text:34} {p.name_de}")


@place_app.command("remove")
def place_remove(place_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Delete a place."""
    try:
        with _opened() as built:
            built.guidance.places.remove_place(place_id)
    except NotFound as error:
        _fail(str(error))
    typer.echo(f"place {place_id} removed")


@graph_app.command("import")
def graph_import(path: FileArgument) -> None:
    """Replace the walking graph: an OpenStreetMap XML extract (.osm) or a freiweg graph (.json)."""
    try:
        with _opened() as built:
            if path.suffix.lower() == ".json":
                try:
                    document = json.loads(path.read_text(encoding="utf-8"))
                except (json.JSONDecodeError, UnicodeDecodeError) as error:
                    _fail(f"{path} is not valid JSON: {error}")
                graph = built.guidance.places.import_graph(document)
            else:
                from freiweg.services.places import import_osm_file

                graph = import_osm_file(built.guidance.places, path, built.areas.list_areas())
    except InvalidInput as error:
        _invalid(error)
    tagged = sum(1 for w in graph.footways if w.area_id)
    typer.echo(
        f"walking graph stored: {len(graph.junctions)} junctions, {len(graph)} footways ({tagged} in areas)"
    )


def area_quiet_zone(
    area_id: Annotated[str, typer.Argument(metavar="ID")],
    off: Annotated[bool, typer.Option("--off", help="Lift the quiet zone.")] = False,
) -> None:
    """Mark an area as a residents' quiet zone: routes and suggestions never use it."""
    try:
        with _opened() as built:
            built.guidance.places.set_quiet_zone(area_id, not off)
    except NotFound as error:
        _fail(f"{error}; list areas with `freiweg area list`")
    typer.echo(f"area {area_id} is {'no longer ' if off else ''}a quiet zone")


def register(app: typer.Typer, area_app: typer.Typer) -> None:
    """Add the guidance commands to the `freiweg` command."""
    app.add_typer(place_app, name="place")
    app.add_typer(graph_app, name="graph")
    area_app.command("quiet-zone")(area_quiet_zone)
