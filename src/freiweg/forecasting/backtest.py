"""Rolling-origin backtest: the product model against seasonal naive and the hour-of-week profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from freiweg.forecasting.calendar import LocalCalendar
from freiweg.forecasting.features import WEEK, build_rows
from freiweg.forecasting.models import HORIZONS, MODEL_VERSION, ORIGIN_HOURS, ROUNDS, TRAIN_WEEKS, fit_boosted

REFIT_WEEKS = 8
DAY_AHEAD_ORIGIN_HOUR = 18
MODELS = ("product", "seasonal_naive", "profile")


@dataclass(frozen=True)
class BacktestResult:
    """Metrics per task and model, and what was evaluated."""

    table: list[dict[str, object]]
    origins: int
    series: int
    refits: int
    model_version: str

    def as_dict(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "origins": self.origins,
            "series": self.series,
            "refits": self.refits,
            "model_version": self.model_version,
            "table": self.table,
        }


def run_backtest(
    frame: pd.DataFrame,
    calendar: LocalCalendar,
    *,
    start: date,
    end: date,
    refit_weeks: int = REFIT_WEEKS,
    rounds: int = ROUNDS,
    train_weeks: int = TRAIN_WEEKS,
    progress: Callable[[str], None] | None = None,
) -> BacktestResult:
    """Origins at 6:00 and 18:00 on each day from start to end (end included); models see only
    hours before the origin and are refitted every refit_weeks on all hours before the block."""
    first = frame.index.get_indexer([pd.Timestamp(start) + pd.Timedelta(hours=ORIGIN_HOURS[0])])[0]
    last = frame.index.get_indexer([pd.Timestamp(end) + pd.Timedelta(hours=ORIGIN_HOURS[-1])])[0]
    if first < 0 or last < 0 or first < 16 * WEEK:
        raise ValueError("the window must lie inside the data and leave at least 16 weeks before it")
    positions = np.arange(first, last + 1)
    origins = positions[np.isin(frame.index.hour[positions], ORIGIN_HOURS)]
    codes = {name: i for i, name in enumerate(frame.columns)}
    parts = []
    block = refit_weeks * WEEK
    refits = 0
    for block_start in range(first, last + 1, block):
        chosen = origins[(origins >= block_start) & (origins < block_start + block)]
        if len(chosen) == 0:
            continue
        model = fit_boosted(
            frame,
            calendar,
            cutoff=int(block_start),
            series_codes=codes,
            rounds=rounds,
            train_weeks=train_weeks,
        )
        refits += 1
        if progress:
            progress(f"fitted on hours before {frame.index[block_start]}; {len(chosen)} origins")
        rows = build_rows(frame, chosen, HORIZONS, calendar, codes)
        rows = rows[np.isfinite(rows["base"])]
        rows = rows.join(model.predict(rows))
        parts.append(rows)
    rows = pd.concat(parts)
    scale = _mase_scale(frame, first)
    table = []
    for task, selected in (("next 24 hours", _next_24(rows)), ("day ahead", _day_ahead(rows, frame))):
        table.extend(_metrics(task, selected, scale))
    return BacktestResult(table, len(origins), frame.shape[1], refits, MODEL_VERSION)


def _next_24(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["horizon"] <= 24]


def _day_ahead(rows: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """From the evening origin, the hours 0-23 of the next calendar day."""
    origin_hour = frame.index.hour[rows["origin"].to_numpy()]
    lead = 24 - DAY_AHEAD_ORIGIN_HOUR
    keep = (origin_hour == DAY_AHEAD_ORIGIN_HOUR) & (rows["horizon"] > lead) & (rows["horizon"] <= lead + 24)
    return rows[keep]


def _mase_scale(frame: pd.DataFrame, first: int) -> np.ndarray:
    """Per series: mean absolute seasonal-naive (168 h) error over the year before the window."""
    year = frame.iloc[max(0, first - 365 * 24 - WEEK) : first].to_numpy()
    errors = np.abs(year[WEEK:] - year[:-WEEK])
    with np.errstate(all="ignore"):
        return np.asarray(np.nanmean(errors, axis=0), dtype=float)


def _metrics(task: str, rows: pd.DataFrame, scale: np.ndarray) -> list[dict[str, object]]:
    ok = (
        np.isfinite(rows["actual"])
        & np.isfinite(rows["seasonal_naive"])
        & np.isfinite(rows["profile"])
        & np.isfinite(rows["forecast"])
    )
    rows = rows[ok]
    actual = rows["actual"].to_numpy()
    column = rows["column"].to_numpy()
    result = []
    for model, prediction in (
        ("product", rows["forecast"].to_numpy()),
        ("seasonal_naive", rows["seasonal_naive"].to_numpy()),
        ("profile", rows["profile"].to_numpy()),
    ):
        errors = np.abs(actual - prediction)
        per_series = pd.Series(errors).groupby(column).mean()
        mase = float(np.nanmean(per_series.to_numpy() / scale[per_series.index.to_numpy()]))
        entry: dict[str, object] = {
            "task": task,
            "model": model,
            "mae": round(float(errors.mean()), 2),
            "mase": round(mase, 3),
            "wape": round(float(errors.sum() / np.abs(actual).sum()), 4),
            "coverage_80": None,
            "hours": int(len(actual)),
        }
        if model == "product":
            inside = (actual >= rows["low"].to_numpy()) & (actual <= rows["high"].to_numpy())
            entry["coverage_80"] = round(float(inside.mean()), 3)
        result.append(entry)
    return result
