"""Forecasts of the next hours for many series: each gets the model its history allows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from freiweg.forecasting.calendar import LocalCalendar
from freiweg.forecasting.features import PROFILE_WEEKS, WEEK, build_rows
from freiweg.forecasting.intervals import HIGH, LOW
from freiweg.forecasting.models import (
    MODEL_VERSION,
    NAIVE_VERSION,
    PROFILE_VERSION,
    BoostedModel,
    model_for_history,
)

HORIZON = 48
DAY = 24
MODEL_LABELS = {
    MODEL_VERSION: "gradient-boosted model across all areas and sensors (LightGBM) with the local calendar",
    PROFILE_VERSION: "hour-of-week profile: median of the weeks so far (less than 8 weeks of history)",
    NAIVE_VERSION: "seasonal naive: the same hour a week (or a day) before (less than 2 weeks of history)",
}


@dataclass(frozen=True)
class SeriesForecast:
    """The next hours of one series: values with 80% interval, the model used and its history."""

    version: str
    history_hours: int
    hours: pd.DatetimeIndex
    value: np.ndarray
    low: np.ndarray
    high: np.ndarray


def history_hours(column: pd.Series) -> int:
    """Hours from the first measured hour to the end of the frame."""
    seen = np.flatnonzero(column.notna().to_numpy())
    return 0 if len(seen) == 0 else len(column) - int(seen[0])


def forecast_all(
    frame: pd.DataFrame,
    calendar: LocalCalendar,
    *,
    model: BoostedModel | None = None,
    horizon: int = HORIZON,
) -> dict[str, SeriesForecast]:
    """Forecast the horizon hours after the frame's last row for every column with history.

    frame: complete naive local wall-clock hours, one column per series, NaN where unmeasured.
    """
    hours = pd.date_range(frame.index[-1] + pd.Timedelta(hours=1), periods=horizon, freq="h")
    extended = frame.reindex(frame.index.append(hours))
    origin = len(frame)
    result: dict[str, SeriesForecast] = {}
    boosted: list[str] = []
    for name in frame.columns:
        seen = history_hours(frame[name])
        if seen == 0:
            continue
        version = model_for_history(seen)
        if version == MODEL_VERSION and (model is None or name not in model.series_codes):
            version = PROFILE_VERSION
        if version == MODEL_VERSION:
            boosted.append(name)
            continue
        values = extended[name].to_numpy(dtype=float)
        if version == PROFILE_VERSION:
            point, low, high = _profile(values, origin, horizon)
        else:
            point, low, high = _naive(values, origin, horizon)
        result[name] = SeriesForecast(version, seen, hours, point, low, high)
    if boosted and model is not None:
        sub = extended[boosted]
        codes = {name: model.series_codes[name] for name in boosted}
        rows = build_rows(sub, np.array([origin]), np.arange(1, horizon + 1), calendar, codes)
        fallback = np.log1p(np.nan_to_num(rows["profile"].to_numpy(), nan=0.0))
        rows["base"] = np.where(np.isfinite(rows["base"]), rows["base"], fallback)
        predicted = model.predict(rows)
        for i, name in enumerate(boosted):
            mine = predicted[rows["column"].to_numpy() == i]
            result[name] = SeriesForecast(
                MODEL_VERSION,
                history_hours(frame[name]),
                hours,
                mine["forecast"].to_numpy(),
                mine["low"].to_numpy(),
                mine["high"].to_numpy(),
            )
    return result


def _profile(values: np.ndarray, origin: int, horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median of the same hour of the week over the weeks so far, log-residual quantile band."""
    targets = np.arange(origin, origin + horizon)
    stacked = np.stack([_at(values, targets - WEEK * k) for k in range(1, PROFILE_WEEKS + 1)])
    with np.errstate(all="ignore"):
        point = np.nanmedian(np.where(np.all(np.isnan(stacked), axis=0), 0.0, stacked), axis=0)
    history = np.arange(max(WEEK, origin - PROFILE_WEEKS * WEEK), origin)
    past = np.stack([_at(values, history - WEEK * k) for k in range(1, PROFILE_WEEKS + 1)])
    with np.errstate(all="ignore"):
        fitted = np.nanmedian(np.where(np.all(np.isnan(past), axis=0), np.nan, past), axis=0)
    return _band(point, values[history], fitted)


def _naive(values: np.ndarray, origin: int, horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same hour a week before when there is one, else the same hour a day before."""
    targets = np.arange(origin, origin + horizon)
    week = _at(values, targets - WEEK)
    day = _at(values, origin - DAY + (targets - origin) % DAY)
    point = np.where(np.isnan(week), day, week)
    history = np.arange(max(DAY, origin - 2 * WEEK), origin)
    return _band(np.nan_to_num(point, nan=0.0), values[history], _at(values, history - DAY))


def _band(
    point: np.ndarray, actual: np.ndarray, fitted: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ok = np.isfinite(actual) & np.isfinite(fitted)
    residuals = np.log1p(actual[ok]) - np.log1p(fitted[ok])
    low_q, high_q = np.quantile(residuals, [LOW, HIGH]) if len(residuals) >= 24 else (-0.5, 0.5)
    log_point = np.log1p(np.maximum(point, 0.0))
    return (
        np.maximum(point, 0.0),
        np.maximum(np.expm1(log_point + min(low_q, 0.0)), 0.0),
        np.expm1(log_point + max(high_q, 0.0)),
    )


def _at(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    safe = np.clip(positions, 0, len(values) - 1)
    return np.where((positions >= 0) & (positions < len(values)), values[safe], np.nan)
