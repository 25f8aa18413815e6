"""`freiweg forecast refresh|backtest|show` and `freiweg event add|list|remove`."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from freiweg.command_support import fail as _fail
from freiweg.command_support import opened as _opened
from freiweg.domain.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from freiweg.services.forecasts import ForecastService
    from freiweg.services.registry import Services

forecast_app = typer.Typer(help="Forecasts for the next 48 hours and their backtest.", no_args_is_help=True)
event_app = typer.Typer(help="The events calendar: festivals, markets, matches.", no_args_is_help=True)
DATASETS = ("akl",)


def _forecasts(built: Services) -> ForecastService:
    service = built.forecasts
    if service is None:
        _fail("forecasts need the forecast extra: pip install 'freiweg[forecast]'")
    return service


@forecast_app.command("refresh")
def forecast_refresh() -> None:
    """Forecast every area and every sensor with data for the next 48 hours and store the forecasts."""
    with _opened() as built:
        result = _forecasts(built).refresh()
    models = ", ".join(f"{count} by {version}" for version, count in sorted(result.models.items())) or "none"
    typer.echo(f"forecast {result.areas} areas ({models}) and {result.sensors} sensors")


@forecast_app.command("show")
def forecast_show(
    area_id: Annotated[str, typer.Argument(metavar="AREA")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print an area's forecast: hourly values, 80% interval and the reasons."""
    with _opened() as built:
        if area_id not in {a.id for a in built.areas.list_areas()}:
            _fail(f"area {area_id!r} does not exist; `freiweg area list` shows the areas")
        forecast = _forecasts(built).for_area(area_id)
    if forecast is None:
        _fail(f"area {area_id!r} has no measurements yet, so there is nothing to forecast from")
    if as_json:
        typer.echo(json.dumps(forecast, indent=2, ensure_ascii=False))
        return
    typer.echo(f"{area_id}: {forecast['model']} ({forecast['model_version']}), made {forecast['made_at']}")
    for hour in forecast["hours"]:
        reasons = "; ".join(hour["reasons"])
        typer.echo(
            f"  {hour['start']}  {hour['value']:8.1f}  [{hour['low']:.1f} - {hour['high']:.1f}]  {reasons}"
        )


@forecast_app.command("backtest")
def forecast_backtest(
    start: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="First day of the window.")],
    end: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="Last day of the window.")],
    dataset: Annotated[str, typer.Option(help="Real counts to test on: akl (Auckland, 21 sensors).")] = "akl",
    refit_weeks: Annotated[int, typer.Option(min=1, help="Refit the model every this many weeks.")] = 8,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """Rolling-origin backtest of the product model against seasonal naive and the weekly profile."""
    if dataset not in DATASETS:
        _fail(f"unknown dataset {dataset!r}; use one of: {', '.join(DATASETS)}")
    if end < start:
        _fail("--end must not be before --start")
    from freiweg.forecasting import akl
    from freiweg.forecasting.backtest import run_backtest

    frame = akl.load_counts()
    progress = None if as_json else (lambda text: typer.echo(text, err=True))
    try:
        result = run_backtest(
            frame,
            akl.CALENDAR,
            start=date(start.year, start.month, start.day),
            end=date(end.year, end.month, end.day),
            refit_weeks=refit_weeks,
            progress=progress,
        )
    except ValueError as error:
        _fail(f"{error} (the data covers {frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d})")
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
        return
    typer.echo(
        f"{result.origins} origins, {result.series} sensors, {result.refits} refits, {result.model_version}"
    )
    typer.echo(f"{'task':<14} {'model':<15} {'MAE':>8} {'MASE':>7} {'WAPE':>7} {'cov80':>6} {'hours':>7}")
    for row in result.table:
        coverage = "" if row["coverage_80"] is None else f"{row['coverage_80']:.3f}"
        typer.echo(
            f"{row['task']:<14} {row['model']:<15} {row['mae']:>8} {row['mase']:>7} {row['wape']:>7} "
            f"{coverage:>6} {row['hours']:>7}"
        )


@event_app.command("add")
def event_add(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    start: Annotated[datetime, typer.Option(help="Start, local time unless an offset is given.")],
    end: Annotated[datetime, typer.Option(help="End, local time unless an offset is given.")],
    areas: Annotated[str, typer.Option(help="Comma-separated area ids; empty means every area.")] = "",
    effect: Annotated[
        float | None, typer.Option(help="Expected factor on the usual level (1.5 = 50% busier).")
    ] = None,
) -> None:
    """Add an event to the calendar; forecasts reflect it and the log records it."""
    from freiweg.services.events import EventInput, parse_areas

    with _opened() as built:
        try:
            added = built.events.add(EventInput(name, start, end, parse_areas(areas), effect))
        except InvalidInput as error:
            typer.secho(f"error: {error.title}", err=True, fg=typer.colors.RED)
            for p in error.problems:
                typer.echo(f"  {p.field}: {p.message}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"added event {added['id']}: {added['name']} {added['start']} - {added['end']}")


@event_app.command("list")
def event_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every event, earliest first."""
    with _opened() as built:
        listed = built.events.list()
    if as_json:
        typer.echo(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    for e in listed:
        where = ", ".join(e["areas"]) or "all areas"
        effect = "" if e["expected_effect"] is None else f" x{e['expected_effect']}"
        typer.echo(f"{e['id']:>4}  {e['start']} - {e['end']}  {e['name']} ({where}){effect}")


@event_app.command("remove")
def event_remove(event_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Remove an event from the calendar (the removal is logged)."""
    with _opened() as built:
        try:
            removed = built.events.remove(event_id)
        except NotFound as error:
            _fail(f"{error}; `freiweg event list` shows the events")
    typer.echo(f"removed event {removed['id']}: {removed['name']}")


def register(app: typer.Typer) -> None:
    """Add the forecast and event commands to the freiweg command."""
    app.add_typer(forecast_app, name="forecast")
    app.add_typer(event_app, name="event")
