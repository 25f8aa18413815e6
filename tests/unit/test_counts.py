"""Counting rules: what makes a count acceptable, and how a batch is judged as a whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from freiweg.domain.counts import Count, CountKind, Direction, check_counts
from freiweg.domain.errors import InvalidInput

NOW = datetime(2026, 6, 13, 10, 0, tzinfo=UTC)
T = int(NOW.timestamp())


def presence(start: int, end: int, value: int = 5) -> Count:
    return Count(start=start, end=end, kind=CountKind.PRESENCE, value=value)


def problems_of(counts: list[Count]) -> list[tuple[int | None, str]]:
    with pytest.raises(InvalidInput) as caught:
        check_counts(counts, now=NOW)
    return [(p.index, p.field) for p in caught.value.problems]


def test_a_well_formed_batch_passes() -> None:
    check_counts([presence(T - 600, T - 300), presence(T - 300, T)], now=NOW)


def test_every_bad_item_is_named_by_index_and_field() -> None:
    batch = [
        presence(T - 300, T),
        presence(T - 600, T - 300, value=-1),
        presence(T, T - 300),
        presence(T - 7200, T),
        presence(T + 600, T + 900),
    ]
    assert problems_of(batch) == [(1, "value"), (2, "end"), (3, "end"), (4, "start")]


def test_a_window_may_start_up_to_five_minutes_ahead_for_clock_skew() -> None:
    check_counts([presence(T + 300, T + 360)], now=NOW)
    assert problems_of([presence(T + 301, T + 360)]) == [(0, "start")]


def test_a_window_of_exactly_one_hour_is_allowed_and_one_second_more_is_not() -> None:
    check_counts([presence(T - 3600, T)], now=NOW)
    assert problems_of([presence(T - 3601, T)]) == [(0, "end")]


def test_direction_belongs_only_to_passages() -> None:
    passage = Count(T - 300, T, CountKind.PASSAGE, 3, Direction.IN)
    check_counts([passage], now=NOW)
    wrong = Count(T - 300, T, CountKind.PRESENCE, 3, Direction.IN)
    assert problems_of([wrong]) == [(0, "direction")]


def test_the_same_window_twice_in_one_batch_with_different_values_is_a_contradiction() -> None:
    assert problems_of([presence(T - 300, T, 5), presence(T - 300, T, 6)]) == [(1, "value")]
    check_counts([presence(T - 300, T, 5), presence(T - 300, T, 5)], now=NOW)


def test_in_and_out_of_one_window_are_different_counts() -> None:
    a = Count(T - 300, T, CountKind.PASSAGE, 3, Direction.IN)
    b = Count(T - 300, T, CountKind.PASSAGE, 4, Direction.OUT)
    assert a.key != b.key
    check_counts([a, b], now=NOW)
