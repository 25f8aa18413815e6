"""Area names on the Leaflet maps are shown as text in a real Chromium, never run as markup."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from freiweg.demo.runner import town_document
from tests.support.threaded_server import LiveServer
from tests.web.test_guidance_in_a_browser import (  # noqa: F401  (fixtures)
    WAIT_MS,
    browser,
    chromium_path,
    live_server,
    phone,
    town_server,
)

pytestmark = pytest.mark.browser
MARKUP = '<img id="injected" src="x" onerror="document.body.dataset.injected=1">Untere'


def test_an_area_name_with_markup_is_shown_as_text_on_the_route_map(
    browser: Any,  # noqa: F811
    town_server: LiveServer,  # noqa: F811
) -> None:
    document: dict[str, Any] = copy.deepcopy(town_document())
    for feature in document["features"]:
        if feature["properties"]["id"] == "untere-bruecke":
            feature["properties"]["name_de"] = MARKUP
    town_server.services.areas.import_areas(document)
    page = phone(browser)
    page.goto(f"{town_server.base_url}/route")
    page.select_option("#from", "bamberger-dom")
    page.select_option("#to", "gabelmann")
    page.click("button[type=submit]")
    page.wait_for_selector("#route-leaflet .area-label", timeout=WAIT_MS)
    labels = page.locator("#route-leaflet .area-label").all_inner_texts()
    assert any(MARKUP in label for label in labels)
    assert page.locator("#injected").count() == 0
    assert page.evaluate("document.body.dataset.injected") is None
