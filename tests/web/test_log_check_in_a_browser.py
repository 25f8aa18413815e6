"""The log page's own check in a real Chromium: clean, then a changed, deleted or reordered row or a fork."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, FakeClock, area_feature, feature_collection
from tests.support.browser import CHROMIUM_ARGS, require_chromium
from tests.support.log_keys import TEST_LOG_KEY
from tests.support.postgres import free_port
from tests.support.threaded_server import serving_in_a_thread

pytestmark = pytest.mark.browser

WAIT_MS = 10_000


@contextmanager
def serving(database: Path, port: int, clock: FakeClock) -> Iterator[Services]:
    """The app on a SQLite file at a fixed loopback port, in a background thread."""
    settings = Settings(
        database_url=f"sqlite:///{database}", secret_key=TEST_SECRET, demo=False, log_key=TEST_LOG_KEY
    )
    with serving_in_a_thread(settings, clock, port=port) as server:
        yield server.services


@pytest.fixture
def browser_page() -> Iterator[Any]:
    """An English page in headless Chromium that records script errors."""
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-GB")
        opened = context.new_page()
        opened.errors = []
        opened.on("pageerror", lambda error: opened.errors.append(str(error)))
        yield opened
        context.close()
        browser.close()


def build_town(services: Services, *extra_sensors: str) -> None:
    services.areas.import_areas(
        feature_collection(area_feature("domplatz"), area_feature("obstmarkt", lon=10.89))
    )
    for sensor in ("domplatz-1", "obstmarkt-1", *extra_sensors):
        services.sensors.add(sensor, area_id=sensor.rsplit("-", 1)[0], kind="wifi")


def check(page: Any, url: str) -> tuple[str, str]:
    """Open the log page and wait for the browser's verdict."""
    page.goto(url)
    page.wait_for_function(
        "document.getElementById('log-check').dataset.state !== 'pending'", timeout=WAIT_MS
    )
    result = page.locator("#log-check")
    return str(result.get_attribute("data-state")), result.inner_text()


def execute(database: Path, *statements: str) -> None:
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


TAMPERING = {
    "changed": ("UPDATE transparency_log SET body = REPLACE(body, 'domplatz', 'rathaus') WHERE seq = 1",),
    "deleted": ("DELETE FROM transparency_log WHERE seq = 4",),
    "reordered": (
        "UPDATE transparency_log SET seq = 100 WHERE seq = 1",
        "UPDATE transparency_log SET seq = 1 WHERE seq = 2",
        "UPDATE transparency_log SET seq = 2 WHERE seq = 100",
    ),
}


def test_a_clean_log_is_verified_and_growth_is_recognised(
    browser_page: Any, tmp_path: Path, clock: FakeClock
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/transparency?lang=en"
    with serving(tmp_path / "freiweg.db", port, clock) as services:
        build_town(services)
        assert check(browser_page, url) == (
            "ok",
            "Verified: the log has 4 entries, all matching the signed state.",
        )
        assert (
            check(browser_page, url)[1] == "Verified: the log has 4 entries, unchanged since your last visit."
        )
        services.sensors.revoke("obstmarkt-1")
        state, words = check(browser_page, url)
        assert state == "ok" and "since your last visit (4 entries) only new ones were added" in words
        sensor_state, _ = check(browser_page, f"http://127.0.0.1:{port}/sensors/domplatz-1?lang=en")
        assert sensor_state == "ok"
    assert browser_page.errors == []


@pytest.mark.parametrize("tampering", sorted(TAMPERING))
def test_a_tampered_database_is_detected_in_the_browser(
    browser_page: Any, tmp_path: Path, clock: FakeClock, tampering: str
) -> None:
    port = free_port()
    database = tmp_path / "freiweg.db"
    url = f"http://127.0.0.1:{port}/transparency?lang=en"
    with serving(database, port, clock) as services:
        build_town(services)
        assert check(browser_page, url)[0] == "ok"
        execute(database, *TAMPERING[tampering])
        state, words = check(browser_page, url)
    assert state == "failed"
    assert words.startswith("Warning: the check failed.")


def test_a_forked_log_served_at_the_same_address_is_detected(
    browser_page: Any, tmp_path: Path, clock: FakeClock
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/transparency?lang=en"
    with serving(tmp_path / "freiweg.db", port, clock) as services:
        build_town(services)
        assert check(browser_page, url)[0] == "ok"
    # The same key now signs another history: first the sensors in another order, then one more.
    with serving(tmp_path / "fork.db", port, clock) as services:
        services.areas.import_areas(
            feature_collection(area_feature("obstmarkt", lon=10.89), area_feature("domplatz"))
        )
        for sensor in ("obstmarkt-1", "domplatz-1", "domplatz-2"):
            services.sensors.add(sensor, area_id=sensor.rsplit("-", 1)[0], kind="wifi")
        state, words = check(browser_page, url)
    assert state == "failed"
    assert "different history" in words
