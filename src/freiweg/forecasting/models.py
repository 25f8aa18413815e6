"""The forecast models: a global LightGBM model across series and the two simple fallbacks."""

from __future__ import annotations

from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import pandas as pd

from freiweg.forecasting.calendar import LocalCalendar
from freiweg.forecasting.features import FEATURES, RECENT_FEATURES, WEEK, build_rows
from freiweg.forecasting.intervals import ResidualQuantiles, fit_residual_quantiles

MODEL_VERSION = "gbm-3"
PROFILE_VERSION = "profile-1"
NAIVE_VERSION = "seasonal-naive-1"
ORIGIN_HOURS = (6, 18)
HORIZONS = np.arange(1, 49)
TRAIN_WEEKS = 156
CALIBRATION_WEEKS = 8
MAX_ROWS = 300_000
MODEL_FEATURES = [*FEATURES, *RECENT_FEATURES]
PARAMS: dict[str, object] = {
    "objective": "l1",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_child_samples": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "num_threads": 1,  # two threads on a shared 2-core machine run ten times slower
    "verbose": -1,
    "seed": 7,
    "deterministic": True,
}
ROUNDS = 400


def model_for_history(hours_of_history: int) -> str:
    """Which model a series gets: the boosted model from 8 weeks, the profile from 2, else naive."""
    if hours_of_history >= 8 * WEEK:
        return MODEL_VERSION
    if hours_of_history >= 2 * WEEK:
        return PROFILE_VERSION
    return NAIVE_VERSION


@dataclass
class BoostedModel:
    """A fitted global model with conformal residual quantiles for its 80% intervals."""

    booster: lgb.Booster
    quantiles: ResidualQuantiles
    series_codes: dict[str, int]
    trained_until: pd.Timestamp
    version: str = MODEL_VERSION
    importance: dict[str, float] = field(default_factory=dict)

    def predict(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Point forecast and 80% interval (counts) for feature rows."""
        log_ratio = self.booster.predict(rows[MODEL_FEATURES])
        log_point = rows["base"].to_numpy() + np.asarray(log_ratio)
        low, high = self.quantiles.bounds(rows, log_point)
        return pd.DataFrame(
            {
                "forecast": np.maximum(np.expm1(log_point), 0.0),
                "low": np.maximum(np.expm1(low), 0.0),
                "high": np.maximum(np.expm1(high), 0.0),
            },
            index=rows.index,
        )


def training_origins(frame: pd.DataFrame, start: int, end: int) -> np.ndarray:
    """Origin rows at the origin hours between start and end (end excluded)."""
    hours = frame.index.hour
    positions = np.arange(max(start, 2 * WEEK), max(end, 0))
    return positions[np.isin(hours[positions], ORIGIN_HOURS)]


def fit_boosted(
    frame: pd.DataFrame,
    calendar: LocalCalendar,
    *,
    cutoff: int | None = None,
    series_codes: dict[str, int] | None = None,
    train_weeks: int = TRAIN_WEEKS,
    rounds: int = ROUNDS,
) -> BoostedModel:
    """Fit on hours before cutoff (a row position; default: all rows), calibrating the intervals
    on the last weeks with a model that has not seen them."""
    cutoff = len(frame) if cutoff is None else cutoff
    codes = series_codes or {name: i for i, name in enumerate(frame.columns)}
    horizon = int(HORIZONS.max())
    start = max(0, cutoff - train_weeks * WEEK)
    calibration_start = cutoff - CALIBRATION_WEEKS * WEEK
    early = _clean(
        build_rows(
            frame, training_origins(frame, start, calibration_start - horizon), HORIZONS, calendar, codes
        )
    )
    late = _clean(
        build_rows(
            frame, training_origins(frame, calibration_start, cutoff - horizon), HORIZONS, calendar, codes
        )
    )
    probe = _train(early, rounds)
    probe_log = late["base"].to_numpy() + probe.predict(late[MODEL_FEATURES])
    quantiles = fit_residual_quantiles(late, np.log1p(late["actual"].to_numpy()) - probe_log)
    booster = _train(pd.concat([early, late]), rounds)
    gains = booster.feature_importance(importance_type="gain")
    total = float(np.sum(gains)) or 1.0
    return BoostedModel(
        booster=booster,
        quantiles=quantiles,
        series_codes=codes,
        trained_until=frame.index[cutoff - 1],
        importance={name: round(float(g) / total, 4) for name, g in zip(MODEL_FEATURES, gains, strict=True)},
    )


def _clean(rows: pd.DataFrame) -> pd.DataFrame:
    keep = np.isfinite(rows["actual"]) & np.isfinite(rows["base"])
    rows = rows[keep]
    if len(rows) > MAX_ROWS:
        rows = rows.sample(MAX_ROWS, random_state=7)
    return rows


def _train(rows: pd.DataFrame, rounds: int) -> lgb.Booster:
    if rows.empty:
        raise ValueError("not enough history to train the boosted model (needs at least 8 weeks)")
    label = np.log1p(rows["actual"].to_numpy()) - rows["base"].to_numpy()
    data = lgb.Dataset(rows[MODEL_FEATURES], label=label, categorical_feature=["series"], free_raw_data=True)
    return lgb.train(PARAMS, data, num_boost_round=rounds)
