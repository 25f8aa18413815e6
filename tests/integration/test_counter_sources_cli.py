"""The counter sources' CLI: Paxcounters registered by DevEUI, calibration sessions and fits, rejections."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from freiweg.cli import app
from freiweg.services.lorawan import LorawanService
from freiweg.storage.unit_of_work import Database
from tests.conftest import TEST_SECRET, area_feature, feature_collection
from tests.ingest.conftest import fixture

runner = CliRunner()


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("FREIWEG_DATABASE_URL", database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    areas = tmp_path / "areas.geojson"
    areas.write_text(json.dumps(feature_collection(area_feature("domplatz"))), encoding="utf-8")
    assert invoke("area", "import", str(areas)).exit_code == 0
    return database_url


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_a_paxcounter_is_registered_by_its_dev_eui_with_its_send_cycle(cli_env: str) -> None:
    added = invoke(
        "sensor", "add", "domplatz-1", "--area", "domplatz", "--kind", "paxcounter",
        "--dev-eui", "70:b3:d5:7e:d0:05:a1:b2", "--cycle", "120", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "device 70B3D57ED005A1B2 counts for sensor domplatz-1" in added.output
    listed = json.loads(invoke("sensor", "list", "--json").output)
    assert listed[0]["interval_seconds"] == 120
    database = Database.from_url(cli_env)
    now = datetime.now(UTC)
    service = LorawanService(database=database, clock=lambda: now)
    uplink = fixture("ttn", "uplink.json")
    uplink["uplink_message"]["received_at"] = (now - timedelta(seconds=5)).isoformat()
    outcome = service.receive("ttn", uplink)
    database.dispose()
    assert outcome.outcome == "stored" and outcome.sensor == "domplatz-1"


def test_a_taken_or_malformed_dev_eui_registers_no_sensor(cli_env: str) -> None:
    invoke(
        "sensor",
        "add",
        "domplatz-1",
        "--area",
        "domplatz",
        "--kind",
        "paxcounter",
        "--dev-eui",
        "70B3D57ED005A1B2",
    )
    taken = invoke(
        "sensor",
        "add",
        "domplatz-2",
        "--area",
        "domplatz",
        "--kind",
        "paxcounter",
        "--dev-eui",
        "70B3D57ED005A1B2",
    )
    assert taken.exit_code == 1 and "already counts for a sensor" in taken.output
    malformed = invoke(
        "sensor", "add", "domplatz-3", "--area", "domplatz", "--kind", "paxcounter", "--dev-eui", "70B3"
    )
    assert malformed.exit_code == 1 and "not an EUI-64" in malformed.output
    listed = json.loads(invoke("sensor", "list", "--json").output)
    assert [s["id"] for s in listed] == ["domplatz-1"]


def test_calibration_sessions_are_recorded_fitted_and_shown(cli_env: str) -> None:
    invoke("sensor", "add", "domplatz-1", "--area", "domplatz", "--kind", "wifi")
    shown = invoke("calibration", "show", "domplatz-1")
    assert "UNCALIBRATED" in shown.output
    start = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
    for day in range(3):
        begin = start - timedelta(days=day)
        recorded = invoke(
            "calibration", "record", "domplatz-1", "--start", begin.isoformat(),
            "--end", (begin + timedelta(minutes=30)).isoformat(), "--people", "40",
        )  # fmt: skip
        assert recorded.exit_code == 0, recorded.output
    fitted = runner.invoke(app, ["calibration", "fit", "domplatz-1"])
    # No counts in those periods: the sensor saw nothing, so there is nothing to fit yet.
    assert fitted.exit_code == 1 and "0 usable session(s)" in fitted.output
    status = json.loads(invoke("calibration", "show", "domplatz-1", "--json").output)
    assert status["sessions"] == 3 and status["calibrated"] is False


def test_rejections_are_listed_with_their_reasons(cli_env: str) -> None:
    database = Database.from_url(cli_env)
    service = LorawanService(database=database, clock=lambda: datetime.now(UTC))
    service.receive("chirpstack", fixture("chirpstack", "uplink.json"))
    database.dispose()
    shown = invoke("ingest", "rejections")
    assert (
        "chirpstack" in shown.output
        and "unknown_device" in shown.output
        and "70B3D57ED005C3D4" in shown.output
    )
