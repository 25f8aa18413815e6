"""The forecasting core: calendar, the Auckland loader, features without look-ahead, models, backtest."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from freiweg.forecasting import akl
from freiweg.forecasting.backtest import run_backtest
from freiweg.forecasting.calendar import LocalCalendar
from freiweg.forecasting.features import (
    RECENT_FEATURES,
    WEEK,
    build_rows,
    hour_of_week_profile,
    seasonal_naive,
)
from freiweg.forecasting.models import MODEL_VERSION, NAIVE_VERSION, PROFILE_VERSION, model_for_history
from freiweg.forecasting.product import forecast_all

BAVARIA = LocalCalendar("DE", "BY", "de")


def test_bavarian_holidays_school_holidays_and_bridge_days_are_known() -> None:
    assert BAVARIA.day_facts(date(2026, 10, 3)).holiday_name == "Tag der Deutschen Einheit"
    assert BAVARIA.day_facts(date(2026, 8, 20)).school_holiday
    assert not BAVARIA.day_facts(date(2026, 10, 20)).school_holiday
    # Ascension Day 2026 is Thursday 14 May, so Friday 15 May is a bridge day.
    assert BAVARIA.day_facts(date(2026, 5, 15)).bridge_day
    assert not BAVARIA.day_facts(date(2026, 5, 13)).bridge_day
    assert "bridge day" in BAVARIA.reasons(date(2026, 5, 15))


def test_the_auckland_hours_0_to_5_belong_to_the_next_calendar_day() -> None:
    frame = akl.load_counts()
    assert frame.index.is_unique and frame.index.is_monotonic_increasing
    assert (frame.index[1:] - frame.index[:-1] == pd.Timedelta(hours=1)).all()
    assert frame.index[0] == pd.Timestamp("2019-01-01 06:00")
    assert frame.shape[1] == 21
    # New Year's midnight crowd on the waterfront sits in the row labelled 31 December, 0:00.
    quay = frame["107 Quay Street"]
    assert quay[pd.Timestamp("2025-01-01 00:00")] > 3 * quay[pd.Timestamp("2024-12-31 03:00")]


def test_features_use_only_hours_before_the_origin() -> None:
    hours = pd.date_range("2026-01-05", periods=12 * WEEK, freq="h")
    noise = np.random.default_rng(7).uniform(5, 50, len(hours))
    frame = pd.DataFrame({"a": np.arange(len(hours), dtype=float), "b": noise}, index=hours)
    origin = 10 * WEEK
    codes = {"a": 0, "b": 1}
    rows = build_rows(frame, np.array([origin]), np.arange(1, 49), BAVARIA, codes)
    poisoned = frame.copy()
    poisoned.iloc[origin:] = 1e9
    again = build_rows(poisoned, np.array([origin]), np.arange(1, 49), BAVARIA, codes)
    features = [c for c in rows.columns if c != "actual"]
    assert set(RECENT_FEATURES) <= set(features)
    assert rows[RECENT_FEATURES].notna().all().all()
    pd.testing.assert_frame_equal(rows[features], again[features])


def test_the_baselines_are_last_week_and_the_median_of_eight_weeks() -> None:
    values = np.arange(10 * WEEK, dtype=float)[:, None]
    target = np.array([9 * WEEK + 5])
    assert seasonal_naive(values, target)[0, 0] == 8 * WEEK + 5
    assert hour_of_week_profile(values, target)[0, 0] == np.median(
        [9 * WEEK + 5 - k * WEEK for k in range(1, 9)]
    )


@pytest.mark.parametrize(
    ("weeks", "version"),
    [(1, NAIVE_VERSION), (2, PROFILE_VERSION), (7.9, PROFILE_VERSION), (8, MODEL_VERSION)],
)
def test_the_model_follows_the_length_of_history(weeks: float, version: str) -> None:
    assert model_for_history(int(weeks * WEEK)) == version


def test_daylight_saving_keeps_the_local_rhythm() -> None:
    # Local wall-clock hours: the peak stays at 15:00 local across the change on 25 October 2026.
    hours = pd.date_range("2026-09-28", "2026-10-25 23:00", freq="h")
    frame = pd.DataFrame({"a": np.where(hours.hour == 15, 100.0, 10.0)}, index=hours)
    forecast = forecast_all(frame, BAVARIA)["a"]
    peaks = forecast.hours[forecast.value == forecast.value.max()]
    assert set(peaks.hour) == {15}


def test_a_short_backtest_beats_the_baselines_on_three_real_sensors() -> None:
    frame = akl.load_counts()[["261 Queen Street", "107 Quay Street", "150 K Road"]]
    frame = frame.loc["2023-01-01":"2024-04-30"]
    result = run_backtest(
        frame, akl.CALENDAR, start=date(2024, 3, 4), end=date(2024, 3, 10), rounds=40, train_weeks=30
    )
    table: dict[tuple[Any, Any], dict[str, Any]] = {(r["task"], r["model"]): r for r in result.table}
    product = table[("day ahead", "product")]
    assert product["mase"] < table[("day ahead", "seasonal_naive")]["mase"]
    assert 0.6 <= product["coverage_80"] <= 0.95
    assert result.as_dict()["series"] == 3
