"""80% intervals from the model's own out-of-sample errors (split conformal, on the log scale)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LOW, HIGH = 0.10, 0.90
MIN_SAMPLES = 30


def part_of_day(hours: np.ndarray) -> np.ndarray:
    """Four parts of the day: night, morning, afternoon, evening."""
    return np.asarray(hours) // 6


@dataclass(frozen=True)
class ResidualQuantiles:
    """Lower and upper log-residual quantiles per (series, part of day), with global fallbacks."""

    by_group: dict[tuple[int, int], tuple[float, float]]
    overall: tuple[float, float]

    def bounds(self, rows: pd.DataFrame, log_point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds on the log scale around log_point."""
        parts = part_of_day(rows["hour"].to_numpy())
        series = rows["series"].to_numpy()
        low = np.empty(len(rows))
        high = np.empty(len(rows))
        for i, key in enumerate(zip(series.tolist(), parts.tolist(), strict=True)):
            low[i], high[i] = self.by_group.get(key, self.overall)
        return log_point + low, log_point + high


def fit_residual_quantiles(rows: pd.DataFrame, residuals: np.ndarray) -> ResidualQuantiles:
    """Quantiles of residuals (log actual minus log forecast) per series and part of day."""
    if len(residuals) == 0:
        return ResidualQuantiles({}, (-0.5, 0.5))
    overall = (float(np.quantile(residuals, LOW)), float(np.quantile(residuals, HIGH)))
    frame = pd.DataFrame(
        {"series": rows["series"].to_numpy(), "part": part_of_day(rows["hour"].to_numpy()), "r": residuals}
    )
    groups: dict[tuple[int, int], tuple[float, float]] = {}
    for (series, part), group in frame.groupby(["series", "part"]):
        if len(group) >= MIN_SAMPLES:
            groups[(int(series), int(part))] = (
                float(group["r"].quantile(LOW)),
                float(group["r"].quantile(HIGH)),
            )
    return ResidualQuantiles(groups, overall)
