"""The forecast and event commands: events in and out, forecasts shown, clear messages on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from freiweg.cli import app
from tests.conftest import TEST_SECRET, area_feature, feature_collection

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


def test_an_event_is_added_listed_and_removed(cli_env: str) -> None:
    added = invoke(
        "event",
        "add",
        "Sandkerwa",
        "--start",
        "2026-08-20T10:00:00",
        "--end",
        "2026-08-24T23:00:00",
        "--areas",
        "domplatz",
        "--effect",
        "2",
    )
    assert added.exit_code == 0, added.output
    listed = json.loads(invoke("event", "list", "--json").output)
    assert listed[0]["name"] == "Sandkerwa" and listed[0]["start"] == "2026-08-20T10:00:00+02:00"
    assert invoke("event", "remove", str(listed[0]["id"])).exit_code == 0
    missing = invoke("event", "remove", str(listed[0]["id"]))
    assert missing.exit_code == 1 and "event list" in missing.output


def test_a_bad_event_says_what_to_fix(cli_env: str) -> None:
    refused = invoke(
        "event", "add", "Match", "--start", "2026-08-20", "--end", "2026-08-19", "--areas", "nowhere"
    )
    assert refused.exit_code == 1
    assert "end: must be after the start" in refused.output
    assert "unknown area ids: nowhere" in refused.output


def test_show_and_refresh_explain_an_area_without_data(cli_env: str) -> None:
    refreshed = invoke("forecast", "refresh").output
    assert "forecast 0 areas" in refreshed and "0 sensors" in refreshed
    shown = invoke("forecast", "show", "domplatz")
    assert shown.exit_code == 1 and "no measurements yet" in shown.output
    assert "does not exist" in invoke("forecast", "show", "nowhere").output


def test_the_backtest_refuses_unknown_datasets_and_windows_outside_the_data() -> None:
    assert (
        "unknown dataset"
        in invoke(
            "forecast", "backtest", "--dataset", "x", "--start", "2025-01-01", "--end", "2025-02-01"
        ).output
    )
    outside = invoke("forecast", "backtest", "--start", "2030-01-01", "--end", "2030-02-01")
    assert outside.exit_code == 1 and "the data covers 2019-01-01" in outside.output
