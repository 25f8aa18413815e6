"""CSV import: a laser counter's export is imported once, bad rows skipped with a reason, nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from freiweg.cli import app
from freiweg.services.registry import Services
from tests.conftest import TEST_SECRET, count_rows

FIXTURES = Path(__file__).parent / "fixtures"
CSV = str(FIXTURES / "laser-counter.csv")
MAPPING = str(FIXTURES / "laser-counter.toml")
runner = CliRunner()


@pytest.fixture
def laser(
    town: Callable[..., dict[str, str]],
    services: Services,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """A passage sensor domplatz-laser, and the CLI pointed at the test database and clock's day."""
    town("domplatz")
    services.sensors.add("domplatz-laser", area_id="domplatz", kind="passage", interval_seconds=3600)
    monkeypatch.setenv("FREIWEG_DATABASE_URL", database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    return database_url


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_a_counter_export_is_imported_with_a_report_of_skipped_rows_and_a_reimport_adds_nothing(
    laser: str,
) -> None:
    first = invoke("import", "csv", CSV, "--mapping", MAPPING)
    assert first.exit_code == 0, first.output
    # 06, 07 and 09 o'clock (two directions each); the rest is skipped with its reason.
    assert "9 row(s) read, 3 imported, 6 skipped; 6 count(s) stored new, 0 already known" in first.output
    assert "no value in 'Richtung Dom' (e.g. line 4)" in first.output
    assert "repeats line 5" in first.output
    assert "time 'kaputt' is unreadable" in first.output
    assert "'n/a' in 'Richtung Dom' is not a whole number" in first.output
    assert "'-5' in 'Richtung Altstadt' is not a whole number" in first.output
    assert "the time lies in the future" in first.output
    again = invoke("ingest", "csv", CSV, "--mapping", MAPPING)
    assert "0 count(s) stored new, 6 already known" in again.output
    assert count_rows(laser) == 6
    engine = create_engine(laser)
    with engine.connect() as connection:
        rows = list(
            connection.execute(
                text(
                    "SELECT window_start, window_end, direction, value FROM counts"
                    " ORDER BY window_start, direction"
                )
            )
        )
        logged = connection.execute(
            text("SELECT count(*) FROM transparency_log WHERE kind = 'counts.imported'")
        )
        assert logged.scalar_one() == 1
    engine.dispose()
    # 06:00 in Bamberg in June is 04:00 UTC
    assert rows[0].window_start == 1781323200 and rows[0].window_end - rows[0].window_start == 3600
    assert [(r.direction, r.value) for r in rows[:2]] == [("in", 12), ("out", 9)]


def test_a_dry_run_reports_and_stores_nothing(laser: str) -> None:
    result = invoke("ingest", "csv", CSV, "--mapping", MAPPING, "--dry-run")
    assert "6 count(s) would be stored new" in result.output
    assert count_rows(laser) == 0


def test_a_mapping_with_mistakes_names_every_one(laser: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('kind = "crowd"\ndelimiter = ";;"\n[time]\nwindow_minutes = 90\n[values]\nleft = "x"\n')
    result = runner.invoke(app, ["ingest", "csv", CSV, "--mapping", str(bad)])
    assert result.exit_code == 1
    for words in ("time.column: is required", "kind: must be", "window_minutes", "values.left", "delimiter"):
        assert words in result.output


def test_a_file_without_the_mapped_columns_says_which_are_missing(laser: str, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("Datum;Anzahl\n13.06.2026 06:00;5\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "csv", str(other), "--mapping", MAPPING])
    assert result.exit_code == 1
    assert "no column 'Zeitstempel'; the file has 'Datum', 'Anzahl'" in result.output
    assert count_rows(laser) == 0


def test_rows_of_an_unknown_sensor_are_skipped(laser: str, tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        Path(MAPPING).read_text().replace('sensor = "domplatz-laser"', 'sensor_column = "Bemerkung"')
    )
    result = invoke("ingest", "csv", CSV, "--mapping", str(mapping))
    assert "skipped 1: sensor 'doppelt exportiert' does not exist (e.g. line 6)" in result.output
    assert "no sensor id" in result.output
    assert count_rows(laser) == 0
