"""Forecast service on a real database: model by history, stored runs, events, nowcast."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from freiweg.domain.counts import Count, CountKind
from freiweg.domain.errors import InvalidInput, NotFound
from freiweg.services.events import EventInput
from freiweg.services.forecasts import ForecastService
from freiweg.services.registry import Services
from tests.conftest import FakeClock

HOUR = 3600


def busy(moment: datetime) -> int:
    """A plain daily rhythm: quiet at night, 40 people in the afternoon."""
    local_hour = (moment.hour + 2) % 24
    return int(5 + 35 * max(0.0, math.sin(math.pi * (local_hour - 7) / 14))) if 7 <= local_hour <= 21 else 5


def feed(services: Services, token: str, clock: FakeClock, *, weeks: float, late_hours: int = 0) -> None:
    """Hourly presence counts for the weeks before now, stopping late_hours before now."""
    now = clock()
    end = int(now.timestamp()) // HOUR * HOUR - late_hours * HOUR
    start = end - int(weeks * 7 * 24) * HOUR
    counts = [
        Count(t, t + HOUR, CountKind.PRESENCE, busy(datetime.fromtimestamp(t, now.tzinfo)))
        for t in range(start, end, HOUR)
    ]
    services.intake.record_counts(token=token, counts=counts)


def forecasts(services: Services) -> ForecastService:
    """The forecast service, which the test install always has."""
    assert services.forecasts is not None
    return services.forecasts


def forecast_of(services: Services, area_id: str) -> dict[str, Any]:
    """An area's forecast, which must exist."""
    found = forecasts(services).for_area(area_id)
    assert found is not None
    return found


@pytest.fixture
def fed(services: Services, town: Callable[..., dict[str, str]], clock: FakeClock) -> Services:
    tokens = town("domplatz", "sandstrasse")
    feed(services, tokens["domplatz-1"], clock, weeks=5)
    feed(services, tokens["sandstrasse-1"], clock, weeks=1)
    return services


def test_an_area_with_five_weeks_gets_the_labelled_profile_fallback(fed: Services) -> None:
    forecast = forecast_of(fed, "domplatz")
    assert forecast["model_version"] == "profile-1"
    assert "less than 8 weeks" in forecast["model"]
    assert len(forecast["hours"]) == 48
    first = forecast["hours"][0]
    assert first["low"] <= first["value"] <= first["high"]
    afternoon = [h["value"] for h in forecast["hours"] if "T15:00" in h["start"]]
    night = [h["value"] for h in forecast["hours"] if "T03:00" in h["start"]]
    assert min(afternoon) > max(night)


def test_an_area_with_one_week_gets_seasonal_naive(fed: Services) -> None:
    assert forecast_of(fed, "sandstrasse")["model_version"] == "seasonal-naive-1"


def test_each_sensor_gets_its_own_forecast_beside_its_area(fed: Services, clock: FakeClock) -> None:
    quiet = fed.sensors.add("domplatz-2", area_id="domplatz", kind="wifi", interval_seconds=300)
    end = int(clock().timestamp()) // HOUR * HOUR
    counts = [Count(t, t + HOUR, CountKind.PRESENCE, 3) for t in range(end - 5 * 7 * 24 * HOUR, end, HOUR)]
    fed.intake.record_counts(token=quiet.token, counts=counts)
    result = forecasts(fed).refresh()
    assert (result.areas, result.sensors) == (2, 3)
    busy_one = forecasts(fed).for_sensor("domplatz-1")
    quiet_one = forecasts(fed).for_sensor("domplatz-2")
    assert busy_one is not None and quiet_one is not None
    assert (busy_one["sensor_id"], busy_one["area_id"]) == ("domplatz-1", "domplatz")
    assert busy_one["model_version"] == "profile-1" and len(busy_one["hours"]) == 48
    assert {h["value"] for h in quiet_one["hours"]} == {3.0}
    area = forecast_of(fed, "domplatz")
    for whole, part in zip(area["hours"], busy_one["hours"], strict=True):
        assert whole["start"] == part["start"]
        assert whole["value"] == pytest.approx(part["value"] + 3.0, abs=0.2)
    assert forecasts(fed).for_sensor("nowhere-1") is None


def test_an_area_without_data_has_no_forecast(fed: Services, town: Callable[..., dict[str, str]]) -> None:
    town("michelsberg")
    assert forecasts(fed).for_area("michelsberg") is None


def test_runs_are_kept_with_their_model_version_so_past_forecasts_can_be_compared(
    fed: Services, clock: FakeClock
) -> None:
    forecasts(fed).refresh()
    clock.advance(hours=1)
    forecasts(fed).refresh()
    target = clock() + timedelta(hours=3)
    stored = forecasts(fed).compare("domplatz", target)
    assert len(stored) == 2
    assert {s["model_version"] for s in stored} == {"profile-1"}


def test_a_refresh_is_due_when_the_hour_turns_or_late_data_arrives(fed: Services, clock: FakeClock) -> None:
    forecasts(fed).refresh()
    assert forecasts(fed).refresh_if_due() is False
    clock.advance(hours=1)
    assert forecasts(fed).refresh_if_due() is True
    assert forecasts(fed).refresh_if_due() is False


def test_late_data_gives_a_nowcast_that_blends_and_says_so(
    services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz")
    feed(services, tokens["domplatz-1"], clock, weeks=3, late_hours=4)
    nowcast = forecast_of(services, "domplatz")["nowcast"]
    assert nowcast["late"] is True
    assert 0 < nowcast["measurement_weight"] < 1
    assert "late" in nowcast["method"]


def test_an_event_multiplies_the_forecast_and_is_named_as_reason(fed: Services, clock: FakeClock) -> None:
    before = forecast_of(fed, "domplatz")["hours"]
    start = clock() + timedelta(hours=5)
    fed.events.add(EventInput("Sandkerwa", start, start + timedelta(hours=3), ("domplatz",), 2.0))
    clock.advance(minutes=1)
    forecasts(fed).refresh()
    after = forecast_of(fed, "domplatz")["hours"]
    assert "event: Sandkerwa" in after[5]["reasons"]
    assert after[5]["value"] == pytest.approx(2 * before[5]["value"], rel=0.02)
    assert "event: Sandkerwa" not in after[9]["reasons"]


def test_events_are_logged_and_bad_ones_are_refused_whole(fed: Services, clock: FakeClock) -> None:
    start = clock() + timedelta(days=1)
    added = fed.events.add(EventInput("Weihnachtsmarkt", start, start + timedelta(hours=8), ("domplatz",)))
    with fed.database.reading() as reader:
        assert [kind for _, kind, _ in reader.log.about(f"event:{added['id']}")] == ["event.added"]
    with pytest.raises(InvalidInput) as refused:
        fed.events.add(EventInput("", start, start - timedelta(hours=1), ("nowhere",), 100.0))
    assert {p.field for p in refused.value.problems} == {"name", "end", "areas", "expected_effect"}
    fed.events.remove(added["id"])
    assert fed.events.list() == []
    with pytest.raises(NotFound):
        fed.events.remove(added["id"])


def test_public_holidays_of_the_state_are_given_as_reasons(
    services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    clock.now = datetime.fromisoformat("2026-08-14T12:00:00+00:00")
    tokens = town("domplatz")
    feed(services, tokens["domplatz-1"], clock, weeks=3)
    hours = forecast_of(services, "domplatz")["hours"]
    assumption = [h for h in hours if h["start"].startswith("2026-08-15")]
    assert "public holiday: Mariä Himmelfahrt" in assumption[0]["reasons"]
    assert "school holidays" in assumption[0]["reasons"]
