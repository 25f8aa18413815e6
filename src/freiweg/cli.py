"""The `freiweg` command: serve, demo, db, area and sensor administration."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from freiweg.domain.errors import Conflict, InvalidInput, NotFound
from freiweg.domain.sensors import Location

if TYPE_CHECKING:
    from freiweg.services.registry import Services

# Server modules are imported inside the commands that need them, so that a sensor box with only
# the base install (`pip install freiweg[edge]`) can run `freiweg edge ...`.

app = typer.Typer(
    help="freiweg: anonymous, verifiable crowd counting and guidance for old towns.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
area_app = typer.Typer(help="Areas: the streets and squares freiweg reports on.", no_args_is_help=True)
sensor_app = typer.Typer(help="Sensors: register, rotate tokens, revoke, calibrate.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(area_app, name="area")
app.add_typer(sensor_app, name="sensor")


def fail(message: str) -> NoReturn:
    """Print what to fix and exit with status 1."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


@contextmanager
def opened() -> Iterator[Services]:
    """Services on the configured database, migrated to the newest schema, closed afterwards."""
    from freiweg.bootstrap import build_services
    from freiweg.settings import Settings

    built = build_services(Settings())
    try:
        yield built
    finally:
        built.database.dispose()


def report_invalid(error: InvalidInput) -> NoReturn:
    """Print every problem of an invalid input, one per line, and exit."""
    typer.secho(f"error: {error.title}", err=True, fg=typer.colors.RED)
    for p in error.problems:
        where = f"feature {p.index}: " if p.index is not None else ""
        typer.echo(f"  {where}{p.field}: {p.message}", err=True)
    raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (FREIWEG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (FREIWEG_PORT).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Run the web server: pages, JSON API and sensor intake."""
    import uvicorn

    from freiweg.settings import Settings, UnsafeSettings
    from freiweg.storage import migrate
    from freiweg.storage.unit_of_work import Database

    settings = Settings()
    try:
        settings.refuse_default_secrets()
    except UnsafeSettings as error:
        fail(str(error))
    database = Database.from_url(settings.database_url)
    migrate.upgrade(database)
    database.dispose()
    uvicorn.run(
        "freiweg.bootstrap:app_from_environment",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level,
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the newest version."""
    from freiweg.settings import Settings
    from freiweg.storage import migrate
    from freiweg.storage.unit_of_work import Database

    settings = Settings()
    database = Database.from_url(settings.database_url)
    migrate.upgrade(database)
    database.dispose()
    typer.echo(f"database is at the newest schema: {database.engine.url.render_as_string()}")


@area_app.command("import")
def area_import(
    path: Annotated[
        Path,
        typer.Argument(
            help="A GeoJSON FeatureCollection of areas.", exists=True, dir_okay=False, readable=True
        ),
    ],
) -> None:
    """Create or update areas from a GeoJSON file; all of them or, on any error, none."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        fail(f"{path} is not valid JSON: {error}")
    try:
        with opened() as built:
            result = built.areas.import_areas(document)
    except InvalidInput as error:
        report_invalid(error)
    typer.echo(f"{result.created} area(s) created, {result.changed} changed")


@area_app.command("list")
def area_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the areas."""
    with opened() as built:
        found = built.areas.list_areas()
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": a.id,
                        "name_de": a.name_de,
                        "name_en": a.name_en,
                        "category": a.category.value,
                        "walkable_m2": a.walkable_m2,
                    }
                    for a in found
                ],
                ensure_ascii=False,
            )
        )
        return
    for a in found:
        typer.echo(f"{a.id:24} {a.category.value:10} {a.walkable_m2:9.0f} m2  {a.name_de}")


@sensor_app.command("add")
def sensor_add(
    sensor_id: Annotated[str, typer.Argument(metavar="ID", help="New sensor id, e.g. domplatz-1.")],
    area: Annotated[str, typer.Option(help="Id of the area the sensor counts in.")],
    kind: Annotated[str, typer.Option(help="wifi, paxcounter, passage, camera or manual.")],
    interval: Annotated[int | None, typer.Option(help="Expected seconds between counts.")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude of the box.")] = None,
    lat: Annotated[float | None, typer.Option(help="Latitude of the box.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"id": ..., "token": ...}.')] = False,
) -> None:
    """Register a sensor and print its token once; freiweg keeps only a hash of it."""
    if (lon is None) != (lat is None):
        fail("give both --lon and --lat, or neither")
    location = Location(lon, lat) if lon is not None and lat is not None else None
    try:
        with opened() as built:
            issued = built.sensors.add(
                sensor_id, area_id=area, kind=kind, location=location, interval_seconds=interval
            )
    except InvalidInput as error:
        report_invalid(error)
    except (NotFound, Conflict) as error:
        fail(str(error))
    print_token(issued.id, issued.token, as_json=as_json)


def print_token(sensor_id: str, token: str, *, as_json: bool) -> None:
    """Show a token once, with a reminder that it cannot be shown again."""
    if as_json:
        typer.echo(json.dumps({"id": sensor_id, "token": token}))
        return
    typer.echo(f"sensor {sensor_id}")
    typer.echo(f"token  {token}")
    typer.echo(
        "Store this token on the sensor now; freiweg keeps only its hash and cannot show it again.",
        err=True,
    )


@sensor_app.command("rotate-token")
def sensor_rotate_token(
    sensor_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Issue a new token; the old one stops working at once."""
    try:
        with opened() as built:
            issued = built.sensors.rotate_token(sensor_id)
    except (NotFound, Conflict) as error:
        fail(str(error))
    print_token(issued.id, issued.token, as_json=as_json)


@sensor_app.command("revoke")
def sensor_revoke(sensor_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Revoke a sensor: its token stops working and its area no longer uses it."""
    try:
        with opened() as built:
            built.sensors.revoke(sensor_id)
    except (NotFound, Conflict) as error:
        fail(str(error))
    typer.echo(f"sensor {sensor_id} revoked")


@sensor_app.command("list")
def sensor_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the sensors."""
    with opened() as built:
        found = built.sensors.list_sensors()
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": s.id,
                        "kind": s.kind.value,
                        "area": s.area_id,
                        "status": s.status.value,
                        "interval_seconds": s.interval_seconds,
                    }
                    for s in found
                ]
            )
        )
        return
    for s in found:
        typer.echo(f"{s.id:24} {s.kind.value:11} {s.status.value:8} {s.area_id}")


@sensor_app.command("calibrate")
def sensor_calibrate(
    sensor_id: Annotated[str, typer.Argument(metavar="ID")],
    factor: Annotated[float, typer.Option(help="People per counted device.")],
    low: Annotated[float, typer.Option(help="Lower bound of the factor's 80 % interval.")],
    high: Annotated[float, typer.Option(help="Upper bound of the factor's 80 % interval.")],
    method: Annotated[str, typer.Option(help="How the factor was found, e.g. 'manual count 2026-05-02'.")],
    valid_from: Annotated[datetime | None, typer.Option(help="Start of validity (default: now).")] = None,
    valid_until: Annotated[datetime | None, typer.Option(help="End of validity (default: open).")] = None,
) -> None:
    """Record how many people one counted device stands for at this sensor."""
    start = valid_from or datetime.now(UTC)
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    end = valid_until if valid_until is None or valid_until.tzinfo else valid_until.replace(tzinfo=UTC)
    try:
        with opened() as built:
            built.sensors.calibrate(
                sensor_id,
                factor=factor,
                low=low,
                high=high,
                valid_from=start,
                valid_until=end,
                method=method,
            )
    except InvalidInput as error:
        report_invalid(error)
    except NotFound as error:
        fail(str(error))
    typer.echo(f"sensor {sensor_id}: factor {factor} ({low}-{high}) from {start.isoformat()}")


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    weeks: Annotated[int, typer.Option(min=0, max=12, help="Weeks of simulated history to load first.")] = 5,
    data_dir: Annotated[Path, typer.Option(help="Folder of the demo database.")] = Path("data"),
    reset: Annotated[bool, typer.Option(help="Start from an empty demo database.")] = False,
) -> None:
    """Run the demo old town: simulated sensors feed the real intake; everything is labelled demo."""
    import time
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from freiweg.bootstrap import build_services
    from freiweg.demo.runner import DemoFeeder, demo_settings, prepare_town, start_server, wait_until_up

    settings = demo_settings(data_dir)
    if reset:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"demo.db{suffix}").unlink(missing_ok=True)
    built = build_services(settings)
    tokens = prepare_town(built)
    built.database.dispose()
    base_url = f"http://{host}:{port}"
    server = start_server(settings, host, port)
    try:
        wait_until_up(base_url, server)
        feeder = DemoFeeder(base_url, tokens, ZoneInfo(settings.timezone))
        now = datetime.now(UTC)
        since = now - timedelta(weeks=weeks)
        total = feeder.windows_between(since, now)
        with typer.progressbar(length=total, label=f"Loading {weeks} weeks of simulated counts") as bar:
            feeder.feed(since, now, progress=bar.update)
        typer.secho(
            f"freiweg demo (simulated data) runs on {base_url} - press Ctrl+C to stop", fg=typer.colors.GREEN
        )
        while server.poll() is None:
            time.sleep(15)
            feeder.feed(since, datetime.now(UTC))
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    """Entry point for `python -m freiweg`."""
    app(prog_name="freiweg")


if __name__ == "__main__":
    main()
    sys.exit(0)
