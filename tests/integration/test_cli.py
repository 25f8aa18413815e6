"""The operator CLI: help everywhere, area import with clear errors, sensor tokens shown once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from freiweg.cli import app
from freiweg.services.tokens import hash_token
from tests.conftest import TEST_SECRET, area_feature, feature_collection

runner = CliRunner()


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FREIWEG_DATABASE_URL", database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    return database_url


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


def all_command_paths(command: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            paths += all_command_paths(sub, (*prefix, name))
    return paths


def test_every_command_and_subcommand_has_help() -> None:
    paths = all_command_paths(typer.main.get_command(app))
    assert ("sensor", "add") in paths and ("area", "import") in paths and ("serve",) in paths
    for path in paths:
        result = invoke(*path, "--help")
        assert result.exit_code == 0, path
        assert "Usage" in result.output


def write(tmp_path: Path, document: object) -> str:
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_areas_are_imported_from_geojson_and_a_second_import_changes_them(
    cli_env: str, tmp_path: Path
) -> None:
    path = write(tmp_path, feature_collection(area_feature("domplatz"), area_feature("obstmarkt", lon=10.89)))
    result = invoke("area", "import", path)
    assert result.exit_code == 0, result.output
    assert "2 area(s) created, 0 changed" in result.output
    path = write(tmp_path, feature_collection(area_feature("domplatz", walkable_m2=900)))
    assert "0 area(s) created, 1 changed" in invoke("area", "import", path).output
    listed = json.loads(invoke("area", "list", "--json").output)
    assert [a["id"] for a in listed] == ["domplatz", "obstmarkt"]


def test_a_bad_area_file_names_each_problem_and_imports_nothing(cli_env: str, tmp_path: Path) -> None:
    good = area_feature("domplatz")
    no_name = area_feature("obstmarkt")
    del no_name["properties"]["name_en"]
    bowtie = area_feature("sandstrasse")
    bowtie["geometry"]["coordinates"] = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]
    open_ring = area_feature("markt")
    open_ring["geometry"]["coordinates"][0].pop()
    result = runner.invoke(
        app, ["area", "import", write(tmp_path, feature_collection(good, no_name, bowtie, open_ring))]
    )
    assert result.exit_code == 1
    assert "feature 1: properties.name_en: is missing" in result.output
    assert "feature 2: geometry: invalid polygon: Self-intersection" in result.output
    assert "feature 3: geometry.coordinates[0]: a ring must be closed" in result.output
    assert json.loads(invoke("area", "list", "--json").output) == []


def test_a_file_that_is_not_json_gets_a_clear_message(cli_env: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["area", "import", str(path)])
    assert result.exit_code == 1
    assert "is not valid JSON" in result.output


def test_a_sensor_token_is_printed_once_and_only_its_hash_is_stored(cli_env: str, tmp_path: Path) -> None:
    invoke("area", "import", write(tmp_path, feature_collection(area_feature("domplatz"))))
    result = invoke("sensor", "add", "domplatz-1", "--area", "domplatz", "--kind", "wifi", "--json")
    issued = json.loads(result.stdout)
    assert issued["id"] == "domplatz-1" and issued["token"].startswith("fwt_")
    from sqlalchemy import create_engine, text

    engine = create_engine(cli_env)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM sensors")).scalar_one()
        dump = " ".join(str(row) for row in connection.execute(text("SELECT * FROM sensors")))
        log = " ".join(str(row) for row in connection.execute(text("SELECT body FROM transparency_log")))
    engine.dispose()
    assert stored == hash_token(issued["token"])
    assert issued["token"] not in dump and issued["token"] not in log


def test_rotating_and_revoking_tokens_from_the_cli(cli_env: str, tmp_path: Path) -> None:
    invoke("area", "import", write(tmp_path, feature_collection(area_feature("domplatz"))))
    first = json.loads(
        invoke("sensor", "add", "d-1", "--area", "domplatz", "--kind", "paxcounter", "--json").stdout
    )
    second = json.loads(invoke("sensor", "rotate-token", "d-1", "--json").stdout)
    assert first["token"] != second["token"]
    assert "revoked" in invoke("sensor", "revoke", "d-1").output
    again = runner.invoke(app, ["sensor", "revoke", "d-1"])
    assert again.exit_code == 1 and "is revoked" in again.output
    listed = json.loads(invoke("sensor", "list", "--json").output)
    assert listed[0]["status"] == "revoked"


def test_adding_a_sensor_says_what_to_fix(cli_env: str, tmp_path: Path) -> None:
    invoke("area", "import", write(tmp_path, feature_collection(area_feature("domplatz"))))
    unknown_area = runner.invoke(app, ["sensor", "add", "x-1", "--area", "nowhere", "--kind", "wifi"])
    assert unknown_area.exit_code == 1 and "area 'nowhere' does not exist" in unknown_area.output
    unknown_kind = runner.invoke(app, ["sensor", "add", "x-1", "--area", "domplatz", "--kind", "radar"])
    assert unknown_kind.exit_code == 1 and "unknown kind 'radar'" in unknown_kind.output
    bad_id = runner.invoke(app, ["sensor", "add", "X 1", "--area", "domplatz", "--kind", "wifi"])
    assert bad_id.exit_code == 1 and "is not a valid id" in bad_id.output


def test_serve_refuses_to_start_with_the_default_secret_outside_demo_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FREIWEG_SECRET_KEY", raising=False)
    monkeypatch.setenv("FREIWEG_DEMO", "0")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 1
    assert "FREIWEG_SECRET_KEY" in result.output


def test_db_upgrade_creates_the_schema(cli_env: str) -> None:
    result = invoke("db", "upgrade")
    assert result.exit_code == 0 and "newest schema" in result.output
