"""Witnesses cosign only checkpoints that extend what they saw; the log keeps and shows the cosignatures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from freiweg import transparency_commands
from freiweg.bootstrap import create_app
from freiweg.cli import app as cli_app
from freiweg.services.log_keys import signer_from_text
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, FakeClock
from tests.support.log_keys import TEST_LOG_KEY, TEST_WITNESS_KEY

runner = CliRunner()
WITNESS = signer_from_text(TEST_WITNESS_KEY)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, demo=False, log_key=TEST_LOG_KEY)


@pytest.fixture
def served(settings: Settings, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    application = create_app(settings, clock=clock)
    monkeypatch.setattr(
        transparency_commands, "http_client", lambda base_url: TestClient(application, base_url=base_url)
    )
    yield TestClient(application)
    application.state.services.database.dispose()


def invoke(*args: str) -> Result:
    return runner.invoke(cli_app, list(args), catch_exceptions=False)


def test_a_registered_witness_cosigns_and_verifiers_can_require_it(
    served: Any, services: Services, town: Callable[..., dict[str, str]], tmp_path: Path
) -> None:
    town("domplatz")
    services.transparency.log.add_witness(WITNESS.name, WITNESS.verifier_key.text())
    state = tmp_path / "witness.json"
    result = invoke("witness", "http://log.test", "--key", TEST_WITNESS_KEY, "--state", str(state))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\u2014 witness.test.example/w1 ")
    note = served.get("/api/v1/log/checkpoint").text
    assert note.count("\u2014 ") == 2 and "witness.test.example/w1" in note
    checked = invoke(
        "verify",
        "http://log.test",
        "--state",
        str(tmp_path / "v.json"),
        "--witness-key",
        WITNESS.verifier_key.text(),
    )
    assert checked.exit_code == 0, checked.output
    assert "cosigned by witness.test.example/w1" in checked.output
    assert served.get("/api/v1/log/witnesses").json()["witnesses"][0]["name"] == WITNESS.name
    # The log grows: the witness checks consistency with its last visit and cosigns again.
    services.sensors.revoke("domplatz-1")
    again = invoke("witness", "http://log.test", "--key", TEST_WITNESS_KEY, "--state", str(state))
    assert again.exit_code == 0, again.output


def test_a_verifier_requiring_a_missing_cosignature_fails(
    served: Any, town: Callable[..., dict[str, str]], tmp_path: Path
) -> None:
    town("domplatz")
    result = invoke(
        "verify",
        "http://log.test",
        "--state",
        str(tmp_path / "v.json"),
        "--witness-key",
        WITNESS.verifier_key.text(),
    )
    assert result.exit_code == 1
    assert "no valid cosignature by witness.test.example/w1" in result.output


def test_cosignatures_from_strangers_or_for_unknown_checkpoints_are_refused(
    served: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    from freiweg.transparency.checkpoints import cosign, parse_note

    town("domplatz")
    note = served.get("/api/v1/log/checkpoint").text
    text = parse_note(note).text
    line = cosign(text, WITNESS.name, WITNESS.public_key, 1_781_000_000, WITNESS.sign).line()
    assert served.post("/api/v1/log/cosignatures", content=note + line).status_code == 422  # not registered
    services.transparency.log.add_witness(WITNESS.name, WITNESS.verifier_key.text())
    forged = note.replace("\n2\n", "\n1\n", 1)
    assert served.post("/api/v1/log/cosignatures", content=forged + line).status_code == 404
    assert served.post("/api/v1/log/cosignatures", content=note + line).json() == {"accepted": [WITNESS.name]}
    assert served.post("/api/v1/log/cosignatures", content="nonsense").status_code == 422


def test_a_witness_key_must_be_a_cosignature_key(services: Services) -> None:
    from freiweg.domain.errors import InvalidInput

    log_signer = signer_from_text(TEST_LOG_KEY)
    with pytest.raises(InvalidInput):
        services.transparency.log.add_witness(log_signer.name, log_signer.verifier_key.text())
