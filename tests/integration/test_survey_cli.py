"""`freiweg survey`: items listed, an item added (or refused with what to fix), results as published."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner, Result

from freiweg.cli import app
from tests.conftest import TEST_SECRET

runner = CliRunner()


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FREIWEG_DATABASE_URL", database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    return database_url


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_an_item_is_added_listed_and_its_results_withheld_until_ten_answers(cli_env: str) -> None:
    added = invoke(
        "survey", "add-item", "understanding-where", "--kind", "understanding",
        "--text-de", "Wo liegen die Zahlen?", "--text-en", "Where are the figures kept?",
        "--option", "Bei der Stadt | With the city", "--option", "Bei einer Werbefirma | With an ad company",
        "--correct", "1",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = json.loads(invoke("survey", "items", "--json").output)
    assert listed[-1]["id"] == "understanding-where" and listed[-1]["responses"] == 0
    assert "understanding-phone-id" in invoke("survey", "items").output
    results = json.loads(invoke("survey", "results", "--json").output)
    assert results["months"] == [] and results["threshold"] == 10
    assert invoke("survey", "results").output.strip() == "no answers yet"


def test_a_bad_item_is_refused_naming_each_field(cli_env: str) -> None:
    refused = runner.invoke(
        app,
        ["survey", "add-item", "Bad Id", "--kind", "understanding", "--text-de", "x", "--text-en", "y",
         "--option", "nur eine | only one"],
    )  # fmt: skip
    assert refused.exit_code == 1
    for field in ("id:", "options:", "correct:"):
        assert field in refused.output
    assert json.loads(invoke("survey", "items", "--json").output)[-1]["id"] == "page-help"


def test_every_survey_command_explains_itself() -> None:
    for command in ([], ["items"], ["add-item"], ["results"]):
        shown = runner.invoke(app, ["survey", *command, "--help"])
        assert shown.exit_code == 0 and "Usage" in shown.output
