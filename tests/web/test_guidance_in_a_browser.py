"""The guidance pages in a real headless Chromium: area, route, planner reservation, language switch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from freiweg.domain.counts import Count, CountKind
from freiweg.services.events import EventInput
from tests.conftest import FakeClock, presence
from tests.web.guidance_support import guided_town
from tests.web.test_home_page_in_a_browser import (  # noqa: F401  (fixtures)
    CHROMIUM_ARGS,
    LiveServer,
    chromium_path,
    live_server,
    send,
)

pytestmark = pytest.mark.browser
WAIT_MS = 10_000
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser(chromium_path: Path) -> Iterator[Any]:  # noqa: F811
    """Headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def town_server(live_server: LiveServer, clock: FakeClock) -> LiveServer:  # noqa: F811
    """The demo town with the bridge crowded and the Michaelsberg calm, counted just now."""
    services = live_server.services
    guided_town(services)
    for area_id, people in (
        ("obere-bruecke", 3000),
        ("domplatz", 4500),
        ("michelsberg", 20),
        ("untere-bruecke", 50),
    ):
        token = services.sensors.add(f"{area_id}-1", area_id=area_id, kind="wifi", interval_seconds=300).token
        send(live_server, token, presence(clock.now - timedelta(minutes=5), people))
    return live_server


def phone(browser: Any) -> Any:
    """A German phone-sized page."""
    context = browser.new_context(locale="de-DE", viewport=PHONE)
    offline(context)
    return context.new_page()


def offline(context: Any) -> None:
    """Refuse every request that leaves the machine (map tiles): pages must work without them."""
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())


def test_the_route_is_shown_around_the_crowded_bridge_on_the_map_and_as_steps(
    browser: Any, town_server: LiveServer
) -> None:
    page = phone(browser)
    page.goto(f"{town_server.base_url}/route")
    page.select_option("#from", "bamberger-dom")
    page.select_option("#to", "gabelmann")
    page.keyboard.press("Tab")
    page.click("button[type=submit]")
    page.wait_for_selector("ol.steps", timeout=WAIT_MS)
    steps = page.inner_text("ol.steps")
    assert "Obere Brücke" not in steps and "Untere Brücke" in steps
    assert "Obere Brücke und Altes Rathaus" in page.inner_text(".avoided")
    # Leaflet (served by freiweg itself) draws the areas and the route even without tiles.
    page.wait_for_selector("#route-leaflet path.leaflet-interactive", timeout=WAIT_MS)
    assert page.locator("#route-leaflet path.leaflet-interactive").count() >= 11  # ten areas and the route


def test_the_area_page_answers_how_busy_where_calmer_and_how_it_is_made(
    browser: Any, town_server: LiveServer
) -> None:
    page = phone(browser)
    page.goto(f"{town_server.base_url}/areas/domplatz")
    assert page.inner_text(".now-level") in ("voll", "sehr voll")
    assert "Michaelskirche statt Bamberger Dom" in page.inner_text("ul.quieter")
    page.click("a[href='/sensors/domplatz-1']")
    page.wait_for_url("**/sensors/domplatz-1", timeout=WAIT_MS)


def test_a_guide_reserves_a_proposed_slot_and_a_second_group_beyond_capacity_is_refused(
    browser: Any, town_server: LiveServer
) -> None:
    page = phone(browser)
    page.goto(f"{town_server.base_url}/planner?size=50&day=2026-06-15")
    page.check("input[value='altes-rathaus']")
    page.click("form[action='/planner'] button")
    page.wait_for_selector("ol.visits", timeout=WAIT_MS)
    # A second guide, also with 50 people, looks at the same proposal before the first one books it.
    other = phone(browser)
    other.goto(page.url)
    page.fill("#label", "Gruppe Rot")
    page.click("form[action='/planner/reserve'] button")
    assert "Reserviert." in page.inner_text(".message")
    other.fill("#label", "Gruppe Blau")
    other.click("form[action='/planner/reserve'] button")
    problem = other.inner_text(".problem")
    assert "Altes Rathaus ist um" in problem and "Uhr voll: 50 von" in problem
    assert "Reserviert." not in other.content()


def test_the_language_switch_works_and_is_remembered(browser: Any, town_server: LiveServer) -> None:
    page = phone(browser)
    page.goto(f"{town_server.base_url}/places")
    assert page.locator("h1").inner_text() == "Sehenswertes, Museen und Aussichtspunkte"
    page.click("#language-switch")
    page.wait_for_selector("html[lang=en]", timeout=WAIT_MS)
    page.goto(f"{town_server.base_url}/route")
    assert page.locator("h1").inner_text() == "On foot around the crowds"


@pytest.fixture
def forecast_town(live_server: LiveServer, clock: FakeClock) -> LiveServer:  # noqa: F811
    """The demo town with five weeks of hourly counts on the Domplatz, the Sandkerwa tomorrow
    afternoon entered as an event, and a forecast run made from both."""
    services = live_server.services
    guided_town(services)
    token = services.sensors.add("domplatz-1", area_id="domplatz", kind="wifi", interval_seconds=3600).token
    end = int(clock().timestamp()) // 3600 * 3600
    counts = [
        Count(t, t + 3600, CountKind.PRESENCE, 20 + 10 * (datetime.fromtimestamp(t, UTC).hour % 12))
        for t in range(end - 5 * 7 * 24 * 3600, end, 3600)
    ]
    services.intake.record_counts(token=token, counts=counts)
    zone = ZoneInfo(services.settings.timezone)
    tomorrow = clock().astimezone(zone).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(14), zone)
    services.events.add(EventInput("Sandkerwa", start, start + timedelta(hours=4), ("domplatz",), 2.0))
    assert services.forecasts is not None
    services.forecasts.refresh()
    return live_server


def test_the_area_chart_shows_the_forecast_with_its_text_alternative_and_an_event_as_reason(
    browser: Any, forecast_town: LiveServer
) -> None:
    page = phone(browser)
    page.goto(f"{forecast_town.base_url}/areas/domplatz")
    chart = page.locator("svg.chart")
    assert chart.get_attribute("role") == "img"
    assert chart.get_attribute("aria-labelledby") == "chart-title chart-desc"
    assert page.locator("#chart-title").text_content() == (
        "Personen heute und morgen: gemessen, erwartet mit Spanne, und der übliche Bereich"
    )
    description = page.locator("#chart-desc").text_content() or ""
    assert description.startswith("Zuletzt gemessen um 11:00") and "Vorhersage: am vollsten" in description
    assert page.locator(".chart-summary").inner_text() == description  # visible as text too
    # Drawn, not only present: the forecast line, its interval, the usual band and the measured line.
    for part in ("forecast-line", "forecast-band", "usual-band", "measured-line"):
        box = page.locator(f"svg.chart path.{part}").first.bounding_box()
        assert box is not None and box["width"] > 50, part
    assert page.locator("svg.chart rect.reason-mark").count() == 4  # 14, 15, 16 and 17 o'clock
    assert page.locator("ul.reasons").inner_text() == "morgen 14–18 Uhr: Veranstaltung: Sandkerwa"
    page.click("summary")
    row = page.locator("table.chart-table tr", has_text="morgen 15:00")
    assert "Veranstaltung: Sandkerwa" in row.inner_text()
    page.click("#language-switch")
    page.wait_for_selector("html[lang=en]", timeout=WAIT_MS)
    assert page.locator("ul.reasons").inner_text() == "tomorrow 14:00–18:00: event: Sandkerwa"
