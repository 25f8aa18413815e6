"""Participation in a real headless Chromium: a resident asks on a sensor page, a moderator answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from freiweg.services.staff import StaffService
from tests.conftest import area_feature, feature_collection
from tests.support.threaded_server import LiveServer
from tests.web.test_home_page_in_a_browser import CHROMIUM_ARGS, chromium_path, live_server

pytestmark = pytest.mark.browser
__all__ = ["chromium_path", "live_server"]

QUESTION = "Warum hängt an der Oberen Brücke ein Kasten?"
ANSWER = "Das ist ein Zählsensor: Er meldet alle fünf Minuten nur eine Zahl."


@pytest.fixture
def browser(chromium_path: Path) -> Iterator[Any]:
    """Headless Chromium; each person gets a context of their own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def german_page(browser: Any) -> Any:
    """A German page in a fresh context that records script errors."""
    context = browser.new_context(locale="de-DE", viewport={"width": 820, "height": 1180})
    opened = context.new_page()
    opened.errors = []
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    return opened


def test_a_resident_asks_on_the_sensor_page_a_moderator_answers_and_the_answer_shows_there(
    live_server: LiveServer, browser: Any
) -> None:
    from playwright.sync_api import expect

    services = live_server.services
    services.areas.import_areas(feature_collection(area_feature("obere-bruecke")))
    services.sensors.add("obere-bruecke-1", area_id="obere-bruecke", kind="wifi", interval_seconds=300)
    services.transparency.access.add_purpose(
        "moderation", name_de="Beiträge moderieren", name_en="Moderate items", scopes=["moderation_queue"]
    )
    password = (
        StaffService(database=services.database, clock=services.clock).add("mo", role="moderator").password
    )
    sensor_page = f"{live_server.base_url}/sensors/obere-bruecke-1"

    resident = german_page(browser)
    resident.goto(sensor_page)
    resident.get_by_label("Ihr Beitrag (3 bis 2.000 Zeichen)").fill(QUESTION)
    resident.get_by_role("button", name="Absenden").click()
    resident.wait_for_url("**/sensors/obere-bruecke-1?feedback=sent*")
    expect(resident.locator(".feedback-notice")).to_have_text("Danke. Ihr Beitrag wartet auf die Moderation.")
    expect(resident.locator(".feedback-items")).to_have_count(0)

    moderator = german_page(browser)
    moderator.goto(f"{live_server.base_url}/console/moderation")
    moderator.fill("input[name=name]", "mo")
    moderator.fill("input[name=password]", str(password))
    moderator.click("button[type=submit]")
    moderator.wait_for_url("**/console/moderation")
    moderator.get_by_role("button", name="Warteschlange öffnen").click()
    item = moderator.locator(".moderation-queue .moderation-item").filter(has_text=QUESTION)
    expect(item).to_contain_text("sensor:obere-bruecke-1")
    item.get_by_role("button", name="Veröffentlichen").click()
    waiting = moderator.locator(".moderation-unanswered .moderation-item").filter(has_text=QUESTION)
    waiting.locator("textarea[name=text]").fill(ANSWER)
    waiting.get_by_role("button", name="Öffentlich antworten").click()
    expect(moderator.locator(".moderation-unanswered")).to_have_count(0)

    resident.goto(sensor_page)
    shown = resident.locator(".feedback-item").filter(has_text=QUESTION)
    expect(shown.locator(".feedback-answer")).to_contain_text(ANSWER)
    expect(shown).to_contain_text("beantwortet")
    assert resident.errors == [] and moderator.errors == []
    assert [r["scope"] for r in services.transparency.access.recent()] == ["moderation_queue"] * 3


FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), name: e.getAttribute("name") || "", text: e.textContent.trim(),
          form: e.form ? e.form.getAttribute("action") : null,
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1};
}"""


def tab_to(page: Any, wanted: Callable[[dict[str, Any]], bool], seen: list[dict[str, Any]]) -> dict[str, Any]:
    """Press Tab until the focused element is the wanted one; every element passed on the way is kept."""
    for _ in range(250):
        page.keyboard.press("Tab")
        focused: dict[str, Any] = page.evaluate(FOCUSED)
        seen.append(focused)
        if wanted(focused):
            return focused
    raise AssertionError(f"never reached by Tab; last focused: {seen[-5:]}")


def test_a_resident_sends_feedback_with_the_keyboard_alone_and_sees_where_the_focus_is(
    live_server: LiveServer, browser: Any
) -> None:
    from playwright.sync_api import expect

    services = live_server.services
    services.areas.import_areas(feature_collection(area_feature("obere-bruecke")))
    services.sensors.add("obere-bruecke-1", area_id="obere-bruecke", kind="wifi", interval_seconds=300)
    resident = german_page(browser)
    resident.goto(f"{live_server.base_url}/sensors/obere-bruecke-1")
    # Every control of the form has a name a screen reader reads out.
    form = resident.locator("form.feedback-form")
    expect(form.get_by_label("Art")).to_have_value("question")
    expect(form.get_by_label("Ihr Beitrag (3 bis 2.000 Zeichen)")).to_be_visible()

    seen: list[dict[str, Any]] = []
    kind = tab_to(resident, lambda f: f["name"] == "kind" and f["form"] == "/feedback", seen)
    assert kind["outline"], "the focused select shows no outline"
    resident.keyboard.press("ArrowDown")  # question → concern
    expect(form.get_by_label("Art")).to_have_value("concern")
    resident.keyboard.press("Tab")
    text = resident.evaluate(FOCUSED)
    assert (text["tag"], text["name"], text["outline"]) == ("textarea", "text", True)
    resident.keyboard.type("Zählt der Kasten auch nachts?")
    resident.keyboard.press("Tab")
    send = resident.evaluate(FOCUSED)
    assert (send["tag"], send["text"], send["outline"]) == ("button", "Absenden", True)
    resident.keyboard.press("Enter")

    resident.wait_for_url("**/sensors/obere-bruecke-1?feedback=sent#feedback")
    expect(resident.locator(".feedback-notice")).to_have_text("Danke. Ihr Beitrag wartet auf die Moderation.")
    assert not [f for f in seen if f["name"] == "website"], "the robot trap took the focus"
    with services.database.reading() as reader:
        rows = list(reader.connection.exec_driver_sql("SELECT kind, text FROM feedback_items"))
    assert [tuple(r) for r in rows] == [("concern", "Zählt der Kasten auch nachts?")]
    assert resident.errors == []


def test_a_script_sent_as_feedback_shows_as_text_and_never_runs(
    live_server: LiveServer, browser: Any
) -> None:
    from playwright.sync_api import expect

    services = live_server.services
    services.areas.import_areas(feature_collection(area_feature("obere-bruecke")))
    services.sensors.add("obere-bruecke-1", area_id="obere-bruecke", kind="wifi", interval_seconds=300)
    attack = '<script>window.hacked = 1</script><img src=x onerror="window.hacked = 2"> Frage?'
    receipt = services.feedback.submit(
        topic="sensor:obere-bruecke-1", kind="question", text=attack, language="de", source="192.0.2.1"
    )
    assert receipt is not None
    services.feedback.publish(receipt["id"])
    services.feedback.answer(
        receipt["id"], text='<a href="javascript:alert(1)">Antwort</a>', status="answered", language="de"
    )
    resident = german_page(browser)
    dialogs: list[str] = []
    resident.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    resident.goto(f"{live_server.base_url}/sensors/obere-bruecke-1")
    item = resident.locator(f"#item-{receipt['id']}")
    expect(item.locator(".feedback-text")).to_have_text(attack)
    expect(item.locator(".feedback-answer p").last).to_have_text('<a href="javascript:alert(1)">Antwort</a>')
    expect(item.locator("img, script, a[href^='javascript']")).to_have_count(0)
    assert resident.evaluate("() => window.hacked") is None
    assert dialogs == [] and resident.errors == []
