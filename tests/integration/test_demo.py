"""The demo old town: real areas, simulated sensors fed through the real HTTP intake, labelled demo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from freiweg.bootstrap import build_services
from freiweg.demo.runner import DemoFeeder, demo_settings, prepare_town
from freiweg.demo.sensors import DEMO_SENSORS
from freiweg.demo.simulation import window_starts
from tests.support.server import start_server

pytestmark = pytest.mark.slow


def test_the_demo_town_is_fed_through_the_http_intake_and_labelled_demo(tmp_path) -> None:
    settings = demo_settings(tmp_path)
    services = build_services(settings)
    tokens = prepare_town(services)
    services.database.dispose()
    assert set(tokens) == {s.id for s in DEMO_SENSORS}
    server = start_server(settings.database_url, demo=True)
    try:
        feeder = DemoFeeder(server.base_url, tokens, ZoneInfo(settings.timezone))
        now = datetime.now(UTC)
        first = feeder.feed(now - timedelta(hours=6), now)
        assert first > 0
        # feeding the same span again stores nothing twice
        feeder.sent_until.clear()
        assert feeder.feed(now - timedelta(hours=6), now) == 0
        overview = httpx.get(f"{server.base_url}/api/v1/areas").json()
        assert overview["demo"] is True
        assert len(overview["areas"]) == 10
        names = {a["name"]["de"] for a in overview["areas"]}
        assert {"Domplatz", "Grüner Markt", "Maximiliansplatz", "Untere Brücke"} <= names
        live = [a for a in overview["areas"] if a["status"] in ("live", "partial")]
        assert len(live) >= 9
        assert all(a["people"]["low"] <= a["people"]["estimate"] <= a["people"]["high"] for a in live)
        page = httpx.get(f"{server.base_url}/?lang=de").text
        assert "Demo" in page and "simulierte Daten" in page
    finally:
        server.stop()


def test_a_simulated_window_always_has_the_same_count_so_resending_is_harmless() -> None:
    sensor = DEMO_SENSORS[0]
    zone = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 6, 13, 12, 0, tzinfo=UTC)
    assert sensor.devices(start, zone) == sensor.devices(start, zone)


def test_the_simulated_day_is_busier_at_midday_than_before_dawn() -> None:
    zone = ZoneInfo("Europe/Berlin")
    saturday = datetime(2026, 6, 13, tzinfo=zone)
    for sensor in DEMO_SENSORS:
        night = sum(sensor.devices(saturday.replace(hour=4, minute=m), zone) for m in range(0, 60, 5))
        noon = sum(sensor.devices(saturday.replace(hour=14, minute=m), zone) for m in range(0, 60, 5))
        assert noon > 2 * night, sensor.id


def test_windows_are_aligned_to_the_interval_and_never_end_in_the_future() -> None:
    now = datetime(2026, 6, 13, 12, 7, 30, tzinfo=UTC)
    starts = window_starts(now - timedelta(minutes=20), now, 300)
    assert [s.minute for s in starts] == [45, 50, 55, 0]
    assert all(s + timedelta(seconds=300) <= now for s in starts)
