"""The flood guard limits each source per hour and forgets everything when the hour turns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freiweg.services.flood_guard import FloodGuard


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 6, 13, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_source_is_refused_after_its_limit_within_the_hour() -> None:
    guard = FloodGuard(_Clock(), limits={"feedback": 3})
    answers = [guard.allow("203.0.113.7", "feedback") for _ in range(4)]
    assert answers == [True, True, True, False]


def test_other_sources_and_other_actions_are_counted_apart() -> None:
    guard = FloodGuard(_Clock(), limits={"feedback": 1, "support": 1})
    assert guard.allow("203.0.113.7", "feedback")
    assert guard.allow("203.0.113.8", "feedback")
    assert guard.allow("203.0.113.7", "support")
    assert not guard.allow("203.0.113.7", "feedback")


def test_the_next_hour_starts_afresh_under_a_new_key() -> None:
    clock = _Clock()
    guard = FloodGuard(clock, limits={"feedback": 1})
    assert guard.allow("203.0.113.7", "feedback")
    first_key = guard._key
    clock.now += timedelta(hours=1)
    assert guard.allow("203.0.113.7", "feedback")
    assert guard._key != first_key and len(guard._key) == 32


def test_no_address_is_kept_in_the_guard() -> None:
    guard = FloodGuard(_Clock(), limits={"feedback": 5})
    guard.allow("203.0.113.77", "feedback")
    held = repr(vars(guard)).encode()
    assert b"203.0.113.77" not in held


def test_a_refused_source_is_told_the_seconds_until_the_key_and_counters_are_dropped() -> None:
    clock = _Clock()
    guard = FloodGuard(clock, limits={"feedback": 1})
    assert guard.retry_after() == 3600  # on the hour: a whole hour to go
    clock.now += timedelta(minutes=59, seconds=59)
    assert guard.retry_after() == 1
    clock.now += timedelta(seconds=1)
    assert guard.retry_after() == 3600
