"""Operator commands: staff, alerts, housekeeping, backup and restore; the same code the console calls."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from freiweg.command_support import fail as _fail
from freiweg.command_support import opened

if TYPE_CHECKING:
    from freiweg.domain.errors import InvalidInput

staff_app = typer.Typer(help="Staff accounts of the operator console.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alert rules: check them once or periodically.", no_args_is_help=True)
housekeeping_app = typer.Typer(help="Delete what has passed its retention period.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the staff commands to the `freiweg` command."""
    app.add_typer(staff_app, name="staff")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(housekeeping_app, name="housekeeping")
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)


def report_invalid(error: InvalidInput) -> NoReturn:
    """Print every problem of an invalid input and exit."""
    _fail(f"{error.title} " + "; ".join(f"{p.field}: {p.message}" for p in error.problems))


@staff_app.command("add")
def staff_add(
    name: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, '-' or '_'.")],
    role: Annotated[str, typer.Option(help="admin, editor, analyst or moderator.")],
    invite: Annotated[
        bool, typer.Option(help="Print an invitation link (valid 7 days) instead of a one-time password.")
    ] = False,
) -> None:
    """Create a staff account and print its one-time password or invitation link (shown only now)."""
    from freiweg.domain.errors import Conflict, InvalidInput
    from freiweg.services.staff import StaffService

    with opened() as services:
        try:
            created = StaffService(database=services.database, clock=services.clock).add(
                name, role=role, invite=invite
            )
        except InvalidInput as error:
            report_invalid(error)
        except Conflict as error:
            _fail(str(error))
        base = services.settings.public_url.rstrip("/")
    if created.invitation:
        typer.echo(
            f"invitation for {name} ({role}), valid 7 days: {base}/console/invite/{created.invitation}"
        )
    else:
        typer.echo(f"one-time password for {name} ({role}): {created.password}")
    typer.echo("It is shown only now; hand it over in person.", err=True)


@staff_app.command("list")
def staff_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List staff accounts with role and state."""
    from freiweg.services.staff import StaffService

    with opened() as services:
        found = StaffService(database=services.database, clock=services.clock).list_staff()
    if as_json:
        typer.echo(json.dumps(found, indent=2))
        return
    for member in found:
        states = [k for k in ("disabled", "locked", "invited", "totp") if member[k]]
        typer.echo(f"{member['name']:<24} {member['role']:<10} {' '.join(states)}")


@staff_app.command("disable")
def staff_disable(name: Annotated[str, typer.Argument()]) -> None:
    """Disable an account and end its sessions."""
    from freiweg.domain.errors import NotFound
    from freiweg.services.staff import StaffService

    with opened() as services:
        try:
            StaffService(database=services.database, clock=services.clock).disable(name)
        except NotFound as error:
            _fail(str(error))
    typer.echo(f"disabled {name}")


@staff_app.command("reset-password")
def staff_reset_password(name: Annotated[str, typer.Argument()]) -> None:
    """Give an account a new one-time password (and unlock it); print it once."""
    from freiweg.domain.errors import NotFound
    from freiweg.services.staff import StaffService

    with opened() as services:
        try:
            password = StaffService(database=services.database, clock=services.clock).reset_password(name)
        except NotFound as error:
            _fail(str(error))
    typer.echo(f"one-time password for {name}: {password}")


@staff_app.command("totp")
def staff_totp(name: Annotated[str, typer.Argument()]) -> None:
    """Require a TOTP second factor for an account; print the otpauth URI for the authenticator app."""
    import pyotp

    from freiweg.domain.errors import NotFound
    from freiweg.services.staff import StaffService

    with opened() as services:
        try:
            secret = StaffService(database=services.database, clock=services.clock).enable_totp(name)
        except NotFound as error:
            _fail(str(error))
    typer.echo(pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name="freiweg"))


@alerts_app.command("check")
def alerts_check(
    every: Annotated[int, typer.Option(help="Seconds between checks; 0 checks once and exits.", min=0)] = 0,
) -> None:
    """Check every alert rule: open, de-duplicate, resolve, and deliver by webhook or e-mail."""
    import time

    from freiweg.services.alerts import AlertService, deliver
    from freiweg.services.sensor_health import SensorHealthService

    with opened() as services:
        health = SensorHealthService(
            database=services.database,
            clock=services.clock,
            tolerance=services.settings.stale_after_intervals,
        )
        service = AlertService(
            database=services.database,
            clock=services.clock,
            crowd=services.crowd,
            health=health,
            send=deliver(services.settings),
            forecasts=services.forecasts,
        )
        if every:
            from freiweg.server_logs import configure_logging

            configure_logging(level=services.settings.log_level, style=services.settings.log_format)
        while True:
            for notice in service.check():
                typer.echo(f"{notice.state}: {notice.kind} {notice.subject}: {notice.message}")
            if not every:
                return
            time.sleep(every)


@housekeeping_app.command("run")
def housekeeping_run() -> None:
    """Delete one-minute counts older than FREIWEG_RETENTION_MINUTE_COUNT_DAYS and ended sessions; logged."""
    from freiweg.services.housekeeping import HousekeepingService

    with opened() as services:
        run = HousekeepingService(
            database=services.database,
            clock=services.clock,
            minute_count_days=services.settings.retention_minute_count_days,
        ).run()
    typer.echo(
        f"deleted {run.counts_deleted} one-minute count(s) and {run.sessions_deleted} ended session(s); "
        f"log entry {run.log_seq}"
    )


def backup_command(
    path: Annotated[Path, typer.Argument(help="A new file to write the backup to.")],
) -> None:
    """Write a consistent copy of the database while the server runs (SQLite backup, or pg_dump)."""
    from freiweg.storage.backup import BackupFailed, backup

    with opened() as services:
        try:
            backup(services.database, path)
        except BackupFailed as error:
            _fail(str(error))
    typer.echo(f"backup written to {path}")


def restore_command(
    path: Annotated[Path, typer.Argument(help="A file written by `freiweg backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm that the current contents are replaced.")
    ] = False,
) -> None:
    """Replace the database's contents with a backup; stop every server first."""
    from freiweg.storage.backup import BackupFailed, restore

    if not yes:
        _fail("restoring replaces everything in the database; stop the servers and add --yes")
    with opened() as services:
        try:
            restore(services.database, path)
        except BackupFailed as error:
            _fail(str(error))
    typer.echo(f"restored from {path}")
