"""The group planner: opening hours, busy hours, capacity and other groups shape the proposal."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from freiweg.guidance.places import Place, PlaceCategory, parse_opening_hours
from freiweg.guidance.planner import Booking, NoPlan, fits, plan_group

ZONE = ZoneInfo("Europe/Berlin")
DAY = date(2026, 6, 13)  # a Saturday


def place(place_id: str, hours: str = "Mo-Su 09:00-18:00", capacity: int = 60, lon: float = 10.88) -> Place:
    """A place in its own area."""
    return Place(place_id, place_id, place_id, PlaceCategory.SIGHT, f"area-{place_id}", lon, 49.89,
                 parse_opening_hours(hours), capacity=capacity, visit_minutes=45)  # fmt: skip


def at(hour: int, minute: int = 0) -> datetime:
    """A local moment on DAY."""
    return datetime(2026, 6, 13, hour, minute, tzinfo=ZONE)


def calm(_area: str, _moment: datetime) -> float:
    """Every hour calm."""
    return 1.0


def test_a_calm_day_starts_at_opening_time() -> None:
    plan = plan_group([place("dom")], day=DAY, zone=ZONE, group_size=20, bookings=[], crowd_at=calm)
    assert plan.visits[0].starts_at == at(9)


def test_busy_hours_are_avoided() -> None:
    def busy_morning(_area: str, moment: datetime) -> float:
        return 4.0 if moment.hour < 14 else 1.0

    plan = plan_group([place("dom")], day=DAY, zone=ZONE, group_size=20, bookings=[], crowd_at=busy_morning)
    assert plan.visits[0].starts_at.hour >= 14


def test_visits_follow_each_other_with_walking_time_and_respect_opening_hours() -> None:
    plan = plan_group(
        [place("late", hours="Mo-Su 11:00-18:00"), place("early", lon=10.881)],
        day=DAY, zone=ZONE, group_size=20, bookings=[], crowd_at=calm,
    )  # fmt: skip
    first, second = plan.visits
    assert second.starts_at > first.ends_at
    assert all(v.place.opening_hours.open_at(v.starts_at) for v in plan.visits)


def test_slots_other_groups_hold_are_avoided_and_full_slots_refused() -> None:
    dom = place("dom", capacity=50)
    bookings = [Booking("dom", at(9), at(12), 40)]
    assert not fits(dom, bookings, start=at(10), end=at(10, 45), group_size=20)
    assert fits(dom, bookings, start=at(12), end=at(12, 45), group_size=20)
    plan = plan_group([dom], day=DAY, zone=ZONE, group_size=20, bookings=bookings, crowd_at=calm)
    assert plan.visits[0].starts_at >= at(12)


def test_a_group_that_fits_nowhere_gets_no_plan() -> None:
    with pytest.raises(NoPlan):
        plan_group(
            [place("tiny", capacity=10)], day=DAY, zone=ZONE, group_size=20, bookings=[], crowd_at=calm
        )
