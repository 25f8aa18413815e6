"""The `freiweg` command: serve, demo, db, area and sensor administration."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from freiweg.command_support import fail, opened
from freiweg.command_support import report_invalid as report_problems
from freiweg.domain.errors import Conflict, InvalidInput, NotFound
from freiweg.domain.sensors import Location
from freiweg.edge.cli import edge_app
from freiweg.forecast_commands import register as register_forecast_commands
from freiweg.guidance_commands import register as register_guidance_commands
from freiweg.staff_commands import register as register_staff_commands
from freiweg.survey_commands import register as register_survey_commands
from freiweg.transparency_commands import register as register_transparency_commands

if TYPE_CHECKING:
    from collections.abc import Callable

    from freiweg.ingest.mqtt.config import BrokerAddress
    from freiweg.services.calibration_sessions import CalibrationSessionService
    from freiweg.services.jobs import JobScheduler
    from freiweg.services.mqtt_intake import MqttIntake
    from freiweg.services.registry import Services
    from freiweg.settings import Settings

# Server modules are imported inside the commands that need them, so that a sensor box with only
# the base install (`pip install freiweg[edge]`) can run `freiweg edge ...`.

app = typer.Typer(
    help="freiweg: anonymous, verifiable crowd counting and guidance for old towns.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
area_app = typer.Typer(help="Areas: the streets and squares freiweg reports on.", no_args_is_help=True)
sensor_app = typer.Typer(
    help="Sensors: register, rotate tokens, revoke, retire, calibrate.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(area_app, name="area")
app.add_typer(sensor_app, name="sensor")
ingest_app = typer.Typer(help="Counter sources: TTN, ChirpStack, MQTT, CSV.", no_args_is_help=True)
import_app = typer.Typer(help="Import counts from files.", no_args_is_help=True)
calibration_app = typer.Typer(help="Manual count sessions and fitted factors.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")
app.add_typer(import_app, name="import")
app.add_typer(calibration_app, name="calibration")
app.add_typer(edge_app, name="edge")
register_transparency_commands(app)
register_staff_commands(app)
register_forecast_commands(app)
register_guidance_commands(app, area_app)
register_survey_commands(app)


def report_invalid(error: InvalidInput) -> NoReturn:
    """Print every problem of an invalid input, one per line, naming the feature, and exit."""
    report_problems(error, item="feature")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (FREIWEG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (FREIWEG_PORT).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Run the web server: pages, JSON API and sensor intake; and the scheduled jobs (FREIWEG_JOBS)."""
    import uvicorn

    from freiweg import __version__
    from freiweg.server_logs import configure_logging, logging_config
    from freiweg.services.log_keys import load_log_signer
    from freiweg.settings import Settings, UnsafeSettings
    from freiweg.storage import migrate
    from freiweg.storage.unit_of_work import Database

    settings = Settings()
    try:
        settings.refuse_default_secrets()
        settings.refuse_missing_log_key()
        load_log_signer(settings)  # an unusable key stops here; a demo key is made once, before workers
    except UnsafeSettings as error:
        fail(str(error))
    configure_logging(level=settings.log_level, style=settings.log_format)
    database = Database.from_url(settings.database_url)
    migrate.upgrade(database)
    logging.getLogger("freiweg.server").info(
        "server starting",
        extra={
            "version": __version__,
            "database": database.engine.dialect.name,
            "port": port or settings.port,
            "workers": workers,
            "demo": settings.demo,
        },
    )
    database.dispose()
    scheduler = start_jobs(settings) if settings.jobs == "on" else None
    try:
        uvicorn.run(
            "freiweg.bootstrap:app_from_environment",
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            workers=workers,
            log_level=settings.log_level,
            log_config=logging_config(level=settings.log_level, style=settings.log_format),
            access_log=False,
            # Behind a proxy every connection comes from the proxy: only the proxies named in the
            # settings may say who the client is (the flood guard's hourly-keyed hash needs it).
            proxy_headers=bool(settings.trusted_proxies),
            forwarded_allow_ips=settings.trusted_proxies or None,
            server_header=False,
        )
    finally:
        if scheduler is not None:
            scheduler.stop()


def start_jobs(settings: Settings) -> JobScheduler:
    """Run the alert check, housekeeping and forecast refresh in this process, leased per job run."""
    from freiweg.bootstrap import build_services
    from freiweg.services.jobs import JobScheduler, server_jobs

    built = build_services(settings, upgrade=False)
    scheduler = JobScheduler(
        database=built.database, clock=built.clock, jobs=server_jobs(built), timezone=settings.timezone
    )
    scheduler.start()
    logging.getLogger("freiweg.jobs").info(
        "jobs started", extra={"jobs": [j.name for j in scheduler.jobs], "holder": scheduler.holder}
    )
    return scheduler


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
    dev_eui: Annotated[str | None, typer.Option(help="LoRaWAN DevEUI of a Paxcounter (16 hex).")] = None,
    device_id: Annotated[str | None, typer.Option(help="TTN device id, if uplinks lack the DevEUI.")] = None,
    cycle: Annotated[int | None, typer.Option(help="Paxcounter send cycle in seconds (default 60).")] = None,
    payload_format: Annotated[
        str, typer.Option(help="Paxcounter encoder: packed, plain, lpp-dynamic or lpp-packed.")
    ] = "packed",
) -> None:
    """Register a sensor and print its token once; freiweg keeps only a hash of it."""
    if (lon is None) != (lat is None):
        fail("give both --lon and --lat, or neither")
    if cycle is not None and interval is not None and cycle != interval:
        fail("--cycle and --interval mean the same for a Paxcounter; give one of them")
    location = Location(lon, lat) if lon is not None and lat is not None else None
    try:
        with opened() as built:
            lorawan = None
            if dev_eui is not None:
                from freiweg.services.lorawan import LorawanService

                lorawan = LorawanService(database=built.database, clock=built.clock)
                lorawan.check_device(dev_eui, device_id=device_id, payload_format=payload_format)
            issued = built.sensors.add(
                sensor_id, area_id=area, kind=kind, location=location, interval_seconds=cycle or interval
            )
            if lorawan is not None and dev_eui is not None:
                eui = lorawan.register_device(
                    sensor_id, dev_eui=dev_eui, device_id=device_id, payload_format=payload_format
                )
                typer.echo(f"device {eui} counts for sensor {sensor_id}", err=True)
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


@sensor_app.command("retire")
def sensor_retire(sensor_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Retire a sensor for good: it stops counting; its history and public page stay."""
    try:
        with opened() as built:
            built.sensors.retire(sensor_id)
    except (NotFound, Conflict) as error:
        fail(str(error))
    typer.echo(f"sensor {sensor_id} retired")


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


def mqtt_address(
    host: str, port: int, username: str | None, password: str | None, tls: bool, client_id: str
) -> BrokerAddress:
    """The broker to subscribe to."""
    from freiweg.ingest.mqtt.config import BrokerAddress

    return BrokerAddress(host, port, username, password, tls, client_id)


def subscribe(
    address: BrokerAddress,
    topics: list[str],
    handler: Callable[[str, bytes], object],
    *,
    qos: int,
    label: str,
) -> None:
    """Subscribe until Ctrl+C, handing each message to handler."""
    from freiweg.ingest.mqtt.subscriber import Subscriber
    from freiweg.server_logs import configure_logging
    from freiweg.settings import Settings

    settings = Settings()
    configure_logging(level=settings.log_level, style=settings.log_format)
    subscriber = Subscriber(address, topics, handler, qos=qos)
    typer.echo(f"{label}: subscribed to {', '.join(topics)} on {address.host}:{address.port}; Ctrl+C stops")
    try:
        subscriber.run_forever()
    except KeyboardInterrupt:
        pass
    typer.echo(f"{subscriber.handled} message(s) handled, {subscriber.failed} failed")


MqttHost = Annotated[str, typer.Option(help="MQTT broker host.")]
MqttUser = Annotated[str | None, typer.Option("--username", help="MQTT user name.")]
MqttPassword = Annotated[
    str | None, typer.Option("--password", envvar="FREIWEG_MQTT_PASSWORD", help="MQTT password or API key.")
]
MqttTls = Annotated[bool, typer.Option("--tls/--no-tls", help="Connect with TLS.")]
MqttClientId = Annotated[str, typer.Option(help="MQTT client id (empty: the broker picks one).")]


@ingest_app.command("ttn-mqtt")
def ingest_ttn_mqtt(
    application: Annotated[str, typer.Option(help="TTN application id.")],
    api_key: Annotated[
        str, typer.Option(envvar="FREIWEG_TTN_API_KEY", help="TTN API key (NNSXS...) with 'read traffic'.")
    ],
    tenant: Annotated[str, typer.Option(help="TTS tenant; empty for an open-source stack.")] = "ttn",
    host: MqttHost = "eu1.cloud.thethings.network",
    port: Annotated[int, typer.Option(help="MQTT port (8883 with TLS, 1883 without).")] = 8883,
    tls: MqttTls = True,
    client_id: MqttClientId = "",
) -> None:
    """Subscribe to a TTN v3 application's uplinks (v3/{app}@{tenant}/devices/+/up) and store their counts."""
    from freiweg.ingest.ttn import SOURCE
    from freiweg.ingest.ttn.config import mqtt_username, uplink_topic

    with opened() as built:
        intake = mqtt_intake(built)
        subscribe(
            mqtt_address(host, port, mqtt_username(application, tenant or None), api_key, tls, client_id),
            [uplink_topic(application, tenant or None)],
            lambda _topic, payload: intake.uplink(SOURCE, payload),
            qos=0,
            label="TTN",
        )


@ingest_app.command("chirpstack-mqtt")
def ingest_chirpstack_mqtt(
    application: Annotated[str, typer.Option(help="ChirpStack application id (a UUID).")],
    host: MqttHost = "127.0.0.1",
    port: Annotated[int, typer.Option(help="MQTT port.")] = 1883,
    username: MqttUser = None,
    password: MqttPassword = None,
    tls: MqttTls = False,
    client_id: MqttClientId = "",
) -> None:
    """Subscribe to a ChirpStack v4 application's up events and store their counts."""
    from freiweg.ingest.chirpstack import SOURCE
    from freiweg.ingest.chirpstack.config import uplink_topic

    with opened() as built:
        intake = mqtt_intake(built)
        subscribe(
            mqtt_address(host, port, username, password, tls, client_id),
            [uplink_topic(application)],
            lambda _topic, payload: intake.uplink(SOURCE, payload),
            qos=1,
            label="ChirpStack",
        )


@ingest_app.command("mqtt")
def ingest_mqtt(
    host: MqttHost = "127.0.0.1",
    port: Annotated[int, typer.Option(help="MQTT port.")] = 1883,
    username: MqttUser = None,
    password: MqttPassword = None,
    tls: MqttTls = False,
    client_id: MqttClientId = "",
) -> None:
    """Subscribe to freiweg/counts/+ where a city's own counters publish the push format with their token."""
    from freiweg.ingest.mqtt.config import COUNTS_TOPIC

    with opened() as built:
        intake = mqtt_intake(built)
        subscribe(
            mqtt_address(host, port, username, password, tls, client_id),
            [COUNTS_TOPIC],
            intake.own_counts,
            qos=1,
            label="freiweg counts",
        )


def mqtt_intake(built: Services) -> MqttIntake:
    """The MQTT intake on built services."""
    from freiweg.services.lorawan import LorawanService
    from freiweg.services.mqtt_intake import MqttIntake

    lorawan = LorawanService(database=built.database, clock=built.clock)
    return MqttIntake(intake=built.intake, lorawan=lorawan, rejections=lorawan.rejections)


@ingest_app.command("csv")
@import_app.command("csv")
def ingest_csv(
    path: Annotated[Path, typer.Argument(help="The CSV export.", exists=True, dir_okay=False, readable=True)],
    mapping: Annotated[
        Path,
        typer.Option(help="TOML file naming the columns (docs/adapters/csv.md).", exists=True),
    ],
    dry_run: Annotated[bool, typer.Option(help="Check and report, store nothing.")] = False,
) -> None:
    """Import counts from a counter's CSV export; re-importing the same file stores nothing twice."""
    from freiweg.ingest.csv_import.config import load_mapping
    from freiweg.services.csv_import import CsvImportService

    try:
        read_mapping = load_mapping(mapping)
        with path.open("rb") as counted:
            lines = sum(1 for _ in counted)
        with opened() as built:
            service = CsvImportService(database=built.database, clock=built.clock)
            label = f"Reading {path.name}"
            with typer.progressbar(length=max(lines - 1, 1), label=label, file=sys.stderr) as bar:
                report = service.import_file(path, read_mapping, dry_run=dry_run, progress=bar.update)
    except InvalidInput as error:
        report_invalid(error)
    verb = "would be stored" if dry_run else "stored"
    typer.echo(
        f"{report.rows} row(s) read, {report.imported_rows} imported, "
        f"{sum(report.skipped.values())} skipped; "
        f"{report.new} count(s) {verb} new, {report.known} already known"
    )
    for reason, number in report.skipped.most_common():
        lines_shown = ", ".join(str(n) for n in report.examples.get(reason, []))
        typer.echo(f"  skipped {number}: {reason} (e.g. line {lines_shown})")


def calibration_service(built: Services) -> CalibrationSessionService:
    """The calibration session service on built services."""
    from freiweg.services.calibration_sessions import CalibrationSessionService

    return CalibrationSessionService(database=built.database, clock=built.clock, sensors=built.sensors)


def aware(moment: datetime) -> datetime:
    """A CLI time; without an offset it is taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# The options of a manual count session, shared by `record` and `edit`.
SessionStart = Annotated[datetime, typer.Option(help="Start of the manual count (UTC without an offset).")]
SessionEnd = Annotated[datetime, typer.Option(help="End of the manual count.")]
SessionPeople = Annotated[
    int, typer.Option(help="People present on average (presence) or passing (passage).")
]
SessionDirection = Annotated[str | None, typer.Option(help="in or out, for a passage count.")]
SessionNote = Annotated[str, typer.Option(help="Who counted, how, the weather ...")]


@calibration_app.command("record")
def calibration_record(
    sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")],
    start: SessionStart,
    end: SessionEnd,
    people: SessionPeople,
    direction: SessionDirection = None,
    note: SessionNote = "",
) -> None:
    """Record a manual count session at a sensor."""
    try:
        with opened() as built:
            number = calibration_service(built).record(
                sensor_id, start=aware(start), end=aware(end), people=people, direction=direction, note=note
            )
    except InvalidInput as error:
        report_invalid(error)
    except NotFound as error:
        fail(str(error))
    typer.echo(f"session {number} recorded for sensor {sensor_id}")


@calibration_app.command("edit")
def calibration_edit(
    session_id: Annotated[int, typer.Argument(metavar="SESSION")],
    start: SessionStart,
    end: SessionEnd,
    people: SessionPeople,
    direction: SessionDirection = None,
    note: SessionNote = "",
) -> None:
    """Correct a recorded count session (logged); the next fit uses the corrected values."""
    try:
        with opened() as built:
            changed = calibration_service(built).amend(
                session_id, start=aware(start), end=aware(end), people=people, direction=direction, note=note
            )
    except InvalidInput as error:
        report_invalid(error)
    except NotFound as error:
        fail(str(error))
    typer.echo(f"session {session_id} of sensor {changed.sensor_id} corrected")


@calibration_app.command("sessions")
def calibration_sessions(
    sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List a sensor's count sessions with what the sensor counted in each."""
    try:
        with opened() as built:
            service = calibration_service(built)
            sessions = service.sessions(sensor_id)
            devices = {c.session_id: c.devices for c in service.compare(sensor_id)}
    except NotFound as error:
        fail(str(error))
    rows = [
        {
            "id": s.id,
            "start": datetime.fromtimestamp(s.started_at, UTC).isoformat(),
            "end": datetime.fromtimestamp(s.ended_at, UTC).isoformat(),
            "people": s.people,
            "devices": devices.get(s.id),
            "direction": s.direction or None,
            "note": s.note,
        }
        for s in sessions
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for r in rows:
        typer.echo(
            f"{r['id']:>5} {r['start']} {r['end']} people {r['people']:>6} devices {r['devices']} {r['note']}"
        )


@calibration_app.command("fit")
def calibration_fit(
    sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")],
    since: Annotated[datetime | None, typer.Option(help="Use sessions from here; valid from here.")] = None,
    dry_run: Annotated[bool, typer.Option(help="Show the fit without storing it.")] = False,
) -> None:
    """Fit the devices-to-people factor from the sessions and store it as a new calibration version."""
    try:
        with opened() as built:
            result = calibration_service(built).fit(
                sensor_id, since=aware(since) if since else None, apply=not dry_run
            )
    except InvalidInput as error:
        report_invalid(error)
    except NotFound as error:
        fail(str(error))
    for c in result.comparisons:
        typer.echo(f"  session {c.session_id}: {c.people:g} people, {c.devices:g} devices")
    fit = result.fit
    typer.echo(
        f"sensor {sensor_id}: factor {fit.factor:.3f} ({fit.low:.3f}-{fit.high:.3f}) "
        f"from {len(fit.sessions_used)} session(s)" + (" - not stored (dry run)" if dry_run else "")
    )
    if fit.sessions_without_devices:
        typer.echo(f"  left out (no sensor counts): {', '.join(map(str, fit.sessions_without_devices))}")


@calibration_app.command("show")
def calibration_show(
    sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the factor in use now, every stored version and the sessions."""
    try:
        with opened() as built:
            status = calibration_service(built).status(sensor_id)
    except NotFound as error:
        fail(str(error))
    if as_json:
        typer.echo(json.dumps(status))
        return
    current = status["current"]
    state = "calibrated" if status["calibrated"] else "UNCALIBRATED (default factor 1, interval 0.5-2)"
    typer.echo(f"sensor {sensor_id}: {state}")
    typer.echo(f"  now: factor {current['factor']} ({current['low']}-{current['high']}), {current['method']}")
    for v in status["versions"]:
        typer.echo(f"  version from {v['valid_from']}: {v['factor']} ({v['low']}-{v['high']}) {v['method']}")
    typer.echo(f"  {status['sessions']} session(s); a fit needs at least {status['min_sessions']}")


@ingest_app.command("rejections")
def ingest_rejections(
    limit: Annotated[int, typer.Option(help="How many to show.")] = 20,
    source: Annotated[str | None, typer.Option(help="ttn, chirpstack or mqtt.")] = None,
) -> None:
    """Show the newest messages that became no count, and why."""
    from freiweg.services.rejections import RejectionLog

    with opened() as built:
        found = RejectionLog(database=built.database, clock=built.clock).recent(limit=limit, source=source)
    for r in found:
        moment = datetime.fromtimestamp(r.received_at, UTC).isoformat()
        typer.echo(f"{moment} {r.source:10} {r.device or '-':18} {r.reason:18} {r.detail}")


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
