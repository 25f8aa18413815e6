"""Retiring a sensor: no more counts, history and public page kept, no false zero, logged, CLI parity."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from freiweg.cli import app
from freiweg.domain.errors import Conflict, NotFound
from freiweg.services.registry import Services
from tests.conftest import TEST_SECRET, FakeClock, area_feature, bearer, feature_collection, presence
from tests.support.console import signed_in

runner = CliRunner()


def log_kinds(services: Services, subject: str) -> list[str]:
    """The kinds of transparency-log entries about subject."""
    with services.database.reading() as uow:
        return [kind for _, kind, _ in uow.log.about(subject)]


def test_a_retired_sensor_accepts_no_counts_but_keeps_its_history_and_its_page(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz")
    counted = {"counts": [presence(clock.now, 40)]}
    assert (
        client.post("/api/v1/counts", json=counted, headers=bearer(tokens["domplatz-1"])).status_code == 200
    )
    clock.advance(minutes=5)
    retired_at = services.sensors.retire("domplatz-1")

    later = {"counts": [presence(clock.now, 41)]}
    assert client.post("/api/v1/counts", json=later, headers=bearer(tokens["domplatz-1"])).status_code == 401
    page = client.get("/sensors/domplatz-1.json").json()
    assert page["sensor"]["status"] == "retired"
    assert page["sensor"]["retired_at"] == retired_at
    assert page["live"]["last_count"]["value"] == 40
    assert [e["kind"] for e in page["log"]][-1] == "sensor.retired"
    html = client.get("/sensors/domplatz-1", headers={"accept-language": "de"}).text
    assert "außer Betrieb" in html and "Sensor außer Betrieb genommen" in html
    assert log_kinds(services, "sensor:domplatz-1")[-1] == "sensor.retired"


def test_an_area_whose_only_sensor_retired_says_it_has_no_sensor_rather_than_zero(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz")
    counted = {"counts": [presence(clock.now, 40)]}
    client.post("/api/v1/counts", json=counted, headers=bearer(tokens["domplatz-1"]))
    clock.advance(minutes=5)
    before = client.get("/api/v1/areas/domplatz").json()
    assert before["status"] == "live" and before["people"] is not None
    services.sensors.retire("domplatz-1")
    after = client.get("/api/v1/areas/domplatz").json()
    assert after["status"] == "no_sensor"
    assert after["people"] is None and after["level"] is None
    assert after["sensors"] == {"live": 0, "silent": 0}


def test_retiring_twice_or_an_unknown_sensor_is_refused_and_logs_nothing_more(
    services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    services.sensors.revoke("domplatz-1")
    services.sensors.retire("domplatz-1")
    with pytest.raises(Conflict):
        services.sensors.retire("domplatz-1")
    with pytest.raises(NotFound):
        services.sensors.retire("nowhere-1")
    assert log_kinds(services, "sensor:domplatz-1") == ["sensor.added", "sensor.revoked", "sensor.retired"]


def test_an_editor_retires_a_sensor_from_the_console_after_confirming(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    page = client.get("/console/sensors", headers={"accept-language": "en"}).text
    assert 'action="/console/sensors/domplatz-1/retire"' in page and "data-confirm=" in page
    assert client.post("/console/sensors/domplatz-1/retire").status_code == 403
    answer = client.post("/console/sensors/domplatz-1/retire", data={"csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    listed = client.get("/console/sensors.json").json()["sensors"]
    assert listed[0]["status"] == "retired"
    again = client.post("/console/sensors/domplatz-1/retire", data={"csrf": csrf})
    assert again.status_code == 409 and "already retired" in again.text


def test_the_cli_retires_a_sensor_like_the_console(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FREIWEG_DATABASE_URL", database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    areas = tmp_path / "areas.geojson"
    areas.write_text(json.dumps(feature_collection(area_feature("domplatz"))), encoding="utf-8")
    assert runner.invoke(app, ["area", "import", str(areas)]).exit_code == 0
    assert runner.invoke(app, ["sensor", "add", "d-1", "--area", "domplatz", "--kind", "wifi"]).exit_code == 0
    retired = runner.invoke(app, ["sensor", "retire", "d-1"])
    assert retired.exit_code == 0 and "sensor d-1 retired" in retired.output
    again = runner.invoke(app, ["sensor", "retire", "d-1"])
    assert again.exit_code == 1 and "already retired" in again.output
    listed = json.loads(runner.invoke(app, ["sensor", "list", "--json"]).output)
    assert listed[0]["status"] == "retired"
