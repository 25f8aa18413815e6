"""Curated places, residents' quiet zones and the walking graph: what operators manage for guidance."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shapely.geometry import Point, Polygon

from freiweg.domain.areas import Area
from freiweg.domain.errors import FieldProblem, InvalidInput, NotFound
from freiweg.domain.sensors import ID_PATTERN
from freiweg.guidance.graph import WalkingGraph, graph_from_document
from freiweg.guidance.osm import read_osm
from freiweg.guidance.places import Place, PlaceCategory, parse_opening_hours
from freiweg.services.areas import area_facts
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.storage.guidance_repository import GuidanceRepository
from freiweg.storage.unit_of_work import Database


def parse_place(data: Mapping[str, Any], *, known_areas: set[str]) -> Place:
    """A place from submitted fields, or InvalidInput naming every field to fix."""
    problems: list[FieldProblem] = []

    def bad(name: str, message: str) -> None:
        problems.append(FieldProblem(None, name, message))

    place_id = data.get("id")
    if not isinstance(place_id, str) or not ID_PATTERN.match(place_id):
        bad("id", "needs a lower-case id of letters, digits, '-' or '_'")
    for key in ("name_de", "name_en"):
        if not isinstance(data.get(key), str) or not str(data.get(key)).strip():
            bad(key, "is missing; every place needs a German and an English name")
    category = data.get("category")
    if category not in {c.value for c in PlaceCategory}:
        bad("category", f"must be one of {', '.join(c.value for c in PlaceCategory)}")
    if data.get("area_id") not in known_areas:
        bad("area_id", f"unknown area {data.get('area_id')!r}; list areas with `freiweg area list`")
    coordinates = []
    for key, low, high in (("lon", -180, 180), ("lat", -90, 90)):
        try:
            value = float(data.get(key))  # type: ignore[arg-type]
            if not low <= value <= high:
                raise ValueError
            coordinates.append(value)
        except (TypeError, ValueError):
            bad(key, f"must be a number between {low} and {high}")
    numbers = {}
    for key, default, high in (("capacity", 60, 10_000), ("visit_minutes", 45, 480)):
        raw = data.get(key, default)
        if (
            isinstance(raw, bool)
            or not isinstance(raw, int | str)
            or not str(raw).isdigit()
            or not 1 <= int(raw) <= high
        ):
            bad(key, f"must be a whole number from 1 to {high}")
        else:
            numbers[key] = int(raw)
    hours = None
    try:
        hours = parse_opening_hours(str(data.get("opening_hours") or ""))
    except InvalidInput as error:
        problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems, title="The place was not saved; nothing was changed.")
    assert hours is not None
    return Place(
        id=str(place_id),
        name_de=str(data["name_de"]).strip(),
        name_en=str(data["name_en"]).strip(),
        category=PlaceCategory(str(category)),
        area_id=str(data["area_id"]),
        lon=coordinates[0],
        lat=coordinates[1],
        opening_hours=hours,
        capacity=numbers["capacity"],
        visit_minutes=numbers["visit_minutes"],
    )


class PlaceService:
    """Adding and listing places, marking quiet zones and importing the walking graph."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def save_place(self, data: Mapping[str, Any]) -> bool:
        """Validate and store a place (new or changed); True when it was new."""
        with self._database.unit_of_work() as uow:
            place = parse_place(data, known_areas={a.id for a in uow.areas.all()})
            created = GuidanceRepository(uow.connection).save_place(place, now=epoch(self._clock()))
            uow.revision.bump()
            uow.commit()
        return created

    def remove_place(self, place_id: str) -> None:
        """Delete a place; NotFound if there is none."""
        with self._database.unit_of_work() as uow:
            if not GuidanceRepository(uow.connection).remove_place(place_id):
                raise NotFound(f"no place {place_id!r}")
            uow.revision.bump()
            uow.commit()

    def places(self) -> list[Place]:
        """Every place."""
        with self._database.reading() as reader:
            return GuidanceRepository(reader.connection).all_places()

    def set_quiet_zone(self, area_id: str, quiet: bool) -> None:
        """Mark or unmark an area as a residents' quiet zone; logged like every area change."""
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            area = uow.areas.get(area_id)
            if area is None:
                raise NotFound(f"no area {area_id!r}")
            if area.quiet_zone == quiet:
                return
            changed = dataclasses.replace(area, quiet_zone=quiet)
            uow.areas.save(changed, now=now)
            record_change(
                uow, kind="area.changed", subject=f"area:{area_id}", body=area_facts(changed), now=now
            )
            uow.revision.bump()
            uow.commit()

    def import_graph(self, document: Mapping[str, Any]) -> WalkingGraph:
        """Replace the walking graph with a document's, or change nothing if it is invalid."""
        graph = graph_from_document(document)
        with self._database.unit_of_work() as uow:
            GuidanceRepository(uow.connection).replace_graph(graph)
            uow.revision.bump()
            uow.commit()
        return graph

    def graph(self) -> WalkingGraph | None:
        """The stored walking graph, if any."""
        with self._database.reading() as reader:
            return GuidanceRepository(reader.connection).graph()


def import_osm_file(service: PlaceService, path: Path, areas: list[Area]) -> WalkingGraph:
    """Build a walking graph from an OSM XML extract, tag footways with their areas, store it."""
    outlines = [(a.id, Polygon(a.rings[0], a.rings[1:])) for a in areas]

    def area_at(lon: float, lat: float) -> str | None:
        point = Point(lon, lat)
        return next((area_id for area_id, outline in outlines if outline.covers(point)), None)

    graph = read_osm(path, area_at=area_at)
    return service.import_graph(graph.as_document())
