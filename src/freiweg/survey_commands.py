"""`freiweg survey ...`: list the survey's items, add one, print the monthly results."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from freiweg.command_support import opened as _opened
from freiweg.command_support import report_invalid
from freiweg.domain.errors import InvalidInput

if TYPE_CHECKING:
    pass

survey_app = typer.Typer(
    help="The standing survey on understanding, trust and acceptance.", no_args_is_help=True
)


def _invalid(error: InvalidInput) -> NoReturn:
    report_invalid(error, item="option", first=1)


@survey_app.command("items")
def survey_items(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the items (shipped and added) with how many responses answered each."""
    with _opened() as built:
        counts = built.survey.counts()
    if as_json:
        typer.echo(json.dumps(counts["items"], ensure_ascii=False, indent=2))
        return
    for item in counts["items"]:
        typer.echo(f"{item['id']:<28} {item['kind']:<14} {item['responses']:>6}  {item['text']['de']}")
    typer.echo(f"{counts['responses']} responses, {counts['checks']} sensor-page checks")


@survey_app.command("add-item")
def survey_add_item(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Lower-case id, e.g. trust-data-safe.")],
    kind: Annotated[str, typer.Option(help="understanding, trust or acceptance.")],
    text_de: Annotated[str, typer.Option("--text-de", help="The question or statement in German.")],
    text_en: Annotated[str, typer.Option("--text-en", help="The question or statement in English.")],
    option: Annotated[
        list[str] | None,
        typer.Option(help="For understanding: an option as 'German | English'; repeat 2 to 6 times."),
    ] = None,
    correct: Annotated[
        int | None, typer.Option(help="For understanding: the number of the right option (1, 2, ...).")
    ] = None,
) -> None:
    """Add an item to the survey; the addition is written to the public log."""
    options = []
    for index, text in enumerate(option or []):
        de, bar, en = text.partition("|")
        if not bar:
            typer.secho(f"error: option {index + 1}: write it as 'German | English'", err=True, fg="red")
            raise typer.Exit(1)
        options.append((de.strip(), en.strip()))
    try:
        with _opened() as built:
            built.survey.add_item(
                item_id=item_id, kind=kind, text_de=text_de, text_en=text_en, options=options, correct=correct
            )
    except InvalidInput as error:
        _invalid(error)
    typer.echo(f"survey item {item_id} added")


def _figure(value: dict[str, Any]) -> str:
    if value.get("open"):
        return "month still open"
    if not value["published"]:
        return "n < 10"
    return f"{value['value']:.1f} ({value['low']:.1f}-{value['high']:.1f}, n={value['answers']})"


@survey_app.command("results")
def survey_results(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Monthly figures as published on /trust: only ended months, none with fewer than 10 answers."""
    with _opened() as built:
        data = built.survey.dashboard()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not data["months"]:
        typer.echo("no answers yet")
    for month in data["months"]:
        figures = "  ".join(
            f"{kind} {_figure(month[kind])}" for kind in ("understanding", "trust", "acceptance", "page_help")
        )
        typer.echo(f"{month['month']}  {figures}")
    for check in data["checks"]:
        typer.echo(
            f"{check['month']}  sensor-page check: right {_figure(check['correct'])}"
            f"  helped {_figure(check['helped'])}"
        )


def register(app: typer.Typer) -> None:
    """Add the survey commands to the freiweg command."""
    app.add_typer(survey_app, name="survey")
