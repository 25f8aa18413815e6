"""Feature rows for direct multi-horizon forecasts made at an origin from the hours before it."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from freiweg.forecasting.calendar import LocalCalendar

WEEK = 168
PROFILE_WEEKS = 8

FEATURES = [
    "series",
    "horizon",
    "hour",
    "weekday",
    "hour_of_week",
    "month",
    "day_of_year",
    "holiday",
    "school_holiday",
    "bridge_day",
    "days_to_holiday",
    "days_since_holiday",
    "days_to_christmas",
    "lag_week_holiday",
    "log_profile",
    "log_lag_week",
    "log_lag_two_weeks",
    "lag_week_vs_profile",
    "level_vs_last_week",
    "last_hour_vs_profile",
    "profile_spread",
    "recent_day_vs_profile",
    "week_level_vs_last_week",
]

# Recent level against the usual level, per series and across all series.
RECENT_FEATURES = [
    "day_vs_profile",
    "three_days_vs_profile",
    "week_vs_profile",
    "all_series_day_vs_profile",
    "all_series_week_vs_profile",
    "lag_week_day_vs_profile",
    "mean_vs_median_eight_weeks",
    "four_weeks_vs_eight_weeks",
]


CALENDAR_COLUMNS = (
    "hour",
    "weekday",
    "hour_of_week",
    "month",
    "day_of_year",
    "holiday",
    "school_holiday",
    "bridge_day",
    "days_to_holiday",
    "days_since_holiday",
    "days_to_christmas",
)


def seasonal_naive(values: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The same hour one week before each target (rows are hours, columns series)."""
    return _take(values, targets - WEEK)


def hour_of_week_profile(values: np.ndarray, targets: np.ndarray, weeks: int = PROFILE_WEEKS) -> np.ndarray:
    """Median of the same hour of the week over the last weeks before each target (NaN-aware)."""
    stacked = np.stack([_take(values, targets - WEEK * k) for k in range(1, weeks + 1)])
    with np.errstate(all="ignore"):
        all_missing = np.all(np.isnan(stacked), axis=0)
        stacked = np.where(all_missing[None], 0.0, stacked)
        result = np.nanmedian(stacked, axis=0)
    result[all_missing] = np.nan
    return np.asarray(result, dtype=float)


def _take(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """values[positions] (rows) with NaN where a position falls outside the frame."""
    safe = np.clip(positions, 0, len(values) - 1)
    valid = (positions >= 0) & (positions < len(values))
    return np.where(valid[:, None], values[safe], np.nan)


def build_rows(
    frame: pd.DataFrame,
    origins: np.ndarray,
    horizons: np.ndarray,
    calendar: LocalCalendar,
    series_codes: dict[str, int],
) -> pd.DataFrame:
    """One row per (origin, horizon, series) with features, the base level and the actual value.

    frame has complete naive local hourly rows; origins are row positions: the forecast is made
    knowing rows before the origin only. Horizon 1 is the origin's own hour.
    """
    values = frame.to_numpy(dtype=float)
    n_series = values.shape[1]
    targets = (origins[:, None] + horizons[None, :] - 1).ravel()
    origin_of = np.repeat(origins, len(horizons))
    horizon_of = np.tile(horizons, len(origins))
    hours = _extend_index(frame.index, int(targets.max()) + 1)
    cal = calendar.frame(hours)
    lag_holiday = cal["holiday"].to_numpy()[np.clip(targets - WEEK, 0, None)]
    known = values  # rows at or after an origin are never read below: every lag is at least a week back
    profile = hour_of_week_profile(known, targets)
    spread = _profile_spread(known, targets)
    lag_week = seasonal_naive(known, targets)
    lag_two = _take(known, targets - 2 * WEEK)
    level = _level_vs_last_week(known, origin_of)
    last_hour = np.log1p(_take(known, origin_of - 1)) - np.log1p(hour_of_week_profile(known, origin_of - 1))
    # The most recent same hour before the origin (yesterday's, or the day before for later hours).
    back_days = (np.ceil((targets - origin_of + 1) / 24)).astype(int) * 24
    recent_day = _take(known, targets - back_days)
    recent_profile = hour_of_week_profile(known, targets - back_days)
    week_level = _level_vs_last_week(known, origin_of, hours=WEEK)
    log_profile = np.log1p(profile)
    base = np.where(np.isnan(log_profile), np.log1p(lag_week), log_profile)
    actual = _take(values, targets)
    rows = {
        "series": np.tile(np.array([series_codes[c] for c in frame.columns]), len(targets)),
        "horizon": np.repeat(horizon_of, n_series),
        "target": np.repeat(targets, n_series),
        "origin": np.repeat(origin_of, n_series),
    }
    for name in CALENDAR_COLUMNS:
        rows[name] = np.repeat(cal[name].to_numpy()[targets], n_series)
    rows["lag_week_holiday"] = np.repeat(lag_holiday, n_series)
    rows["log_profile"] = log_profile.ravel()
    rows["log_lag_week"] = np.log1p(lag_week).ravel()
    rows["log_lag_two_weeks"] = np.log1p(lag_two).ravel()
    rows["lag_week_vs_profile"] = (np.log1p(lag_week) - log_profile).ravel()
    rows["level_vs_last_week"] = level.ravel()
    rows["last_hour_vs_profile"] = last_hour.ravel()
    rows["profile_spread"] = spread.ravel()
    rows["recent_day_vs_profile"] = (np.log1p(recent_day) - np.log1p(recent_profile)).ravel()
    rows["week_level_vs_last_week"] = week_level.ravel()
    for name, value in _recent_level(known, origins, targets, hours, len(horizons)).items():
        rows[name] = value.ravel()
    rows["base"] = base.ravel()
    rows["profile"] = profile.ravel()
    rows["seasonal_naive"] = lag_week.ravel()
    rows["actual"] = actual.ravel()
    rows["column"] = np.tile(np.arange(n_series), len(targets))
    return pd.DataFrame(rows)


def _recent_level(
    values: np.ndarray,
    origins: np.ndarray,
    targets: np.ndarray,
    hours: pd.DatetimeIndex,
    n_horizons: int,
) -> dict[str, np.ndarray]:
    """Recent level against the profile, each (targets, series); every window ends before the origin.

    The last day, three days and week before the origin against the profile of the same hours
    (per series and the mean over all series), the target's day one week earlier against its
    profile, and the shape of the last eight weeks at the target hour (mean against median, the
    last four weeks against all eight).
    """
    low = max(0, int(origins.min()) - 2 * WEEK)
    high = int(origins.max())
    part = values[low:high]
    profile = hour_of_week_profile(values, np.arange(low, high))
    both = np.isfinite(part) & np.isfinite(profile)
    zeros = np.zeros((1, values.shape[1]))
    measured = np.vstack([zeros, np.cumsum(np.where(both, part, 0.0), axis=0)])
    usual = np.vstack([zeros, np.cumsum(np.where(both, profile, 0.0), axis=0)])
    counted = np.vstack([zeros, np.cumsum(both, axis=0)])

    def window(ends: np.ndarray, length: int) -> np.ndarray:
        end = np.clip(ends - low, 0, len(part))
        start = np.clip(end - length, 0, len(part))
        seen = counted[end] - counted[start]
        with np.errstate(all="ignore"):
            ratio = np.log1p(measured[end] - measured[start]) - np.log1p(usual[end] - usual[start])
        return np.where(seen >= 0.75 * length, ratio, np.nan)

    result: dict[str, np.ndarray] = {}
    for name, length in (("day_vs_profile", 24), ("three_days_vs_profile", 72), ("week_vs_profile", WEEK)):
        level = window(origins, length)
        result[name] = np.repeat(level, n_horizons, axis=0)
        if name != "three_days_vs_profile":
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                shared = np.nanmean(level, axis=1, keepdims=True)
            shared = np.broadcast_to(shared, level.shape)
            result[f"all_series_{name}"] = np.repeat(shared, n_horizons, axis=0)
    day_end = targets - np.asarray(hours.hour)[targets] - WEEK + 24
    result["lag_week_day_vs_profile"] = window(day_end, 24)
    stacked = np.log1p(np.stack([_take(values, targets - WEEK * k) for k in range(1, PROFILE_WEEKS + 1)]))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nanmedian(stacked, axis=0)
        result["mean_vs_median_eight_weeks"] = np.nanmean(stacked, axis=0) - median
        result["four_weeks_vs_eight_weeks"] = np.nanmedian(stacked[:4], axis=0) - median
    return result


def _extend_index(index: pd.DatetimeIndex, length: int) -> pd.DatetimeIndex:
    if length <= len(index):
        return index
    return pd.date_range(index[0], periods=length, freq="h")


def _level_vs_last_week(values: np.ndarray, origins: np.ndarray, hours: int = 24) -> np.ndarray:
    """log of the mean of the last hours before the origin against the same hours a week earlier."""
    cumulative = np.vstack([np.zeros((1, values.shape[1])), np.nancumsum(values, axis=0)])
    counts = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(~np.isnan(values), axis=0)])

    def window(end: np.ndarray) -> np.ndarray:
        end = np.clip(end, 0, len(values))
        start = np.clip(end - hours, 0, len(values))
        total = cumulative[end] - cumulative[start]
        seen = counts[end] - counts[start]
        with np.errstate(all="ignore"):
            return np.where(seen >= 0.75 * hours, total / np.maximum(seen, 1), np.nan)

    with np.errstate(all="ignore"):
        return np.asarray(np.log1p(window(origins)) - np.log1p(window(origins - WEEK)), dtype=float)


def _profile_spread(values: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Spread of log counts over the last eight weeks at the target's hour of the week."""
    stacked = np.log1p(np.stack([_take(values, targets - WEEK * k) for k in range(1, PROFILE_WEEKS + 1)]))
    with np.errstate(all="ignore"):
        ok = np.sum(~np.isnan(stacked), axis=0) >= 3
        spread = np.nanstd(np.where(ok[None], stacked, 0.0), axis=0)
    return np.where(ok, spread, np.nan)
