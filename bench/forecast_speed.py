"""Speed of forecast training and of forecasting many areas, each against a baseline in the same run.

    .venv/bin/python -m bench.forecast_speed [--areas 500] [--repeat 3]

1. Training: the global model on all 21 Auckland sensors from 2023-01-01 to 2025-12-31 (156 weeks,
   the same fit the service makes), against one pass that only builds the training rows.
2. Forecasting: `forecast_all` for --areas series and 48 hours with the trained model (each area
   takes the series code of one of the 21 sensors) and, as baseline, the same areas by the
   hour-of-week profile (what areas with less than eight weeks of history get).
Times are wall-clock seconds; the machine load (`uptime`) is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import pandas as pd

from freiweg.forecasting import akl
from freiweg.forecasting.features import build_rows
from freiweg.forecasting.models import HORIZONS, fit_boosted, training_origins
from freiweg.forecasting.product import forecast_all


def load() -> str:
    """The load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    """Run both benchmarks and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--areas", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load before: {load()}")
    frame = akl.load_counts().loc["2023-01-01":"2025-12-31"]
    weeks = len(frame) // 168

    started = time.perf_counter()
    codes = {name: i for i, name in enumerate(frame.columns)}
    build_rows(frame, training_origins(frame, 0, len(frame) - 48), HORIZONS, akl.CALENDAR, codes)
    rows_only = time.perf_counter() - started
    started = time.perf_counter()
    model = fit_boosted(frame, akl.CALENDAR, train_weeks=weeks)
    training = time.perf_counter() - started
    print(f"training rows only: {rows_only:.1f} s; training ({weeks} weeks, 21 sensors): {training:.1f} s")

    rng = np.random.default_rng(7)
    recent = frame.iloc[-12 * 168 :]
    columns = {}
    series_codes = {}
    for i in range(args.areas):
        source = frame.columns[i % len(frame.columns)]
        columns[f"area-{i}"] = recent[source].to_numpy() * rng.uniform(0.5, 1.5)
        series_codes[f"area-{i}"] = model.series_codes[source]
    areas = pd.DataFrame(columns, index=recent.index)
    model.series_codes = series_codes
    boosted, profile = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = forecast_all(areas, akl.CALENDAR, model=model)
        boosted.append(time.perf_counter() - started)
        started = time.perf_counter()
        forecast_all(areas, akl.CALENDAR, model=None)
        profile.append(time.perf_counter() - started)
    versions = {f.version for f in result.values()}
    print(
        f"forecast {args.areas} areas x 48 h: boosted median {statistics.median(boosted):.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in boosted)}; models {sorted(versions)}); "
        f"profile baseline median {statistics.median(profile):.2f} s"
    )
    print(f"load after: {load()}")


if __name__ == "__main__":
    main()
