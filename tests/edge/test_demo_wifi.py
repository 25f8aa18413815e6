"""The demo's Wi-Fi sensors are edge agents: their counts come from simulated probe requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from freiweg.demo.edge_wifi import edge_count
from freiweg.demo.runner import DemoFeeder
from freiweg.demo.sensors import DEMO_SENSORS

ZONE = ZoneInfo("Europe/Berlin")
MORNING = datetime(2026, 6, 13, 7, 0, tzinfo=UTC)


def test_an_edge_count_is_repeatable_and_close_to_the_simulated_devices() -> None:
    sensor = next(s for s in DEMO_SENSORS if s.kind == "wifi")
    for start in (MORNING, MORNING + timedelta(minutes=5)):
        true = sensor.devices(start, ZONE)
        estimate = edge_count(sensor, start, ZONE)
        assert estimate == edge_count(sensor, start, ZONE)
        assert abs(estimate - true) <= max(3, 0.2 * true)


def test_the_feeder_uses_the_edge_pipeline_for_recent_wifi_windows_only() -> None:
    wifi = next(s for s in DEMO_SENSORS if s.kind == "wifi")
    pax = next(s for s in DEMO_SENSORS if s.kind == "paxcounter")
    feeder = DemoFeeder("http://127.0.0.1:9", {}, ZONE, edge_history=timedelta(minutes=30))
    until = MORNING + timedelta(hours=2)
    recent = until - timedelta(minutes=10)
    old = until - timedelta(hours=1)
    assert feeder.value(wifi, recent, until) == edge_count(wifi, recent, ZONE)
    assert feeder.value(wifi, old, until) == wifi.devices(old, ZONE)
    assert feeder.value(pax, recent, until) == pax.devices(recent, ZONE)
