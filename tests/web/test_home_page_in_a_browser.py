"""The live page in a real headless Chromium: it shows the areas and follows new counts without reloading."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import pytest

from freiweg.settings import Settings
from freiweg.web.presenters import LEVEL_COLOURS
from tests.conftest import TEST_SECRET, FakeClock, area_feature, bearer, feature_collection, presence
from tests.support.browser import CHROMIUM_ARGS, require_chromium
from tests.support.threaded_server import LiveServer, serving_in_a_thread

pytestmark = pytest.mark.browser

WAIT_MS = 10_000


@pytest.fixture
def chromium_path() -> Path:
    """Debian's Chromium; skipped when missing unless FREIWEG_REQUIRE_BROWSER says it must be there."""
    return require_chromium()


@pytest.fixture
def live_server(tmp_path: Path, clock: FakeClock) -> Iterator[LiveServer]:
    """uvicorn serving the app on SQLite and the test's clock, in a background thread."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'freiweg.db'}", secret_key=TEST_SECRET, demo=False
    )
    with serving_in_a_thread(settings, clock) as server:
        yield server


@pytest.fixture
def page(chromium_path: Path) -> Iterator[Any]:
    """A German phone-sized page in headless Chromium that records script errors."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
        opened = context.new_page()
        opened.errors = []
        opened.on("pageerror", lambda error: opened.errors.append(str(error)))
        yield opened
        context.close()
        browser.close()


def two_areas(server: LiveServer, clock: FakeClock) -> dict[str, str]:
    """Domplatz calm and Obstmarkt busy, each counted by one sensor just now; returns the tokens."""
    services = server.services
    services.areas.import_areas(
        feature_collection(
            area_feature("domplatz", name_de="Domplatz", name_en="Cathedral Square"),
            area_feature("obstmarkt", name_de="Obstmarkt", name_en="Fruit Market", lon=10.882),
        )
    )
    tokens = {}
    for area_id, people in (("domplatz", 100), ("obstmarkt", 400)):
        tokens[area_id] = services.sensors.add(
            f"{area_id}-1", area_id=area_id, kind="wifi", interval_seconds=300
        ).token
        send(server, tokens[area_id], presence(clock.now - timedelta(minutes=5), people))
    return tokens


def send(server: LiveServer, token: str, *counts: dict[str, Any]) -> None:
    """Push counts through the real HTTP intake."""
    answer = httpx.post(
        f"{server.base_url}/api/v1/counts", json={"counts": list(counts)}, headers=bearer(token)
    )
    assert answer.status_code == 200, answer.text


# What the page shows of each area: texts, colours, states and what is hidden.
PICTURE = """() => [...document.querySelectorAll("li.area, .map-area, .map-label")].map((e) => [
  e.getAttribute("class"), e.dataset.id, e.dataset.status ?? "", e.dataset.level ?? "",
  e.textContent.replace(/\\s+/g, " ").trim(),
  [...e.querySelectorAll("[fill]")].map((f) => f.getAttribute("fill")).join(" "),
  [...e.querySelectorAll("[hidden]")].map((h) => h.getAttribute("class")).join(" "),
])"""


def assert_it_matches_a_fresh_load(page: Any) -> None:
    """The in-place redraw shows exactly what the server renders on a new visit."""
    fresh = page.context.new_page()
    fresh.goto(page.url)
    assert page.evaluate(PICTURE) == fresh.evaluate(PICTURE)
    fresh.close()


def test_the_open_page_shows_a_new_level_without_reloading(
    live_server: LiveServer, clock: FakeClock, page: Any
) -> None:
    from playwright.sync_api import expect

    tokens = two_areas(live_server, clock)
    page.goto(f"{live_server.base_url}/?refresh=1")
    domplatz = page.locator("#area-domplatz")
    expect(domplatz.locator(".level-text")).to_have_text("ruhig")
    expect(domplatz.locator(".area-people")).to_have_text("ca. 100 Personen (50–200)")
    expect(domplatz.locator(".area-time")).to_have_text("Stand 12:00")
    expect(page.locator("#area-obstmarkt .level-text")).to_have_text("belebt")
    expect(page.locator('.map-label[data-id="domplatz"] .map-level')).to_have_text("ruhig")
    expect(page.locator(".live-note")).to_be_visible()
    page.evaluate("window.sameDocument = true")

    clock.advance(minutes=5)
    send(live_server, tokens["domplatz"], presence(clock.now - timedelta(minutes=5), 800))

    expect(domplatz.locator(".level-text")).to_have_text("sehr voll", timeout=WAIT_MS)
    expect(domplatz.locator(".area-people")).to_have_text("ca. 800 Personen (400–1.600)")
    expect(domplatz.locator(".area-time")).to_have_text("Stand 12:05")
    expect(page.locator('.map-label[data-id="domplatz"] .map-level')).to_have_text("sehr voll")
    expect(page.locator('.map-area[data-id="domplatz"] path')).to_have_attribute(
        "fill", LEVEL_COLOURS["very_crowded"]
    )
    # The Leaflet map follows too: label, colour, and what a screen reader hears.
    expect(page.locator('.live-label[data-id="domplatz"]')).to_have_text("1 sehr voll")
    leaflet_area = page.locator('#live-leaflet path[data-id="domplatz"]')
    expect(leaflet_area).to_have_attribute("fill", LEVEL_COLOURS["very_crowded"])
    expect(leaflet_area).to_have_attribute("aria-label", "1 Domplatz: sehr voll – Details öffnen")
    expect(page.locator("#data-time")).to_have_text("Neueste Daten: 12:05")
    expect(page.locator("#area-obstmarkt .level-text")).to_have_text("belebt")
    assert page.evaluate("window.sameDocument") is True, "the page reloaded"
    assert page.errors == []
    assert_it_matches_a_fresh_load(page)


def test_the_open_page_says_no_data_when_a_sensor_falls_silent(
    live_server: LiveServer, clock: FakeClock, page: Any
) -> None:
    from playwright.sync_api import expect

    two_areas(live_server, clock)
    page.goto(f"{live_server.base_url}/?refresh=1&lang=en")
    obstmarkt = page.locator("#area-obstmarkt")
    expect(obstmarkt.locator(".level-text")).to_have_text("busy")
    page.evaluate("window.sameDocument = true")

    clock.advance(minutes=30)

    expect(obstmarkt.locator(".level-text")).to_have_text("no data since 12:00", timeout=WAIT_MS)
    expect(obstmarkt.locator(".area-people")).to_be_hidden()
    expect(obstmarkt.locator(".area-time")).to_be_hidden()
    expect(page.locator('.map-label[data-id="obstmarkt"] .map-level')).to_have_text("no data")
    expect(page.locator('.map-area[data-id="obstmarkt"] path')).to_have_attribute("fill", "url(#no-data)")
    expect(page.locator('.live-label[data-id="obstmarkt"]')).to_have_text("2 no data")
    expect(page.locator('#live-leaflet path[data-id="obstmarkt"]')).to_have_attribute("fill", "url(#no-data)")
    assert page.evaluate("window.sameDocument") is True, "the page reloaded"
    assert page.errors == []
    assert_it_matches_a_fresh_load(page)


def demo_town(server: LiveServer, clock: FakeClock) -> list[str]:
    """The demo town's areas, each counted by one sensor just now except the last (never any data)."""
    town = json.loads(files("freiweg.demo").joinpath("town.geojson").read_text(encoding="utf-8"))
    server.services.areas.import_areas(town)
    ids = [feature["properties"]["id"] for feature in town["features"]]
    for number, area_id in enumerate(ids[:-1]):
        token = server.services.sensors.add(
            f"{area_id}-1", area_id=area_id, kind="wifi", interval_seconds=300
        ).token
        send(server, token, presence(clock.now - timedelta(minutes=5), 50 + 400 * number))
    return ids


def offline(page: Any, server: LiveServer) -> list[str]:
    """Refuse every request that would leave the machine; returns the refused addresses."""
    refused: list[str] = []

    def refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort()

    page.context.route(lambda url: not url.startswith(server.base_url), refuse)
    return refused


def test_the_leaflet_map_shows_every_demo_area_with_its_label_on_a_plain_background(
    live_server: LiveServer, clock: FakeClock, page: Any
) -> None:
    from playwright.sync_api import expect

    ids = demo_town(live_server, clock)
    refused = offline(page, live_server)
    page.goto(live_server.base_url + "/")
    labels = page.locator(".leaflet-tooltip.live-label")
    expect(labels).to_have_count(len(ids), timeout=WAIT_MS)
    expect(page.locator("svg.live-svg")).to_be_hidden()
    shown = {label.get_attribute("data-id"): label.inner_text().split() for label in labels.all()}
    listed = page.locator("li.area").all()
    assert set(shown) == set(ids) == {item.get_attribute("data-id") for item in listed}
    # Each label carries the area's number in the list and its level in the same words as the list.
    for number, item in enumerate(listed, start=1):
        level = item.locator(".level-text").inner_text()
        assert shown[item.get_attribute("data-id")] == [str(number), *level.split()]
    words = {" ".join(label[1:]) for label in shown.values()}
    assert {"ruhig", "belebt", "sehr voll", "kein Sensor"} <= words
    assert page.locator(".leaflet-tile").count() == 0 and refused == []
    assert page.locator("#data-time").inner_text() == "Neueste Daten: 12:00"
    assert page.errors == []


def test_an_area_on_the_map_opens_with_the_keyboard(
    live_server: LiveServer, clock: FakeClock, page: Any
) -> None:
    from playwright.sync_api import expect

    two_areas(live_server, clock)
    offline(page, live_server)
    page.goto(live_server.base_url + "/")
    area = page.locator('#live-leaflet path[data-id="obstmarkt"]')
    expect(area).to_have_attribute("tabindex", "0", timeout=WAIT_MS)
    expect(page.locator("#map-keys")).to_be_visible()
    for _ in range(40):  # tab through the page until the area has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset?.id") == "obstmarkt":
            break
    else:
        pytest.fail("the area on the map cannot be reached with the keyboard")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "2 Obstmarkt: belebt – Details öffnen"
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/areas/obstmarkt", timeout=WAIT_MS)


def test_the_first_load_of_the_live_page_transfers_under_300_kb(
    live_server: LiveServer, clock: FakeClock, page: Any
) -> None:
    demo_town(live_server, clock)
    offline(page, live_server)
    responses: list[Any] = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(live_server.base_url + "/", wait_until="networkidle")
    page.wait_for_selector(".leaflet-tooltip.live-label", timeout=WAIT_MS)
    sizes = {
        request.url.removeprefix(live_server.base_url): request.sizes()["responseBodySize"]
        + request.sizes()["responseHeadersSize"]
        for request in responses
    }
    total = sum(sizes.values())
    print(f"first load of / transferred {total} bytes: {sizes}")
    assert {"/", "/static/leaflet/leaflet.js", "/static/leaflet/leaflet.css"} <= set(sizes)
    assert total < 300_000
