"""The demo old town and its weekly profiles: real places, real rhythms, valid data."""

from __future__ import annotations

import itertools
import json
import math
from importlib.resources import files
from typing import Any

import pytest
from pyproj import Geod
from shapely.geometry import Point, Polygon, shape

from freiweg.demo.profiles import (
    AREA_PROFILES,
    HOURS_PER_WEEK,
    SENSORS,
    WeeklyProfile,
    load_profiles,
    profile_for_area,
)
from freiweg.services.areas import parse_feature_collection

WGS84 = Geod(ellps="WGS84")
MONDAY, TUESDAY, WEDNESDAY, FRIDAY, SATURDAY, SUNDAY = 0, 1, 2, 4, 5, 6
DEMO_AREA_IDS = {
    "domplatz",
    "obere-bruecke",
    "untere-bruecke",
    "gruener-markt",
    "maximiliansplatz",
    "klein-venedig",
    "michelsberg",
    "sandstrasse",
    "karolinenstrasse",
    "obstmarkt",
}


def town() -> dict[str, Any]:
    text = (files("freiweg.demo") / "town.geojson").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def outlines() -> dict[str, Polygon]:
    return {f["properties"]["id"]: shape(f["geometry"]) for f in town()["features"]}


def outline_m2(polygon: Polygon) -> float:
    return abs(WGS84.geometry_area_perimeter(polygon)[0])


def peaked() -> WeeklyProfile:
    values = [0.5] * HOURS_PER_WEEK
    values[0] = 1.0
    return WeeklyProfile(tuple(values), "test")


# --- the profiles -------------------------------------------------------------------------


def test_weekly_profile_has_one_value_per_hour_of_the_week_and_peaks_at_one() -> None:
    profiles = load_profiles()
    assert set(profiles) == set(SENSORS)
    for profile in profiles.values():
        assert len(profile.values) == 168
        assert max(profile.values) == 1.0
        assert min(profile.values) >= 0.0
        # A real street is never equally busy all week: the quietest hour is far below the peak.
        assert min(profile.values) < 0.1


def test_every_profile_names_its_sensor_and_years_as_source() -> None:
    for name, profile in load_profiles().items():
        assert SENSORS[name] in profile.source
        assert "2023-2024" in profile.source
        assert "shape only" in profile.source


def test_saturday_afternoon_is_busier_than_tuesday_night_on_a_retail_street() -> None:
    retail = load_profiles()["retail"]
    assert retail.at(SATURDAY, 14) > 0.6
    assert retail.at(TUESDAY, 3) < 0.05
    assert retail.at(SATURDAY, 14) > 10 * retail.at(TUESDAY, 3)


def test_the_busiest_hour_on_the_retail_street_is_a_weekday_afternoon() -> None:
    retail = load_profiles()["retail"]
    peak = retail.values.index(1.0)
    assert peak // 24 < SATURDAY
    assert 12 <= peak % 24 <= 18


def test_weekday_mornings_have_a_commuter_peak_that_sunday_mornings_lack() -> None:
    city = load_profiles()["city_centre"]
    assert city.at(TUESDAY, 8) > 0.8
    assert city.at(SUNDAY, 8) < 0.3
    assert city.at(TUESDAY, 8) > 3 * city.at(SUNDAY, 8)


def test_the_week_starts_on_monday_morning_after_a_quiet_sunday_night() -> None:
    profiles = load_profiles()
    retail, nightlife = profiles["retail"], profiles["nightlife"]
    assert retail.at(MONDAY, 8) > 3 * retail.at(SUNDAY, 8)
    assert retail.at(SATURDAY, 8) < 0.5 * retail.at(FRIDAY, 8)
    # Sunday 01:00 ends Saturday night out; Monday 01:00 follows a quiet Sunday evening.
    assert nightlife.at(MONDAY, 1) < 0.3 * nightlife.at(SUNDAY, 1)


def test_the_nightlife_street_is_busy_late_on_friday_but_not_on_tuesday() -> None:
    nightlife = load_profiles()["nightlife"]
    # Saturday 01:00 is the end of Friday night out.
    assert nightlife.at(SATURDAY, 1) > 0.4
    assert nightlife.at(SATURDAY, 1) > 4 * nightlife.at(WEDNESDAY, 1)
    assert nightlife.at(SATURDAY, 1) > 2 * load_profiles()["retail"].at(SATURDAY, 1)


def test_saturday_night_is_the_busiest_night_out_and_belongs_to_sunday_morning() -> None:
    # The source file lists the hours after midnight under the previous date; read naively,
    # Saturday night would land on Saturday 01:00 and Sunday 01:00 would look deserted.
    nightlife = load_profiles()["nightlife"]
    small_hours = {day: nightlife.at(day, 1) for day in range(7)}
    assert max(small_hours, key=small_hours.__getitem__) == SUNDAY
    assert small_hours[SUNDAY] > 0.4
    assert small_hours[SATURDAY] > 3 * small_hours[TUESDAY]


def test_every_hour_in_the_early_morning_is_quieter_than_midday() -> None:
    for profile in load_profiles().values():
        for day in range(7):
            assert profile.at(day, 4) < profile.at(day, 13)


def test_profiles_are_read_once_and_each_caller_gets_its_own_dict() -> None:
    first, second = load_profiles(), load_profiles()
    assert first == second
    assert first is not second
    assert first["retail"] is second["retail"]
    first.clear()
    assert load_profiles()


# --- WeeklyProfile.at ---------------------------------------------------------------------


def test_at_a_full_hour_returns_the_value_of_that_hour_of_the_week() -> None:
    retail = load_profiles()["retail"]
    for day, hour in itertools.product(range(7), range(24)):
        assert retail.at(day, hour) == retail.values[day * 24 + hour]


def test_at_interpolates_linearly_between_full_hours() -> None:
    retail = load_profiles()["retail"]
    before, after = retail.values[FRIDAY * 24 + 10], retail.values[FRIDAY * 24 + 11]
    assert retail.at(FRIDAY, 10.25) == pytest.approx(before + 0.25 * (after - before))
    assert min(before, after) <= retail.at(FRIDAY, 10.5) <= max(before, after)


def test_at_wraps_from_sunday_night_to_monday_morning() -> None:
    retail = load_profiles()["retail"]
    sunday_late, monday_midnight = retail.values[167], retail.values[0]
    assert retail.at(SUNDAY, 23.5) == pytest.approx((sunday_late + monday_midnight) / 2)
    assert retail.at(SUNDAY, 24) == pytest.approx(monday_midnight)
    assert retail.at(TUESDAY, 24) == pytest.approx(retail.at(WEDNESDAY, 0))


@pytest.mark.parametrize(("weekday", "hour"), [(-1, 12), (7, 12), (MONDAY, -0.5), (MONDAY, 24.5)])
def test_at_rejects_a_weekday_or_hour_outside_the_week(weekday: int, hour: float) -> None:
    with pytest.raises(ValueError):
        load_profiles()["retail"].at(weekday, hour)


def test_a_profile_must_have_168_values_normalised_to_one() -> None:
    assert peaked().at(MONDAY, 0) == 1.0
    with pytest.raises(ValueError, match="168"):
        WeeklyProfile((1.0,) * 167, "short")
    with pytest.raises(ValueError, match="maximum"):
        WeeklyProfile((0.5,) * 168, "not normalised")
    with pytest.raises(ValueError, match="negative"):
        WeeklyProfile((1.0,) + (-0.1,) * 167, "negative")


# --- areas and profiles -------------------------------------------------------------------


def test_every_demo_area_has_a_profile_and_the_mapping_is_deterministic() -> None:
    profiles = load_profiles()
    assert set(AREA_PROFILES) == DEMO_AREA_IDS
    for area_id in DEMO_AREA_IDS:
        assert profile_for_area(area_id) in profiles.values()
        assert profile_for_area(area_id) == profile_for_area(area_id)


def test_squares_and_bridges_follow_the_busiest_retail_or_waterfront_shapes() -> None:
    profiles = load_profiles()
    busiest = {profiles["retail"], profiles["waterfront"], profiles["city_centre"]}
    for feature in town()["features"]:
        props = feature["properties"]
        if props["category"] in {"square", "bridge", "market"}:
            assert profile_for_area(props["id"]) in busiest, props["id"]
    assert profile_for_area("sandstrasse") is profiles["nightlife"]
    assert profile_for_area("karolinenstrasse") is profiles["lane"]


def test_an_area_outside_the_demo_town_gets_the_retail_profile() -> None:
    assert profile_for_area("some-imported-street") is load_profiles()["retail"]


# --- the demo town ------------------------------------------------------------------------


def test_the_demo_town_is_accepted_by_the_area_import() -> None:
    areas = parse_feature_collection(town())
    assert {a.id for a in areas} == DEMO_AREA_IDS
    assert all(a.name_de and a.name_en and not a.quiet_zone for a in areas)
    names = {a.id: a.name_en for a in areas}
    assert names["domplatz"] == "Cathedral Square"
    assert names["obere-bruecke"] == "Upper Bridge and Old Town Hall"


def test_demo_town_areas_are_valid_and_do_not_overlap() -> None:
    polygons = outlines()
    for area_id, polygon in polygons.items():
        ring = polygon.exterior.coords
        assert polygon.is_valid, area_id
        assert ring[0] == ring[-1] and len(ring) >= 5, area_id
        assert polygon.exterior.is_ccw, area_id
        assert not polygon.interiors, area_id
    for (a, pa), (b, pb) in itertools.combinations(polygons.items(), 2):
        assert not pa.intersects(pb), f"{a} overlaps {b}"


def test_demo_town_lies_in_bambergs_old_town() -> None:
    for area_id, polygon in outlines().items():
        west, south, east, north = polygon.bounds
        assert 10.878 < west < east < 10.891, area_id
        assert 49.889 < south < north < 49.896, area_id
    polygons = outlines()
    # Landmarks: the Altes Rathaus stands on the upper bridge; the cathedral borders its square.
    assert polygons["obere-bruecke"].contains(Point(10.886843, 49.891594))
    cathedral = Point(10.882515, 49.890775)
    assert not polygons["domplatz"].contains(cathedral)
    assert WGS84.inv(10.882515, 49.890775, *polygons["domplatz"].centroid.coords[0])[2] < 120


def test_walkable_surfaces_are_plausible_shares_of_realistically_sized_outlines() -> None:
    polygons = outlines()
    for feature in town()["features"]:
        props = feature["properties"]
        polygon = polygons[props["id"]]
        surface = outline_m2(polygon)
        assert 0.7 * surface <= props["walkable_m2"] <= 0.9 * surface, props["id"]
        if props["category"] == "square":
            assert 2_000 <= surface <= 8_000, props["id"]
        if props["category"] in {"street", "lane", "bridge", "promenade"}:
            # A long thin outline: length + width is half the perimeter, their product the surface.
            half = WGS84.geometry_area_perimeter(polygon)[1] / 2
            width = (half - math.sqrt(half * half - 4 * surface)) / 2
            assert 8 <= width <= 25, (props["id"], width)
            assert surface / width > 4 * width, props["id"]
