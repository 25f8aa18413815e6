"""Disclosures in a real headless Chromium on a tablet: edit the purpose of a draft and publish it."""

from __future__ import annotations

from typing import Any

import pytest

from freiweg.services.staff import StaffService
from tests.conftest import area_feature, feature_collection
from tests.support.threaded_server import LiveServer
from tests.web.test_console_in_a_browser import sign_in_on, tablet
from tests.web.test_home_page_in_a_browser import chromium_path, live_server

pytestmark = pytest.mark.browser
__all__ = ["chromium_path", "live_server", "tablet"]


def test_an_editor_changes_the_purpose_in_the_browser_and_publishes_a_logged_version(
    live_server: LiveServer, tablet: Any
) -> None:
    page = tablet
    services = live_server.services
    services.areas.import_areas(feature_collection(area_feature("domplatz")))
    services.sensors.add("domplatz-1", area_id="domplatz", kind="wifi", interval_seconds=300)
    password = (
        StaffService(database=services.database, clock=services.clock).add("anna", role="editor").password
    )
    sign_in_on(page, live_server.base_url, "anna", str(password), "/console/disclosures")
    assert page.locator("td.disclosure-draft").count() == 1
    page.get_by_role("link", name="Bearbeiten").click()
    page.wait_for_url("**/console/disclosures/domplatz-1")
    purpose = page.locator("textarea[name='purpose.de']")
    assert purpose.evaluate("node => node === document.querySelector('#draft-form textarea')")
    purpose.fill("Zeigen, wie voll der Domplatz ist – für ruhigere Führungen.")
    page.get_by_role("button", name="Entwurf speichern").click()
    assert page.get_by_text("Entwurf gespeichert.").is_visible()
    assert services.transparency.disclosures.current("domplatz-1") is None
    page.get_by_role("button", name="Neue Fassung veröffentlichen").click()
    assert page.get_by_text("Fassung 1 veröffentlicht").is_visible()
    assert page.locator("#versions tbody tr").count() == 1
    current = services.transparency.disclosures.current("domplatz-1")
    assert current is not None and current.document["purpose"]["de"].endswith("für ruhigere Führungen.")
    assert page.errors == []
