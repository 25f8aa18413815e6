"""Forecast alert rules on the demo town: opened once before the crowd comes, resolved when none is due."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from freiweg.demo.runner import town_document
from freiweg.demo.sensors import DEMO_SENSORS
from freiweg.domain.counts import Count, CountKind
from freiweg.domain.crowd import LEVEL_ORDER, CrowdLevel
from freiweg.domain.errors import InvalidInput
from freiweg.services.alerts import AlertService, deliver
from freiweg.services.registry import Services
from freiweg.services.sensor_health import SensorHealthService
from freiweg.settings import Settings
from tests.conftest import FakeClock
from tests.support.webhooks import Hook

HOUR = 3600
DOMPLATZ = next(s for s in DEMO_SENSORS if s.id == "domplatz-1")


@pytest.fixture
def demo_town(services: Services, clock: FakeClock) -> Services:
    """The demo old town with the Domplatz sensor's simulated hourly counts of the last five weeks."""
    services.areas.import_areas(town_document())
    issued = services.sensors.add(
        DOMPLATZ.id, area_id=DOMPLATZ.area_id, kind=DOMPLATZ.kind, interval_seconds=DOMPLATZ.interval_seconds
    )
    zone = ZoneInfo(services.settings.timezone)
    end = int(clock.now.timestamp()) // HOUR * HOUR
    counts = []
    for start in range(end - 5 * 7 * 24 * HOUR, end, HOUR):
        window = datetime.fromtimestamp(start, clock.now.tzinfo)
        counts.append(Count(start, start + HOUR, CountKind.PRESENCE, DOMPLATZ.devices(window, zone)))
    services.intake.record_counts(token=issued.token, counts=counts)
    return services


def alert_service(
    services: Services, clock: FakeClock, settings: Settings, *, forecasts: bool = True
) -> AlertService:
    health = SensorHealthService(database=services.database, clock=clock, tolerance=2.0)
    return AlertService(
        database=services.database,
        clock=clock,
        crowd=services.crowd,
        health=health,
        send=deliver(settings),
        forecasts=services.forecasts if forecasts else None,
    )


def level_within_the_hour(services: Services, clock: FakeClock) -> CrowdLevel:
    """The highest level the forecast gives the Domplatz within the next hour, read independently."""
    assert services.forecasts is not None
    forecast = services.forecasts.for_area("domplatz")
    assert forecast is not None
    area = next(a for a in services.areas.list_areas() if a.id == "domplatz")
    now = clock.now.timestamp()
    values = [
        h["value"]
        for h in forecast["hours"]
        if now - HOUR < datetime.fromisoformat(h["start"]).timestamp() < now + HOUR
    ]
    return area.thresholds.level(max(values) / area.walkable_m2)


def test_a_forecast_rule_opens_before_the_saturday_crowd_and_resolves_at_night(
    demo_town: Services, settings: Settings, clock: FakeClock, hook: Hook
) -> None:
    clock.advance(hours=2)  # Saturday 15:00 in Bamberg: the afternoon peak is due
    busy = level_within_the_hour(demo_town, clock)
    night = clock.now + timedelta(hours=12)  # Sunday 03:00
    service = alert_service(demo_town, clock, settings)
    service.add_rule(
        kind="forecast_level",
        subject="domplatz",
        threshold=busy.value,
        minutes=0,
        channel="webhook",
        target=hook.url,
    )
    opened = service.check()
    assert [(n.state, n.kind, n.subject) for n in opened] == [("open", "forecast_level", "domplatz")]
    assert f"forecast to be {busy.value} within the next hour" in opened[0].message
    clock.advance(minutes=20)
    assert service.check() == []  # still forecast: the same alert stays open, nothing sent again
    clock.advance(seconds=int((night - clock.now).total_seconds()))
    quiet = level_within_the_hour(demo_town, clock)
    assert LEVEL_ORDER.index(quiet) < LEVEL_ORDER.index(busy)
    assert [n.state for n in service.check()] == ["resolved"]
    assert [(b["state"], b["kind"]) for b in hook.bodies] == [
        ("open", "forecast_level"),
        ("resolved", "forecast_level"),
    ]
    history = service.history()
    assert len(history) == 1 and history[0]["resolved_at"] is not None and history[0]["delivered"] is True
    assert service.rules()[0]["threshold"] == busy.value


def test_without_forecasts_the_rule_kind_is_refused_with_the_reason(
    demo_town: Services, settings: Settings, clock: FakeClock
) -> None:
    service = alert_service(demo_town, clock, settings, forecasts=False)
    with pytest.raises(InvalidInput) as raised:
        service.add_rule(
            kind="forecast_level",
            subject="domplatz",
            threshold="busy",
            minutes=0,
            channel="email",
            target="a@b.c",
        )
    assert raised.value.problems[0].field == "kind"
    assert "forecast extra" in raised.value.problems[0].message
    assert service.rules() == []
    with pytest.raises(InvalidInput) as unknown:
        alert_service(demo_town, clock, settings).add_rule(
            kind="forecast_level",
            subject="nowhere",
            threshold="busy",
            minutes=0,
            channel="email",
            target="a@b.c",
        )
    assert unknown.value.problems[0].field == "subject"
