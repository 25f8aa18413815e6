"""Disclosures, edge releases and staff access are stored and logged together, or not at all."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from freiweg.cli import app as cli_app
from freiweg.domain.errors import Conflict, InvalidInput, NotFound
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, FakeClock, bearer, presence
from tests.support.log_keys import TEST_LOG_KEY

runner = CliRunner()
AGENT = {
    "version": "0.1.0",
    "code_sha256": "a" * 64,
    "config_sha256": "b" * 64,
    "clock_synced": True,
    "queue_dropped": 0,
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, demo=False, log_key=TEST_LOG_KEY)


def kinds(services: Services) -> list[str]:
    size = services.transparency.log.tree().size
    return [e["kind"] for e in services.transparency.log.entries(0, size)] if size else []


def test_a_disclosure_is_versioned_and_its_hash_is_logged(
    services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    first = services.transparency.disclosures.publish("domplatz-1")
    document = dict(first.document, installed_on="2026-05-04")
    second = services.transparency.disclosures.publish("domplatz-1", document)
    assert (first.version, second.version) == (1, 2)
    assert services.transparency.disclosures.current("domplatz-1").document["installed_on"] == "2026-05-04"
    logged = [
        json.loads(e["entry"])["body"]
        for e in services.transparency.log.entries(0, 10)
        if e["kind"] == "disclosure.published"
    ]
    assert logged == [
        {"sensor": "domplatz-1", "version": 1, "sha256": first.sha256},
        {"sensor": "domplatz-1", "version": 2, "sha256": second.sha256},
    ]


def test_an_incomplete_disclosure_names_every_problem_and_stores_nothing(
    services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    draft = services.transparency.disclosures.draft("domplatz-1")
    broken = dict(draft, purpose={"de": "Zählen"}, retention=[], edge_software={"sha256": "xyz"})
    before = kinds(services)
    with pytest.raises(InvalidInput) as caught:
        services.transparency.disclosures.publish("domplatz-1", broken)
    assert {p.field for p in caught.value.problems} == {"purpose", "retention", "edge_software.sha256"}
    assert kinds(services) == before
    assert services.transparency.disclosures.current("domplatz-1") is None


def test_a_sensor_running_software_not_in_the_log_is_flagged_until_the_release_is_logged(
    client: Any, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    token = town("domplatz")["domplatz-1"]
    sent = client.post(
        "/api/v1/counts",
        json={"counts": [presence(clock.now - timedelta(minutes=5), 40)], "agent": AGENT},
        headers=bearer(token),
    )
    assert sent.status_code == 200, sent.text
    assert services.transparency.releases.check("domplatz-1").state == "not_in_log"
    assert [a.sensor_id for a in services.transparency.releases.alerts()] == ["domplatz-1"]
    assert "Software not in the log".lower() in client.get("/sensors/domplatz-1?lang=en").text.lower()
    services.transparency.releases.add("0.1.0", "a" * 64, "first release")
    check = services.transparency.releases.check("domplatz-1")
    assert (check.state, check.release_version) == ("logged", "0.1.0")
    assert services.transparency.releases.alerts() == []
    with pytest.raises(Conflict):
        services.transparency.releases.add("0.1.1", "a" * 64)
    with pytest.raises(InvalidInput):
        services.transparency.releases.add("0.2.0", "not-a-hash")


def test_staff_access_needs_a_registered_purpose_that_covers_the_scope(services: Services) -> None:
    access = services.transparency.access
    with pytest.raises(NotFound):
        access.record(role="analyst", purpose_id="curiosity", scope="minute_counts")
    access.add_purpose("calibration", name_de="Kalibrierung", name_en="Calibration", scopes=["minute_counts"])
    with pytest.raises(Conflict):
        access.record(role="analyst", purpose_id="calibration", scope="moderation_queue")
    grant = access.record(role="analyst", purpose_id="calibration", scope="minute_counts:domplatz-1")
    assert kinds(services) == ["purpose.registered", "staff.access"]
    assert access.recent()[0]["purpose_en"] == "Calibration"
    assert grant.scope == "minute_counts:domplatz-1"
    with pytest.raises(InvalidInput):
        access.add_purpose("everything", name_de="Alles", name_en="All", scopes=["raw_macs"])


def test_the_operator_commands_publish_log_and_check(
    services: Services,
    town: Callable[..., dict[str, str]],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    town("domplatz", "obstmarkt")
    monkeypatch.setenv("FREIWEG_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("FREIWEG_LOG_KEY", TEST_LOG_KEY)

    def run(*args: str) -> Any:
        return runner.invoke(cli_app, list(args), catch_exceptions=False)

    draft = run("disclosure", "draft", "domplatz-1")
    assert draft.exit_code == 0 and json.loads(draft.output)["sensor"] == "domplatz-1"
    path = tmp_path / "disclosure.json"
    path.write_text(draft.output, encoding="utf-8")
    assert "version 1" in run("disclosure", "publish", "domplatz-1", "--file", str(path)).output
    assert "published 1 disclosure(s): obstmarkt-1" in run("disclosure", "publish", "--all").output
    assert '"version": 1' in run("disclosure", "show", "obstmarkt-1").output
    assert run("release", "add", "0.1.0", "c" * 64, "--notes", "first").exit_code == 0
    assert "c" * 64 in run("release", "list").output
    assert run("release", "check").exit_code == 0
    assert (
        run(
            "log",
            "purpose-add",
            "calibration",
            "--de",
            "Kalibrierung",
            "--en",
            "Calibration",
            "--scope",
            "minute_counts",
        ).exit_code
        == 0
    )
    assert (
        "access logged"
        in run(
            "log", "access", "--role", "analyst", "--purpose", "calibration", "--scope", "minute_counts"
        ).output
    )
    refused = run("log", "access", "--role", "analyst", "--purpose", "curiosity", "--scope", "minute_counts")
    assert refused.exit_code == 1 and "not in the register" in refused.output
    shown = run("log", "show")
    assert "test.freiweg.example/freiweg-log" in shown.output and "staff.access" in shown.output
    assert run("log", "check").output.startswith("ok: 9 entries")
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    rejected = run("disclosure", "publish", "domplatz-1", "--file", str(bad))
    assert rejected.exit_code == 1 and "schema" in rejected.output


def test_keygen_makes_keys_that_load_and_serve_refuses_to_start_without_one(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from freiweg.services.log_keys import signer_from_text

    made = runner.invoke(cli_app, ["log", "keygen", "bamberg.example/freiweg-log"])
    assert made.exit_code == 0
    key_text = made.stdout.strip().splitlines()[0]
    assert signer_from_text(key_text).name == "bamberg.example/freiweg-log"
    witness = runner.invoke(cli_app, ["log", "keygen", "uni.example/witness", "--witness"])
    assert signer_from_text(witness.stdout.strip().splitlines()[0]).key_type == 0x04
    monkeypatch.setenv("FREIWEG_DATABASE_URL", database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    monkeypatch.delenv("FREIWEG_LOG_KEY", raising=False)
    monkeypatch.setenv("FREIWEG_DEMO", "0")
    refused = runner.invoke(cli_app, ["serve"])
    assert refused.exit_code == 1 and "FREIWEG_LOG_KEY" in refused.output
    monkeypatch.setenv("FREIWEG_LOG_KEY", "PRIVATE+KEY+x+00000000+AAAA")
    broken = runner.invoke(cli_app, ["serve"])
    assert broken.exit_code == 1 and "not a usable signing key" in broken.output
