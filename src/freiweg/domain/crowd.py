"""Crowd model v1: people per area with an interval, crowd level, freshness and usual-level comparison."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import median


class CrowdLevel(StrEnum):
    """Five crowd levels, from calm to very crowded."""

    CALM = "calm"
    MODERATE = "moderate"
    BUSY = "busy"
    CROWDED = "crowded"
    VERY_CROWDED = "very_crowded"


LEVEL_ORDER: tuple[CrowdLevel, ...] = tuple(CrowdLevel)


class AreaStatus(StrEnum):
    """Whether an area's estimate rests on fresh data."""

    LIVE = "live"
    PARTIAL = "partial"
    NO_DATA = "no_data"
    NO_SENSOR = "no_sensor"


class Usual(StrEnum):
    """How now compares with the usual level for this weekday and hour."""

    QUIETER = "quieter"
    AS_USUAL = "as_usual"
    BUSIER = "busier"


@dataclass(frozen=True)
class LevelThresholds:
    """Upper density bounds (people per m2) of calm, moderate, busy and crowded.

    Defaults follow the pedestrian level-of-service bands for walkways of the Highway Capacity
    Manual (space per pedestrian A > 5.6, B 3.7-5.6, C 2.2-3.7, D 1.4-2.2, E/F < 1.4 m2):
    A is calm, B moderate, C busy, D crowded, E and F very crowded.
    """

    calm: float = 1 / 5.6
    moderate: float = 1 / 3.7
    busy: float = 1 / 2.2
    crowded: float = 1 / 1.4

    def __post_init__(self) -> None:
        bounds = (self.calm, self.moderate, self.busy, self.crowded)
        if not all(0 < a < b for a, b in zip(bounds, bounds[1:], strict=False)) or bounds[0] <= 0:
            raise ValueError("thresholds must be positive and strictly increasing")

    def as_list(self) -> list[float]:
        """The four bounds in order."""
        return [self.calm, self.moderate, self.busy, self.crowded]

    def level(self, density: float) -> CrowdLevel:
        """The crowd level of a density in people per m2."""
        for bound, level in zip(self.as_list(), LEVEL_ORDER, strict=False):
            if density <= bound:
                return level
        return CrowdLevel.VERY_CROWDED


@dataclass(frozen=True)
class PeopleEstimate:
    """People present with an 80 % interval."""

    value: float
    low: float
    high: float

    def __add__(self, other: PeopleEstimate) -> PeopleEstimate:
        return PeopleEstimate(self.value + other.value, self.low + other.low, self.high + other.high)


NOBODY = PeopleEstimate(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class SensorReading:
    """A sensor's newest presence count and what is needed to judge and convert it."""

    sensor_id: str
    devices: int
    window_end: int
    interval_seconds: int
    factor: float
    factor_low: float
    factor_high: float

    def people(self) -> PeopleEstimate:
        """Devices times the calibration factor and its interval bounds."""
        return PeopleEstimate(
            self.devices * self.factor,
            self.devices * self.factor_low,
            self.devices * self.factor_high,
        )

    def is_fresh(self, *, now: int, stale_after_intervals: float) -> bool:
        """True while the newest count is younger than the allowed number of intervals."""
        return now - self.window_end <= stale_after_intervals * self.interval_seconds


@dataclass(frozen=True)
class AreaCrowding:
    """The crowd picture of one area at one moment."""

    status: AreaStatus
    people: PeopleEstimate | None
    density: float | None
    level: CrowdLevel | None
    updated_at: int | None
    last_data_at: int | None
    fresh_sensors: int
    silent_sensors: int
    stale_at: int | None

    @property
    def has_estimate(self) -> bool:
        """True when people, density and level are known."""
        return self.people is not None


def assess_area(
    readings: Sequence[SensorReading],
    *,
    sensor_count: int,
    walkable_m2: float,
    thresholds: LevelThresholds,
    now: int,
    stale_after_intervals: float,
) -> AreaCrowding:
    """Combine the newest readings of an area's presence sensors into its crowd picture.

    Sensors of one area cover disjoint parts of it, so their people estimates add up. A silent
    sensor never counts as zero: with no fresh reading the area has no data, and with some
    sensors silent it is partial.
    """
    if sensor_count == 0:
        return AreaCrowding(AreaStatus.NO_SENSOR, None, None, None, None, None, 0, 0, None)
    fresh = [r for r in readings if r.is_fresh(now=now, stale_after_intervals=stale_after_intervals)]
    last = max((r.window_end for r in readings), default=None)
    silent = sensor_count - len(fresh)
    if not fresh:
        return AreaCrowding(AreaStatus.NO_DATA, None, None, None, None, last, 0, silent, None)
    people = NOBODY
    for reading in fresh:
        people = people + reading.people()
    density = people.value / walkable_m2
    stale_at = min(r.window_end + int(stale_after_intervals * r.interval_seconds) + 1 for r in fresh)
    return AreaCrowding(
        status=AreaStatus.LIVE if silent == 0 else AreaStatus.PARTIAL,
        people=people,
        density=density,
        level=thresholds.level(density),
        updated_at=min(r.window_end for r in fresh),
        last_data_at=last,
        fresh_sensors=len(fresh),
        silent_sensors=silent,
        stale_at=stale_at,
    )


MIN_WEEKS_FOR_USUAL = 4
BUSIER_RATIO = 1.25
QUIETER_RATIO = 0.8


def usual_people(weekly_values: Sequence[float]) -> float | None:
    """The usual people count for a weekday and hour: the median over past weeks, once four exist."""
    if len(weekly_values) < MIN_WEEKS_FOR_USUAL:
        return None
    return median(weekly_values)


def compare_with_usual(now_people: float, usual: float | None) -> Usual | None:
    """Busier, quieter or as usual (25 % either way), or None while there is no usual yet."""
    if usual is None:
        return None
    if usual <= 0:
        return Usual.BUSIER if now_people > 0 else Usual.AS_USUAL
    ratio = now_people / usual
    if ratio >= BUSIER_RATIO:
        return Usual.BUSIER
    if ratio <= QUIETER_RATIO:
        return Usual.QUIETER
    return Usual.AS_USUAL
