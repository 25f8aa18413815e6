"""The console in a real headless Chromium on a tablet: from an invitation to a fired alert and a backup."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from freiweg.bootstrap import build_services
from freiweg.demo.runner import town_document
from freiweg.services.staff import StaffService
from freiweg.settings import Settings
from freiweg.storage.backup import backup, restore
from tests.conftest import TEST_SECRET, FakeClock, area_feature, bearer, feature_collection, presence
from tests.integration.test_backup import contents
from tests.support.threaded_server import LiveServer
from tests.support.webhooks import Hook
from tests.web.test_home_page_in_a_browser import CHROMIUM_ARGS, chromium_path, live_server

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


def sign_in_on(page: Any, base_url: str, name: str, password: str, target: str) -> None:
    """Open a console page, get sent to the login form, sign in and land on the page."""
    page.goto(f"{base_url}{target}")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"**{target}")


def test_an_editor_draws_an_area_by_tapping_its_corners_on_the_map(
    live_server: LiveServer, tablet: Any
) -> None:
    services = live_server.services
    services.areas.import_areas(feature_collection(area_feature("domplatz")))
    password = (
        StaffService(database=services.database, clock=services.clock).add("anna", role="editor").password
    )
    sign_in_on(tablet, live_server.base_url, "anna", str(password), "/console/areas")
    box = tablet.locator("#area-map")
    box.locator(".leaflet-interactive").first.wait_for()  # the existing area is on the map
    bounds = box.bounding_box()
    corners = [(0.2, 0.2), (0.4, 0.2), (0.9, 0.9), (0.4, 0.4), (0.2, 0.4)]
    for x, y in corners:
        tablet.mouse.click(bounds["x"] + bounds["width"] * x, bounds["y"] + bounds["height"] * y)
    assert tablet.locator("#draw-count").inner_text() == "5"
    tablet.get_by_role("button", name="Letzten Punkt entfernen").click()
    tablet.get_by_role("button", name="Letzten Punkt entfernen").click()
    tablet.mouse.click(bounds["x"] + bounds["width"] * 0.2, bounds["y"] + bounds["height"] * 0.4)
    assert tablet.locator("#draw-count").inner_text() == "4"
    tablet.fill("input[name=area_id]", "obstmarkt")
    tablet.fill("input[name=name_de]", "Obstmarkt")
    tablet.fill("input[name=name_en]", "Fruit market")
    tablet.check("input[name=quiet_zone]")
    tablet.locator("#area-form").get_by_role("button", name="Speichern").click()
    assert tablet.get_by_text("1 Gebiete neu, 0 geändert.").is_visible()
    drawn = next(a for a in services.areas.list_areas() if a.id == "obstmarkt")
    ring = drawn.rings[0]
    assert len(ring) == 5 and ring[0] == ring[-1] and drawn.quiet_zone is True
    # Screen left to right is west to east, top to bottom north to south.
    assert ring[1][0] > ring[0][0] and ring[3][1] < ring[0][1]
    assert tablet.errors == []


def test_an_invited_editor_sets_up_a_sensor_an_event_and_an_alert_that_fires_and_the_backup_restores(
    live_server: LiveServer, tablet: Any, clock: FakeClock, tmp_path: Path
) -> None:
    services = live_server.services
    base = live_server.base_url
    services.areas.import_areas(town_document())
    domplatz = next(a for a in services.areas.list_areas() if a.id == "domplatz")
    admin = StaffService(database=services.database, clock=services.clock).add("root", role="admin").password

    # The admin invites a new member, who sets a password and signs in.
    sign_in_on(tablet, base, "root", str(admin), "/console/staff")
    tablet.fill("input[name=name]", "ben")
    tablet.select_option("select[name=role]", "editor")
    tablet.check("input[name=invite]")
    tablet.get_by_role("button", name="Hinzufügen").click()
    link = tablet.locator("p.token").inner_text().split(": ", 1)[1].strip()
    assert "/console/invite/" in link
    tablet.get_by_role("button", name="Abmelden").click()
    tablet.goto(link.replace(services.settings.public_url.rstrip("/"), base))
    tablet.fill("input[name=password]", "Sandkerwa-2026-Domplatz")
    tablet.get_by_role("button", name="Passwort festlegen").click()
    assert tablet.get_by_text("Passwort gesetzt").is_visible()
    sign_in_on(tablet, base, "ben", "Sandkerwa-2026-Domplatz", "/console/sensors")

    # A sensor: registered, its token shown once, its disclosure published and its sign printed.
    tablet.fill("input[name=sensor_id]", "dom-9")
    tablet.select_option("select[name=area]", "domplatz")
    tablet.select_option("select[name=kind]", "paxcounter")
    tablet.fill("input[name=interval]", "60")
    tablet.get_by_role("button", name="Registrieren").click()
    token = tablet.locator("#token").inner_text()
    tablet.get_by_role("button", name="Offenlegung veröffentlichen").click()
    tablet.get_by_role("link", name="Schild drucken").click()
    assert "dom-9" in tablet.content() and "data:image/svg+xml;base64," in tablet.content()

    # An event, and an alert rule with a webhook.
    tablet.goto(f"{base}/console/events")
    tablet.fill("input[name=name]", "Sandkerwa")
    tablet.fill("input[name=start]", "2026-08-20T18:00")
    tablet.fill("input[name=end]", "2026-08-24T23:00")
    tablet.get_by_role("button", name="Hinzufügen").click()
    assert "Sandkerwa" in tablet.locator("table").inner_text()
    hook = Hook()
    try:
        tablet.goto(f"{base}/console/alerts")
        tablet.select_option("select[name=kind]", "area_level")
        tablet.fill("input[name=subject]", "domplatz")
        tablet.fill("input[name=threshold]", "crowded")
        tablet.fill("input[name=minutes]", "0")
        tablet.select_option("select[name=channel]", "webhook")
        tablet.fill("input[name=target]", hook.url)
        tablet.get_by_role("button", name="Hinzufügen").click()
        assert "crowded" in tablet.locator("table").first.inner_text()

        def push(people_per_m2: float) -> None:
            value = int(domplatz.walkable_m2 * people_per_m2)
            answer = httpx.post(
                f"{base}/api/v1/counts",
                json={"counts": [presence(clock.now - timedelta(minutes=1), value, minutes=1)]},
                headers=bearer(token),
            )
            assert answer.status_code == 200, answer.text

        thresholds = domplatz.thresholds
        push(thresholds.calm / 2)
        tablet.get_by_role("button", name="Jetzt prüfen").click()
        assert hook.bodies == []
        clock.advance(minutes=1)
        push((thresholds.busy + thresholds.crowded) / 2)  # the demo square crosses into "crowded"
        tablet.get_by_role("button", name="Jetzt prüfen").click()
        assert [(b["state"], b["kind"], b["subject"]) for b in hook.bodies] == [
            ("open", "area_level", "domplatz")
        ]
    finally:
        hook.stop()

    # The sensor stops: live after one interval, silent once two have passed.
    clock.advance(seconds=60)
    tablet.goto(f"{base}/console/health")
    assert tablet.locator("td.live").count() == 1
    clock.advance(seconds=61)
    tablet.reload()
    assert tablet.locator("td.silent").count() == 1 and tablet.locator("td.live").count() == 0
    assert tablet.errors == []

    # A backup of all this restores into a fresh database unchanged.
    path = tmp_path / "console.backup"
    backup(services.database, path)
    restored = build_services(
        Settings(database_url=f"sqlite:///{tmp_path / 'restored.db'}", secret_key=TEST_SECRET), clock=clock
    )
    try:
        restore(restored.database, path)
        copied = contents(restored.database)
        assert copied == contents(services.database)
        assert {row[1] for row in copied["staff"]} >= {"root", "ben"} and copied["alerts"]
    finally:
        restored.database.dispose()
