"""The local calendar: public holidays, school holidays, bridge days and operator events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

HOLIDAY_HORIZON = 15
CHRISTMAS_HORIZON = 40


def _days_to_christmas(day: date) -> int:
    """Signed days to the nearest 25 December, clipped to CHRISTMAS_HORIZON either side."""
    nearest = min((date(day.year + k, 12, 25) for k in (-1, 0)), key=lambda c: abs((c - day).days))
    distance = (nearest - day).days
    return max(-CHRISTMAS_HORIZON, min(CHRISTMAS_HORIZON, distance))


@dataclass(frozen=True)
class Event:
    """An operator-entered event: local wall-clock start and end, the areas it touches."""

    name: str
    start: datetime
    end: datetime
    areas: tuple[str, ...] = ()
    expected_effect: float | None = None

    def touches(self, area_id: str) -> bool:
        """Whether the event concerns the area (an event without areas concerns every area)."""
        return not self.areas or area_id in self.areas


@dataclass(frozen=True)
class LocalCalendar:
    """Holidays of one country and state; school holidays where the holidays package knows them."""

    country: str = "DE"
    subdiv: str | None = "BY"
    language: str | None = "de"
    events: tuple[Event, ...] = field(default=())

    def day_facts(self, day: date) -> DayFacts:
        """What is special about a calendar day."""
        return _day_facts(self.country, self.subdiv, self.language, day)

    def frame(self, hours: pd.DatetimeIndex) -> pd.DataFrame:
        """Calendar features for naive local wall-clock hours, one row per hour."""
        days = hours.normalize()
        unique = days.unique()
        facts = {d: self.day_facts(d.date()) for d in unique}
        holiday = np.array([facts[d].holiday for d in days], dtype=float)
        school = np.array([facts[d].school_holiday for d in days], dtype=float)
        bridge = np.array([facts[d].bridge_day for d in days], dtype=float)
        near = {d: self._holiday_distances(d.date()) for d in unique}
        to_holiday = np.array([near[d][0] for d in days], dtype=float)
        since_holiday = np.array([near[d][1] for d in days], dtype=float)
        christmas = np.array([_days_to_christmas(d.date()) for d in unique], dtype=float)
        to_christmas = pd.Series(christmas, index=unique).reindex(days).to_numpy()
        return pd.DataFrame(
            {
                "hour": hours.hour,
                "weekday": hours.day_of_week,
                "hour_of_week": hours.day_of_week * 24 + hours.hour,
                "month": hours.month,
                "day_of_year": hours.day_of_year,
                "holiday": holiday,
                "school_holiday": school,
                "bridge_day": bridge,
                "days_to_holiday": to_holiday,
                "days_since_holiday": since_holiday,
                "days_to_christmas": to_christmas,
            },
            index=hours,
        )

    def _holiday_distances(self, day: date) -> tuple[int, int]:
        """Days to the next and since the last public holiday, each at most HOLIDAY_HORIZON."""
        ahead = next(
            (n for n in range(1, HOLIDAY_HORIZON) if self.day_facts(day + timedelta(days=n)).holiday),
            HOLIDAY_HORIZON,
        )
        behind = next(
            (n for n in range(1, HOLIDAY_HORIZON) if self.day_facts(day - timedelta(days=n)).holiday),
            HOLIDAY_HORIZON,
        )
        return ahead, behind

    def reasons(self, day: date, *, area_id: str | None = None, hour: datetime | None = None) -> list[str]:
        """The calendar reasons that apply on a day (and to an area at an hour, for events)."""
        facts = self.day_facts(day)
        reasons = []
        if facts.holiday_name:
            reasons.append(f"public holiday: {facts.holiday_name}")
        if facts.school_holiday:
            reasons.append("school holidays")
        if facts.bridge_day:
            reasons.append("bridge day")
        for event in self.events:
            if area_id is not None and not event.touches(area_id):
                continue
            if hour is not None and event.start <= hour < event.end:
                reasons.append(f"event: {event.name}")
        return reasons


@dataclass(frozen=True)
class DayFacts:
    """Holiday facts of one calendar day."""

    holiday: bool
    holiday_name: str | None
    school_holiday: bool
    bridge_day: bool


@lru_cache(maxsize=16)
def _holidays(country: str, subdiv: str | None, language: str | None, year: int) -> holidays.HolidayBase:
    # Where the package knows holidays kept only in catholic places (Bavaria's Assumption Day), they
    # are included: the demo town, Bamberg, keeps them.
    supported = getattr(holidays.country_holidays(country, years=year), "supported_categories", ())
    categories = tuple(c for c in ("public", "catholic") if c in supported) or ("public",)
    return holidays.country_holidays(
        country, subdiv=subdiv, years=year, language=language, categories=categories
    )


@lru_cache(maxsize=16)
def _school(country: str, subdiv: str | None, language: str | None, year: int) -> holidays.HolidayBase | None:
    supported = getattr(holidays.country_holidays(country, years=year), "supported_categories", ())
    if "school" not in supported:
        return None
    return holidays.country_holidays(
        country, subdiv=subdiv, years=year, language=language, categories=("school",)
    )


def _is_holiday(country: str, subdiv: str | None, language: str | None, day: date) -> bool:
    return day in _holidays(country, subdiv, language, day.year)


def _is_off(country: str, subdiv: str | None, language: str | None, day: date) -> bool:
    return day.weekday() >= 5 or _is_holiday(country, subdiv, language, day)


@lru_cache(maxsize=8192)
def _day_facts(country: str, subdiv: str | None, language: str | None, day: date) -> DayFacts:
    public = _holidays(country, subdiv, language, day.year)
    school = _school(country, subdiv, language, day.year)
    name = public.get(day)
    is_holiday = name is not None
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    bridge = (
        not is_holiday
        and day.weekday() < 5
        and (
            (_is_holiday(country, subdiv, language, before) and _is_off(country, subdiv, language, after))
            or (_is_off(country, subdiv, language, before) and _is_holiday(country, subdiv, language, after))
        )
    )
    return DayFacts(
        holiday=is_holiday,
        holiday_name=str(name) if name is not None else None,
        school_holiday=school is not None and day in school,
        bridge_day=bridge,
    )
