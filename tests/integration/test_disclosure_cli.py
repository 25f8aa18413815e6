"""`freiweg disclosure`: the same drafts, publications and history as the console."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner, Result

from freiweg.bootstrap import build_services
from freiweg.cli import app
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, area_feature, feature_collection

runner = CliRunner()


@pytest.fixture
def installed(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    """A database with one sensor, and the CLI's environment pointing at it."""
    monkeypatch.setenv("FREIWEG_DATABASE_URL", database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    services = build_services(Settings(database_url=database_url, secret_key=TEST_SECRET))
    services.areas.import_areas(feature_collection(area_feature("domplatz")))
    services.sensors.add("domplatz-1", area_id="domplatz", kind="passage", interval_seconds=300)
    yield services
    services.database.dispose()


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_a_draft_edited_on_the_command_line_is_published_and_listed_in_the_history(
    installed: Services,
) -> None:
    assert json.loads(invoke("disclosure", "list", "--json").stdout)[0]["status"] == "draft"
    fields = invoke("disclosure", "fields").stdout.split()
    assert fields[:2] == ["purpose.de", "purpose.en"]
    edited = invoke(
        "disclosure",
        "edit",
        "domplatz-1",
        "--set",
        "purpose.en=Count passers-by at the cathedral steps.",
        "--set",
        "access.third_parties=false",
        "--by",
        "anna",
    )
    assert edited.exit_code == 0, edited.output
    [row] = json.loads(invoke("disclosure", "list", "--json").stdout)
    assert (row["status"], row["draft_saved_by"], row["version"]) == ("draft", "anna", None)
    draft = json.loads(invoke("disclosure", "draft", "domplatz-1").stdout)
    assert draft["purpose"]["en"] == "Count passers-by at the cathedral steps."
    assert invoke("disclosure", "publish", "domplatz-1").exit_code == 0
    history = json.loads(invoke("disclosure", "history", "domplatz-1", "--json").stdout)
    assert [h["version"] for h in history] == [1] and history[0]["log_seq"] > 0
    current = installed.transparency.disclosures.current("domplatz-1")
    assert current is not None and current.document["purpose"]["en"].startswith("Count passers-by")
    assert json.loads(invoke("disclosure", "list", "--json").stdout)[0]["status"] == "published"


def test_an_unknown_or_emptied_field_is_refused_and_nothing_is_saved(installed: Services) -> None:
    refused = invoke("disclosure", "edit", "domplatz-1", "--set", "colour.en=blue", "--set", "purpose.de=")
    assert refused.exit_code == 1
    assert "colour.en" in refused.output and "purpose" in refused.output
    assert json.loads(invoke("disclosure", "list", "--json").stdout)[0]["draft_saved_by"] is None
    assert invoke("disclosure", "history", "nowhere-1").exit_code == 1
