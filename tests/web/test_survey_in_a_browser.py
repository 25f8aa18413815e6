"""The survey and the sensor-page check in a real headless Chromium, with scripts on and off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, FakeClock, area_feature, feature_collection
from tests.support.browser import CHROMIUM_ARGS, require_chromium
from tests.support.threaded_server import LiveServer, serving_in_a_thread

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(tmp_path: Path, clock: FakeClock) -> Iterator[LiveServer]:
    """uvicorn serving the app on SQLite and the test's clock, in a background thread."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'freiweg.db'}", secret_key=TEST_SECRET, demo=False
    )
    with serving_in_a_thread(settings, clock) as server:
        yield server


@pytest.fixture(params=[True, False], ids=["scripts-on", "scripts-off"])
def page(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A German phone-sized page in headless Chromium, with scripts on (as most visitors) and off.

    The forms need no script; with scripts on, any script error on the way fails the test.
    """
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(
            locale="de-DE", viewport={"width": 390, "height": 844}, java_script_enabled=request.param
        )
        opened = context.new_page()
        errors: list[str] = []
        opened.on("pageerror", lambda error: errors.append(str(error)))
        yield opened
        context.close()
        browser.close()
        assert errors == []


def test_a_resident_fills_in_the_survey_sees_the_thanks_and_the_month_of_ten_answers_is_published_when_over(
    live_server: LiveServer, page: Any, clock: FakeClock
) -> None:
    from playwright.sync_api import expect

    for i in range(9):  # nine earlier residents, each from their own connection
        live_server.services.survey.submit(
            answers=[("trust-honest", 4), ("understanding-phone-id", 3)],
            language="de",
            address=f"192.0.2.{i}",
        )
    page.goto(f"{live_server.base_url}/trust")
    expect(page.locator("td.figure-trust")).to_have_text("zu wenige Antworten")

    page.goto(f"{live_server.base_url}/survey")
    expect(page.locator("h1")).to_have_text("Umfrage")
    page.locator("#item-understanding-phone-id").get_by_label("Nein, er zählt nur").check()
    page.locator("#item-understanding-key").get_by_label("Ein paar Minuten").check()
    page.locator("#item-trust-honest").get_by_label("stimme eher zu").check()
    page.locator("#item-acceptance-continue").get_by_label("stimme voll zu").check()
    page.get_by_role("button", name="Antworten senden").click()

    expect(page.locator("h1")).to_have_text("Danke!")
    expect(page.get_by_role("status")).to_contain_text("mindestens 10 Antworten")
    page.get_by_role("link", name="Zu den Ergebnissen").click()

    expect(page).to_have_url(f"{live_server.base_url}/trust")
    expect(page.locator("td.figure-trust")).to_have_text("Monat läuft noch")
    clock.advance(days=18, hours=2)  # into July: June can no longer change, its figures appear
    page.reload()
    expect(page.locator("td.figure-trust")).to_have_text("75.0 (75.0–75.0)")
    expect(page.locator("td.figure-understanding")).to_contain_text("100.0")
    expect(page.locator("td.figure-acceptance")).to_have_text("zu wenige Antworten")
    expect(page.locator("svg.trust-chart circle.dot")).to_have_count(2)  # understanding and trust


def test_a_survey_sent_without_any_answer_comes_back_with_the_reason(
    live_server: LiveServer, page: Any
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_server.base_url}/survey?lang=en")
    page.get_by_role("button", name="Send answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Please answer at least one question.")
    assert live_server.services.survey.counts()["responses"] == 0


def test_a_resident_answers_the_sensor_page_check_and_sees_the_right_answer(
    live_server: LiveServer, page: Any
) -> None:
    from playwright.sync_api import expect

    services = live_server.services
    services.areas.import_areas(feature_collection(area_feature("obere-bruecke")))
    services.sensors.add("obere-bruecke-1", area_id="obere-bruecke", kind="wifi", interval_seconds=300)
    page.goto(f"{live_server.base_url}/sensors/obere-bruecke-1")
    check = page.locator("section.sensor-check")
    expect(check.get_by_role("heading", name="Kurz gefragt")).to_be_visible()
    question = check.get_by_role("group", name="Was verlässt diesen Kasten?")
    question.get_by_label("b) Kennungen der Telefone").check()  # a wrong answer: the page still teaches
    check.get_by_role("group", name="Hat Ihnen diese Seite geholfen?").get_by_label("ja").check()
    check.get_by_role("button", name="Antwort senden").click()

    page.wait_for_url("**/sensors/obere-bruecke-1?check=wrong*")
    expect(check.get_by_role("status")).to_have_text(
        "Ihre Antwort stimmt leider nicht – danke trotzdem! Richtig ist: Nur Zählwerte verlassen den "
        "Kasten, keine Kennungen, keine Fotos."
    )
    expect(check.get_by_role("button", name="Antwort senden")).to_have_count(0)
    expect(page.locator("#check")).to_be_in_viewport()
    assert services.survey.counts()["checks"] == 1
    [month] = services.survey.results()["checks"]
    assert month["correct"]["published"] is False  # one check stands behind it: nothing is shown

    page.goto(f"{live_server.base_url}/sensors/obere-bruecke-1?lang=en")
    page.locator("section.sensor-check").get_by_role("button", name="Send answer").click()
    expect(page.locator("section.sensor-check").get_by_role("alert")).to_have_text(
        "Please choose an answer or say whether the page helped."
    )
    assert services.survey.counts()["checks"] == 1
