"""Opening hours, quieter places of the same kind and the best times to come."""

from __future__ import annotations

from datetime import datetime

import pytest

from freiweg.domain.errors import InvalidInput
from freiweg.guidance.alternatives import best_times, quieter_places
from freiweg.guidance.places import Place, PlaceCategory, parse_opening_hours


def place(place_id: str, category: str, area: str, lon: float = 10.88, lat: float = 49.89) -> Place:
    """A place open every day from nine to six."""
    return Place(
        place_id,
        place_id,
        place_id,
        PlaceCategory(category),
        area,
        lon,
        lat,
        parse_opening_hours("Mo-Su 09:00-18:00"),
    )


def test_opening_hours_read_day_ranges_lists_and_several_spans() -> None:
    hours = parse_opening_hours("Mo-Fr 10:00-17:00; Sa,Su 10:00-12:00,13:00-18:00")
    assert hours.open_at(datetime(2026, 6, 12, 16, 59))  # a Friday
    assert not hours.open_at(datetime(2026, 6, 13, 12, 30))  # Saturday lunch break
    assert hours.open_between(5, 13 * 60, 14 * 60)
    assert not hours.open_between(5, 11 * 60, 13 * 60)


def test_a_range_over_the_week_end_wraps_around() -> None:
    hours = parse_opening_hours("Tu-Su 10:00-17:00")
    assert [bool(hours.day(d)) for d in range(7)] == [False, True, True, True, True, True, True]
    assert parse_opening_hours("Sa-Mo 09:00-10:00").day(0)


@pytest.mark.parametrize("text", ["", "daily 9-5", "Mo 18:00-09:00", "Xy 10:00-12:00"])
def test_unreadable_opening_hours_say_how_to_write_them(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_opening_hours(text)
    assert error.value.problems[0].field == "opening_hours"


def test_quieter_places_are_of_the_same_kind_calmer_and_never_in_a_quiet_zone() -> None:
    dom = place("dom", "church", "domplatz")
    candidates = [
        dom,
        place("pfarre", "church", "kaulberg", lat=49.889),
        place("michael", "church", "michelsberg", lat=49.8935),
        place("kloster", "church", "quiet", lat=49.8901),
        place("museum", "museum", "kaulberg"),
        place("far", "church", "kaulberg", lat=49.99),
    ]
    levels = {"domplatz": "crowded", "kaulberg": "moderate", "michelsberg": "calm", "quiet": "calm"}
    found = quieter_places(dom, candidates, levels=levels, quiet_zones=frozenset({"quiet"}))
    assert [a.place.id for a in found] == ["michael", "pfarre"]


def test_places_without_a_measured_level_are_not_called_quieter() -> None:
    dom = place("dom", "church", "domplatz")
    found = quieter_places(dom, [place("x", "church", "unmeasured")], levels={"domplatz": "busy"})
    assert found == []


def test_best_times_are_the_quietest_hours_still_ahead_in_time_order() -> None:
    expected = {9: 40.0, 10: 80.0, 11: 150.0, 12: 200.0, 16: 90.0, 17: 60.0, 18: 30.0}
    suggested = best_times(expected, after_hour=10, limit=3)
    assert [t.hour for t in suggested] == [10, 17, 18]
