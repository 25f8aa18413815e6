"""`freiweg staff`: add with a one-time password or invitation, list, reset, disable, second factor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from freiweg.bootstrap import build_services
from freiweg.cli import app
from freiweg.services.staff import LoginRefused, StaffService
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET

runner = CliRunner()


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI's environment pointing at the parametrised database."""
    monkeypatch.setenv("FREIWEG_DATABASE_URL", database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("FREIWEG_PUBLIC_URL", "https://freiweg.example")
    return database_url


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def staff(cli_env: str) -> Iterator[StaffService]:
    """The staff service on the CLI's database."""
    services = build_services(Settings(database_url=cli_env, secret_key=TEST_SECRET))
    yield StaffService(database=services.database, clock=services.clock)
    services.database.dispose()


def test_staff_add_prints_a_one_time_password_that_signs_in(cli_env: str, staff: StaffService) -> None:
    result = invoke("staff", "add", "anna", "--role", "editor")
    assert result.exit_code == 0, result.output
    password = result.stdout.strip().rsplit(" ", 1)[1]
    session = staff.log_in("anna", password)
    assert (session.member.name, session.member.role) == ("anna", "editor")


def test_staff_add_with_invite_prints_a_link_to_the_console(cli_env: str) -> None:
    result = invoke("staff", "add", "ben", "--role", "analyst", "--invite")
    assert result.exit_code == 0
    assert "https://freiweg.example/console/invite/" in result.stdout


def test_staff_add_says_which_roles_exist_and_refuses_a_second_account_of_the_same_name(cli_env: str) -> None:
    bad = runner.invoke(app, ["staff", "add", "anna", "--role", "boss"])
    assert bad.exit_code == 1
    assert "admin, editor, analyst, moderator" in bad.output
    invoke("staff", "add", "anna", "--role", "editor")
    again = runner.invoke(app, ["staff", "add", "anna", "--role", "editor"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_reset_password_replaces_the_old_one_and_disable_stops_sign_in(
    cli_env: str, staff: StaffService
) -> None:
    first = invoke("staff", "add", "anna", "--role", "admin").stdout.strip().rsplit(" ", 1)[1]
    second = invoke("staff", "reset-password", "anna").stdout.strip().rsplit(" ", 1)[1]
    service = staff
    with pytest.raises(LoginRefused):
        service.log_in("anna", first)
    service.log_in("anna", second)
    assert invoke("staff", "disable", "anna").exit_code == 0
    with pytest.raises(LoginRefused):
        service.log_in("anna", second)
    listed = json.loads(invoke("staff", "list", "--json").stdout)
    assert listed == [
        {"name": "anna", "role": "admin", "disabled": True, "locked": False, "invited": False, "totp": False}
    ]
    missing = runner.invoke(app, ["staff", "disable", "nobody"])
    assert missing.exit_code == 1 and "freiweg staff list" in missing.output


def test_totp_prints_an_otpauth_uri(cli_env: str) -> None:
    invoke("staff", "add", "anna", "--role", "admin")
    result = invoke("staff", "totp", "anna")
    assert result.stdout.startswith("otpauth://totp/freiweg:anna?secret=")


def test_alerts_check_runs_once_and_reports_what_opened(cli_env: str) -> None:
    result = invoke("alerts", "check")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_housekeeping_run_reports_what_it_deleted(cli_env: str) -> None:
    result = invoke("housekeeping", "run")
    assert result.exit_code == 0
    assert result.stdout.startswith("deleted 0 one-minute count(s) and 0 ended session(s); log entry ")


def test_backup_and_restore_from_the_command_line(cli_env: str, tmp_path: Path) -> None:
    invoke("staff", "add", "anna", "--role", "admin")
    path = tmp_path / "freiweg.backup"
    assert invoke("backup", str(path)).exit_code == 0
    invoke("staff", "add", "ben", "--role", "editor")
    refused = runner.invoke(app, ["restore", str(path)])
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert invoke("restore", str(path), "--yes").exit_code == 0
    assert [s["name"] for s in json.loads(invoke("staff", "list", "--json").stdout)] == ["anna"]
