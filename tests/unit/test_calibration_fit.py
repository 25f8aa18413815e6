"""Fitting the devices-to-people factor: a robust median with a reproducible interval, or a clear refusal."""

from __future__ import annotations

import pytest

from freiweg.domain.calibration_fit import MIN_SESSIONS, SessionComparison, fit_factor
from freiweg.domain.errors import InvalidInput


def sessions(*pairs: tuple[float, float]) -> list[SessionComparison]:
    return [SessionComparison(i + 1, people, devices) for i, (people, devices) in enumerate(pairs)]


def test_the_factor_is_the_median_ratio_and_an_outlier_session_does_not_move_it() -> None:
    fit = fit_factor(sessions((15, 10), (30, 20), (45, 30), (300, 40), (16, 10)))
    assert fit.factor == pytest.approx(1.5)
    assert fit.low <= fit.factor <= fit.high
    assert fit.high < 7.5  # the tour group (7.5 people per device) stays outside the interval


def test_the_interval_narrows_as_sessions_agree() -> None:
    spread = fit_factor(sessions((10, 10), (20, 10), (15, 10), (12, 10), (18, 10)))
    agreeing = fit_factor(sessions((15, 10), (15, 10), (15, 10), (15, 10), (15, 10)))
    assert agreeing.high - agreeing.low == 0
    assert spread.high - spread.low > 0.2


def test_the_same_sessions_always_give_the_same_calibration() -> None:
    data = sessions((10, 7), (21, 12), (14, 11), (30, 19), (8, 9), (26, 14))
    assert fit_factor(data) == fit_factor(data)


def test_too_few_sessions_are_refused_with_how_many_are_needed() -> None:
    with pytest.raises(InvalidInput, match=f"at least {MIN_SESSIONS}"):
        fit_factor(sessions((10, 10), (20, 10)))


def test_sessions_in_which_the_sensor_counted_nothing_are_left_out_and_named() -> None:
    fit = fit_factor(sessions((10, 10), (20, 0), (12, 10), (14, 10)))
    assert fit.sessions_without_devices == (2,)
    assert fit.sessions_used == (1, 3, 4)
    with pytest.raises(InvalidInput, match="2 usable session"):
        fit_factor(sessions((10, 10), (20, 0), (12, 10)))
