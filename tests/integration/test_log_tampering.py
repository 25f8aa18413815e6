"""`freiweg verify` catches a changed, deleted or reordered log row and a forked log, on both databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from freiweg import transparency_commands
from freiweg.bootstrap import build_services, create_app
from freiweg.cli import app as cli_app
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, FakeClock, area_feature, feature_collection
from tests.support.log_keys import TEST_LOG_KEY

runner = CliRunner()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, demo=False, log_key=TEST_LOG_KEY)


@pytest.fixture
def served(settings: Settings, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The app, reachable by `freiweg verify` at http://log.test."""
    from fastapi.testclient import TestClient

    application = create_app(settings, clock=clock)
    monkeypatch.setattr(
        transparency_commands, "http_client", lambda base_url: TestClient(application, base_url=base_url)
    )
    yield application
    application.state.services.database.dispose()


def verify(state: Path, *extra: str, url: str = "http://log.test") -> Result:
    return runner.invoke(cli_app, ["verify", url, "--state", str(state), *extra], catch_exceptions=False)


def execute(url: str, *statements: str, **values: Any) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), values)
    engine.dispose()


@pytest.fixture
def logged(served: Any, town: Callable[..., dict[str, str]], services: Services, tmp_path: Path) -> Path:
    """A town with a few logged changes and a verifier that has seen the log once."""
    town("domplatz", "obstmarkt")
    services.sensors.rotate_token("domplatz-1")
    state = tmp_path / "verifier.json"
    result = verify(state)
    assert result.exit_code == 0, result.output
    assert "verified: test.freiweg.example/freiweg-log at 5 entries" in result.output
    return state


def test_a_clean_log_verifies_and_growth_is_checked_for_consistency(logged: Path, services: Services) -> None:
    services.sensors.revoke("obstmarkt-1")
    result = verify(logged)
    assert result.exit_code == 0, result.output
    assert "grew from 5 to 6 entries and still contains everything seen before" in result.output
    assert "all 6 entries hash to the signed root" in result.output


def test_an_entry_and_a_hash_are_proven_included(logged: Path, services: Services) -> None:
    seq = services.transparency.releases.add("1.0.0", "ab" * 32)
    assert seq
    result = verify(logged, "--entry", "0", "--hash", "ab" * 32)
    assert result.exit_code == 0, result.output
    assert "entry 5 is included in the signed tree" in result.output
    missing = verify(logged, "--hash", "cd" * 32)
    assert missing.exit_code == 1
    assert "no entry in the log contains the hash" in missing.output


def test_a_changed_row_is_detected_even_by_a_verifier_that_never_saw_the_log(
    logged: Path, database_url: str, tmp_path: Path
) -> None:
    execute(
        database_url, "UPDATE transparency_log SET body = REPLACE(body, 'domplatz', 'rathaus') WHERE seq = 1"
    )
    for state in (logged, tmp_path / "fresh.json"):
        result = verify(state)
        assert result.exit_code == 1
        assert "do not hash to the signed root" in result.output
        assert "entry 0 no longer matches its logged hash" in result.output


def test_a_row_rewritten_with_a_matching_hash_is_detected(logged: Path, database_url: str) -> None:
    from freiweg.transparency.merkle import leaf_hash

    forged = '{"appended_at":0,"body":{},"kind":"area.created","subject":"area:nowhere"}'
    execute(
        database_url,
        "UPDATE transparency_log SET body = :body, leaf_hash = :leaf WHERE seq = 2",
        body=forged,
        leaf=leaf_hash(forged.encode()).hex(),
    )
    result = verify(logged)
    assert result.exit_code == 1
    assert "do not hash to the signed root" in result.output


def test_a_deleted_row_is_detected(logged: Path, database_url: str) -> None:
    execute(database_url, "DELETE FROM transparency_log WHERE seq = 5")
    result = verify(logged)
    assert result.exit_code == 1
    assert "entries were removed" in result.output


def test_reordered_rows_are_detected(logged: Path, database_url: str) -> None:
    execute(
        database_url,
        "UPDATE transparency_log SET seq = 100 WHERE seq = 1",
        "UPDATE transparency_log SET seq = 1 WHERE seq = 2",
        "UPDATE transparency_log SET seq = 2 WHERE seq = 100",
    )
    result = verify(logged)
    assert result.exit_code == 1
    assert "do not hash to the signed root" in result.output


def test_the_server_refuses_to_sign_over_a_changed_history(
    logged: Path, database_url: str, services: Services
) -> None:
    execute(database_url, "DELETE FROM transparency_log WHERE seq = 3")
    services.sensors.revoke("obstmarkt-1")
    services.sensors.revoke("domplatz-1")
    fresh = build_services(services.settings, clock=services.clock)
    note = fresh.transparency.log.checkpoint()
    assert note.split("\n")[1] == "5"  # still the last honest head
    assert not fresh.transparency.log.status().intact
    fresh.database.dispose()
    result = verify(logged)
    assert result.exit_code == 1


@pytest.mark.parametrize(
    "fork_sensors",
    [("domplatz-1", "rathaus-1", "rathaus-2"), ("domplatz-1", "rathaus-1", "rathaus-2", "rathaus-3")],
)
def test_a_forked_log_is_detected_by_a_verifier_that_saw_the_other_branch(
    logged: Path,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    fork_sensors: tuple[str, ...],
) -> None:
    from fastapi.testclient import TestClient

    # The same key signs a second, different history of the same log: a split view.
    other = Settings(
        database_url=f"sqlite:///{tmp_path / 'fork.db'}", secret_key=TEST_SECRET, log_key=TEST_LOG_KEY
    )
    fork = build_services(other, clock=clock)
    fork.areas.import_areas(feature_collection(area_feature("domplatz"), area_feature("rathaus", lon=10.89)))
    # Five entries (same size, other root) or six (larger, no consistency proof can exist).
    for sensor in fork_sensors:
        fork.sensors.add(sensor, area_id=sensor.rsplit("-", 1)[0], kind="wifi")
    forked_app = create_app(other, clock=clock)
    monkeypatch.setattr(
        transparency_commands, "http_client", lambda base_url: TestClient(forked_app, base_url=base_url)
    )
    result = verify(logged)
    assert result.exit_code == 1
    assert "forked or rewritten" in result.output
    forked_app.state.services.database.dispose()
    fork.database.dispose()


def test_a_different_key_is_refused(
    logged: Path, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from freiweg.services.log_keys import new_key_text

    other = Settings(
        database_url=f"sqlite:///{tmp_path / 'other.db'}",
        secret_key=TEST_SECRET,
        log_key=new_key_text("test.freiweg.example/freiweg-log"),
    )
    other_app = create_app(other, clock=clock)
    monkeypatch.setattr(
        transparency_commands, "http_client", lambda base_url: TestClient(other_app, base_url=base_url)
    )
    result = verify(logged)
    assert result.exit_code == 1
    assert "trusted key" in result.output
    other_app.state.services.database.dispose()
