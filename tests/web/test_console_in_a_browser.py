"""The console in a real headless Chromium on a tablet: sign in, register a sensor, see its token once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from freiweg.services.staff import StaffService
from tests.conftest import area_feature, feature_collection
from tests.web.test_home_page_in_a_browser import CHROMIUM_ARGS, LiveServer, chromium_path, live_server

pytestmark = pytest.mark.browser
__all__ = ["chromium_path", "live_server"]


@pytest.fixture
def tablet(chromium_path: Path) -> Iterator[Any]:
    """A German tablet-sized page in headless Chromium that records script errors."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="de-DE", viewport={"width": 820, "height": 1180}, has_touch=True)
        opened = context.new_page()
        opened.errors = []
        opened.on("pageerror", lambda error: opened.errors.append(str(error)))
        yield opened
        context.close()
        browser.close()


def test_an_editor_signs_in_registers_a_sensor_and_sees_its_token_only_once(
    live_server: LiveServer, tablet: Any
) -> None:
    services = live_server.services
    services.areas.import_areas(feature_collection(area_feature("domplatz")))
    password = (
        StaffService(database=services.database, clock=services.clock).add("anna", role="editor").password
    )
    tablet.goto(f"{live_server.base_url}/console/sensors")
    assert "/console/login" in tablet.url
    tablet.fill("input[name=name]", "anna")
    tablet.fill("input[name=password]", str(password))
    tablet.click("button[type=submit]")
    tablet.wait_for_url("**/console/sensors")
    assert tablet.get_by_text("Angemeldet als anna (editor)").is_visible()
    tablet.fill("input[name=sensor_id]", "dom-2")
    tablet.select_option("select[name=area]", "domplatz")
    tablet.get_by_role("button", name="Registrieren").click()
    token = tablet.locator("#token").inner_text()
    assert token.startswith("fwt_")
    assert "nur jetzt einmal" in tablet.content()
    tablet.goto(f"{live_server.base_url}/console/sensors")
    assert tablet.locator("#token").count() == 0
    assert token not in tablet.content()
    assert "dom-2" in tablet.content()
    assert [s.id for s in services.sensors.list_sensors()] == ["dom-2"]
    assert tablet.errors == []
