"""The privacy core: a fresh random key per window, pseudonyms that do not link across windows."""

from __future__ import annotations

import pytest

from freiweg.privacy.distinct import WindowedDistinct
from freiweg.privacy.keyed import WindowKey
from freiweg.privacy.windows import Window, check_minutes, window_of

ADDRESS = bytes.fromhex("3c286d112233")


def test_a_pseudonym_is_stable_within_a_window_and_differs_under_the_next_key() -> None:
    first, second = WindowKey(), WindowKey()
    assert first.pseudonym(ADDRESS) == first.pseudonym(ADDRESS)
    assert len(first.pseudonym(ADDRESS)) == 8
    assert first.pseudonym(ADDRESS) != second.pseudonym(ADDRESS)


def test_a_forgotten_key_is_overwritten_and_refuses_to_hash() -> None:
    key = WindowKey()
    key.forget()
    assert key.forgotten
    assert bytes(key._key) == bytes(32)
    with pytest.raises(RuntimeError):
        key.pseudonym(ADDRESS)
    assert "secret" in repr(key) and key._key.hex() not in repr(key)


def test_distinct_counting_forgets_everything_when_the_window_closes() -> None:
    distinct = WindowedDistinct()
    for address in (ADDRESS, ADDRESS, bytes(6)):
        distinct.add(address)
    old_key = distinct._key
    assert distinct.close() == 2
    assert len(distinct) == 0 and old_key.forgotten
    distinct.add(ADDRESS)
    assert distinct.close() == 1


@pytest.mark.parametrize("minutes", [0, 16, -5])
def test_windows_outside_one_to_fifteen_minutes_are_refused(minutes: int) -> None:
    with pytest.raises(ValueError, match="1 to 15 minutes"):
        check_minutes(minutes)


def test_windows_are_aligned_to_the_epoch() -> None:
    assert window_of(1_000_123.5, 5) == Window(999_900, 1_000_200)
    assert window_of(1_000_123.5, 5).seconds == 300
