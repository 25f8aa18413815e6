"""Operators manage guidance from the CLI: places, the walking graph from an OSM extract, quiet zones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from freiweg.cli import app
from freiweg.demo.runner import town_document
from tests.conftest import TEST_SECRET

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def cli_town(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite installation with the demo town's areas, configured through the environment."""
    monkeypatch.setenv("FREIWEG_DATABASE_URL", f"sqlite:///{tmp_path / 'freiweg.db'}")
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    areas = tmp_path / "town.geojson"
    areas.write_text(json.dumps(town_document()), encoding="utf-8")
    assert invoke("area", "import", str(areas)).exit_code == 0
    return tmp_path


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_a_place_is_added_listed_and_removed(cli_town: Path) -> None:
    added = invoke(
        "place", "add", "bamberger-dom", "--name-de", "Bamberger Dom", "--name-en", "Bamberg Cathedral",
        "--category", "church", "--area", "domplatz", "--lon", "10.8826", "--lat", "49.8909",
        "--opening-hours", "Mo-Sa 09:00-18:00; Su 13:00-18:00",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = json.loads(invoke("place", "list", "--json").output)
    assert [p["id"] for p in listed] == ["bamberger-dom"]
    assert invoke("place", "remove", "bamberger-dom").exit_code == 0
    assert json.loads(invoke("place", "list", "--json").output) == []


def test_bad_opening_hours_say_how_to_write_them_and_store_nothing(cli_town: Path) -> None:
    result = invoke(
        "place", "add", "dom", "--name-de", "Dom", "--name-en", "Cathedral", "--category", "church",
        "--area", "domplatz", "--lon", "10.88", "--lat", "49.89", "--opening-hours", "always open",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Mo-Fr 10:00-17:00" in result.output
    assert json.loads(invoke("place", "list", "--json").output) == []


def test_an_osm_extract_becomes_the_walking_graph_with_footways_tagged_by_area(cli_town: Path) -> None:
    result = invoke("graph", "import", str(FIXTURES / "bamberg-lanes.osm"))
    assert result.exit_code == 0, result.output
    # Ways 100-102 have six footways; the private service road and the river are left out.
    assert "6 junctions, 6 footways" in result.output
    from freiweg.bootstrap import build_services

    services = build_services()
    graph = services.guidance.places.graph()
    services.database.dispose()
    assert graph is not None
    assert {w.name for w in graph.footways} == {"Katzenberg", "Untere Brücke", "Obere Brücke"}
    assert any(w.area_id == "domplatz" for w in graph.footways)


def test_a_file_that_is_not_osm_changes_nothing(cli_town: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><way", encoding="utf-8")
    result = invoke("graph", "import", str(broken))
    assert result.exit_code == 1
    assert "cannot read broken.osm as OSM XML" in result.output


def test_a_quiet_zone_is_set_and_lifted(cli_town: Path) -> None:
    assert "is a quiet zone" in invoke("area", "quiet-zone", "sandstrasse").output
    assert "no longer a quiet zone" in invoke("area", "quiet-zone", "sandstrasse", "--off").output
    unknown = invoke("area", "quiet-zone", "atlantis")
    assert unknown.exit_code == 1 and "freiweg area list" in unknown.output
