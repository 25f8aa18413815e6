"""The group planner: an order and time slots for a guided group that avoid busy times and other groups."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from freiweg.guidance.graph import distance_m
from freiweg.guidance.places import Place

WALKING_M_PER_MINUTE: Final = 60.0  # a group walks slower than one person
SLOT_MINUTES: Final = 15
MAX_PLACES: Final = 5
DAY_START: Final = 8 * 60
DAY_END: Final = 20 * 60


@dataclass(frozen=True)
class Booking:
    """Visitors already reserved at a place for a span of time."""

    place_id: str
    starts_at: datetime
    ends_at: datetime
    people: int


@dataclass(frozen=True)
class Visit:
    """One planned stop: where, from when to when, and what it costs."""

    place: Place
    starts_at: datetime
    ends_at: datetime
    expected_level: float
    reserved_people: int


@dataclass(frozen=True)
class Plan:
    """The proposed order of visits and its total cost (lower is quieter)."""

    visits: list[Visit]
    cost: float


class NoPlan(Exception):
    """No order and start fits opening hours and capacities on that day."""


def reserved_people(bookings: Sequence[Booking], place_id: str, start: datetime, end: datetime) -> int:
    """People already booked at place_id in any span overlapping [start, end)."""
    return sum(
        b.people for b in bookings if b.place_id == place_id and b.starts_at < end and start < b.ends_at
    )


def fits(
    place: Place, bookings: Sequence[Booking], *, start: datetime, end: datetime, group_size: int
) -> bool:
    """True when a group of group_size still fits the place's capacity over [start, end)."""
    return reserved_people(bookings, place.id, start, end) + group_size <= place.capacity


def walking_minutes(a: Place, b: Place) -> int:
    """Minutes a group needs from a to b, rounded up to whole slots."""
    minutes = distance_m(a.lon, a.lat, b.lon, b.lat) * 1.3 / WALKING_M_PER_MINUTE  # streets are not straight
    return int(-(-minutes // SLOT_MINUTES) * SLOT_MINUTES) or SLOT_MINUTES


def plan_group(
    places: Sequence[Place],
    *,
    day: date,
    zone: ZoneInfo,
    group_size: int,
    bookings: Sequence[Booking],
    crowd_at: Callable[[str, datetime], float],
    earliest: datetime | None = None,
) -> Plan:
    """Try every order and start time; keep the one with the least crowd and the fewest other groups.

    crowd_at(area_id, moment) is the expected crowd penalty (1 = calm); a visit's cost is that
    penalty plus the share of the place's capacity other groups already hold.
    """
    if not places or len(places) > MAX_PLACES:
        raise NoPlan(f"choose between 1 and {MAX_PLACES} places")
    midnight = datetime.combine(day, time(0), zone)
    starts = [midnight + timedelta(minutes=m) for m in range(DAY_START, DAY_END, SLOT_MINUTES)]
    if earliest is not None:
        starts = [s for s in starts if s >= earliest]
    crowd_cache: dict[tuple[str, datetime], float] = {}

    def crowd(area_id: str, moment: datetime) -> float:
        key = (area_id, moment.replace(minute=0))
        if key not in crowd_cache:
            crowd_cache[key] = crowd_at(area_id, key[1])
        return crowd_cache[key]

    best: Plan | None = None
    for order in itertools.permutations(places):
        for start in starts:
            plan = _try(order, start, group_size=group_size, bookings=bookings, crowd=crowd)
            if plan is not None and (best is None or plan.cost < best.cost - 1e-9):
                best = plan
    if best is None:
        raise NoPlan("no order and start time fits the opening hours and free capacity that day")
    return best


def _try(
    order: Sequence[Place],
    start: datetime,
    *,
    group_size: int,
    bookings: Sequence[Booking],
    crowd: Callable[[str, datetime], float],
) -> Plan | None:
    visits: list[Visit] = []
    cost = 0.0
    moment = start
    previous: Place | None = None
    for place in order:
        if previous is not None:
            moment += timedelta(minutes=walking_minutes(previous, place))
        end = moment + timedelta(minutes=place.visit_minutes)
        first = moment.hour * 60 + moment.minute
        if end.date() != moment.date() or not place.opening_hours.open_between(
            moment.weekday(), first, first + place.visit_minutes
        ):
            return None
        if not fits(place, bookings, start=moment, end=end, group_size=group_size):
            return None
        taken = reserved_people(bookings, place.id, moment, end)
        level = crowd(place.area_id, moment)
        cost += level + taken / place.capacity
        visits.append(Visit(place, moment, end, level, taken))
        previous = place
        moment = end
    # Between equal plans, the shorter day wins.
    cost += (moment - start).total_seconds() / 86400
    return Plan(visits, cost)
