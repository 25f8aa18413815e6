"""Count sessions from the CLI: listed and corrected like on the console, with each field checked."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from freiweg.cli import app
from tests.conftest import TEST_SECRET, area_feature, feature_collection

runner = CliRunner()


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("FREIWEG_DATABASE_URL", database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    areas = tmp_path / "areas.geojson"
    areas.write_text(json.dumps(feature_collection(area_feature("domplatz"))), encoding="utf-8")
    assert runner.invoke(app, ["area", "import", str(areas)]).exit_code == 0
    assert runner.invoke(app, ["sensor", "add", "d-1", "--area", "domplatz", "--kind", "wifi"]).exit_code == 0
    return database_url


def test_a_recorded_session_is_listed_and_corrected_from_the_cli(cli_env: str) -> None:
    begin = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0, tzinfo=None)
    end = begin + timedelta(minutes=30)
    recorded = runner.invoke(
        app,
        [
            "calibration",
            "record",
            "d-1",
            "--start",
            begin.isoformat(),
            "--end",
            end.isoformat(),
            "--people",
            "40",
        ],
    )
    assert recorded.exit_code == 0, recorded.output
    listed = json.loads(runner.invoke(app, ["calibration", "sessions", "d-1", "--json"]).output)
    assert [(s["people"], s["devices"]) for s in listed] == [(40, 0.0)]
    number = str(listed[0]["id"])
    times = ["--start", begin.isoformat(), "--end", end.isoformat()]
    corrected = runner.invoke(
        app, ["calibration", "edit", number, *times, "--people", "44", "--note", "recounted from the video"]
    )
    assert corrected.exit_code == 0 and f"session {number} of sensor d-1 corrected" in corrected.output
    listed = json.loads(runner.invoke(app, ["calibration", "sessions", "d-1", "--json"]).output)
    assert (listed[0]["people"], listed[0]["note"]) == (44, "recounted from the video")
    backwards = runner.invoke(
        app,
        [
            "calibration",
            "edit",
            number,
            "--start",
            end.isoformat(),
            "--end",
            begin.isoformat(),
            "--people",
            "1",
        ],
    )
    assert backwards.exit_code == 1 and "end: must be after start" in backwards.output
    missing = runner.invoke(
        app,
        [
            "calibration",
            "edit",
            "9999",
            "--start",
            begin.isoformat(),
            "--end",
            end.isoformat(),
            "--people",
            "1",
        ],
    )
    assert missing.exit_code == 1 and "does not exist" in missing.output
