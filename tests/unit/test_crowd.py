"""The crowd model: people with an interval, levels from density, freshness and the usual level."""

from __future__ import annotations

import pytest

from freiweg.domain.calibration import Calibration, calibration_at, uncalibrated
from freiweg.domain.crowd import (
    AreaStatus,
    CrowdLevel,
    LevelThresholds,
    SensorReading,
    Usual,
    assess_area,
    compare_with_usual,
    usual_people,
)

NOW = 1_781_340_000


def reading(
    devices: int,
    *,
    age: int = 60,
    interval: int = 300,
    factor: float = 0.8,
    low: float = 0.6,
    high: float = 1.0,
    sensor: str = "s",
) -> SensorReading:
    return SensorReading(sensor, devices, NOW - age, interval, factor, low, high)


def assess(readings: list[SensorReading], *, sensors: int | None = None, m2: float = 1000.0):
    return assess_area(
        readings,
        sensor_count=len(readings) if sensors is None else sensors,
        walkable_m2=m2,
        thresholds=LevelThresholds(),
        now=NOW,
        stale_after_intervals=2,
    )


def test_people_are_devices_times_the_calibration_factor_with_its_interval() -> None:
    crowding = assess([reading(100)])
    assert crowding.people is not None
    assert (crowding.people.value, crowding.people.low, crowding.people.high) == (80, 60, 100)
    assert crowding.density == pytest.approx(0.08)


@pytest.mark.parametrize(
    ("density", "level"),
    [
        (0.05, CrowdLevel.CALM),
        (0.2, CrowdLevel.MODERATE),
        (0.4, CrowdLevel.BUSY),
        (0.6, CrowdLevel.CROWDED),
        (1.5, CrowdLevel.VERY_CROWDED),
    ],
)
def test_levels_follow_the_pedestrian_level_of_service_bands(density: float, level: CrowdLevel) -> None:
    assert LevelThresholds().level(density) is level


def test_an_area_can_override_its_thresholds() -> None:
    narrow = LevelThresholds(0.05, 0.1, 0.2, 0.3)
    assert narrow.level(0.25) is CrowdLevel.CROWDED
    with pytest.raises(ValueError):
        LevelThresholds(0.3, 0.2, 0.4, 0.5)


def test_a_sensor_silent_for_two_intervals_gives_no_data_with_its_last_time_never_zero() -> None:
    crowding = assess([reading(100, age=601)])
    assert crowding.status is AreaStatus.NO_DATA
    assert crowding.people is None and crowding.level is None
    assert crowding.last_data_at == NOW - 601


def test_one_silent_sensor_of_two_makes_the_area_partial() -> None:
    crowding = assess([reading(100, sensor="a"), reading(50, age=900, sensor="b")])
    assert crowding.status is AreaStatus.PARTIAL
    assert crowding.people is not None and crowding.people.value == 80
    assert (crowding.fresh_sensors, crowding.silent_sensors) == (1, 1)


def test_a_sensor_that_never_sent_counts_as_silent() -> None:
    crowding = assess([reading(100)], sensors=2)
    assert crowding.status is AreaStatus.PARTIAL


def test_an_area_without_sensors_says_so() -> None:
    assert assess([], sensors=0).status is AreaStatus.NO_SENSOR


def test_the_picture_says_when_it_goes_stale() -> None:
    crowding = assess([reading(100, age=60, interval=300)])
    assert crowding.stale_at == NOW - 60 + 600 + 1


def test_the_usual_level_needs_four_weeks() -> None:
    assert usual_people([100, 120, 110]) is None
    assert usual_people([100, 120, 110, 300]) == 115


def test_busier_and_quieter_than_usual_need_a_quarter_more_or_a_fifth_less() -> None:
    assert compare_with_usual(130, 100) is Usual.BUSIER
    assert compare_with_usual(110, 100) is Usual.AS_USUAL
    assert compare_with_usual(79, 100) is Usual.QUIETER
    assert compare_with_usual(50, None) is None


def test_the_newest_valid_calibration_applies_and_otherwise_the_wide_default() -> None:
    old = Calibration("s", 0.7, 0.6, 0.8, valid_from=0)
    new = Calibration("s", 0.9, 0.8, 1.0, valid_from=1000, valid_until=2000)
    assert calibration_at([old, new], sensor_id="s", moment=1500) == new
    assert calibration_at([old, new], sensor_id="s", moment=2500) == old
    assert calibration_at([old, new], sensor_id="other", moment=1500) == uncalibrated("other")
    assert uncalibrated("x").low == 0.5 and uncalibrated("x").high == 2.0
