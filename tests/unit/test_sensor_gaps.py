"""Finding gaps in a sensor's count windows, and the roles staff can have."""

from __future__ import annotations

import pytest

from freiweg.domain.errors import InvalidInput
from freiweg.services.sensor_health import find_gaps
from freiweg.services.staff import ROLES, check_role


def test_back_to_back_windows_have_no_gaps() -> None:
    windows = [(0, 300), (300, 600), (600, 900)]
    assert find_gaps(windows, since=0, now=900, interval=300, tolerance=2) == []


def test_a_pause_longer_than_the_tolerance_is_a_gap_and_a_shorter_one_is_not() -> None:
    windows = [(0, 300), (800, 1100), (2000, 2300)]
    gaps = find_gaps(windows, since=0, now=2300, interval=300, tolerance=2)
    assert gaps == [{"from": 1100, "to": 2000, "seconds": 900}]


def test_silence_until_now_is_a_gap() -> None:
    assert find_gaps([(0, 300)], since=0, now=1000, interval=300, tolerance=2) == [
        {"from": 300, "to": 1000, "seconds": 700}
    ]


def test_a_sensor_without_any_count_is_one_long_gap() -> None:
    assert find_gaps([], since=100, now=5000, interval=300, tolerance=2)[0]["seconds"] == 4900


def test_only_the_four_roles_exist() -> None:
    assert ROLES == ("admin", "editor", "analyst", "moderator")
    for role in ROLES:
        assert check_role(role) == role
    with pytest.raises(InvalidInput, match="admin, editor, analyst, moderator"):
        check_role("root")
