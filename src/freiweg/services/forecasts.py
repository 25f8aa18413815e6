"""Forecasts per area and per sensor for the next 48 hours: refreshed hourly and after late data, stored
by model version."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from freiweg.forecasting.calendar import Event, LocalCalendar
from freiweg.forecasting.features import WEEK
from freiweg.forecasting.models import BoostedModel, fit_boosted
from freiweg.forecasting.product import HORIZON, MODEL_LABELS, SeriesForecast, forecast_all
from freiweg.services.clock import Clock, epoch
from freiweg.storage.forecast_repository import ForecastRepository, StoredEvent
from freiweg.storage.unit_of_work import Database

HOUR = 3600
HISTORY_WEEKS = 156
TRAIN_MIN_WEEKS = 20
LATE_AFTER_SECONDS = 2 * HOUR
NOWCAST_HALF_LIFE_HOURS = 3.0
EVENT_BASELINE_WEEKS = 4


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did."""

    areas: int
    made_at: int
    models: dict[str, int]
    sensors: int = 0


class ForecastService:
    """Makes, stores and serves area and sensor forecasts; `for_area` is what pages and the API call."""

    def __init__(self, *, database: Database, clock: Clock, timezone: str, calendar: LocalCalendar) -> None:
        self._database = database
        self._clock = clock
        self._zone = ZoneInfo(timezone)
        self._calendar = calendar
        self._model: BoostedModel | None = None
        self._model_day: str | None = None
        self._fingerprint: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    def refresh(self) -> RefreshResult:
        """Forecast every area and every sensor with data from the current hour on and store the runs.

        Areas and sensors are the series of one global model (columns `area:<id>`, `sensor:<id>`).
        """
        now = epoch(self._clock())
        current = now - now % HOUR
        since = current - HISTORY_WEEKS * WEEK * HOUR
        with self._database.reading() as reader:
            repository = ForecastRepository(reader.connection)
            rows = repository.area_hourly_presence(since)
            sensor_rows = repository.sensor_hourly_presence(since)
            stored_events = repository.events()
        area_of = {f"area:{a}": a for a, _, _ in rows}
        area_of.update({f"sensor:{s}": a for s, a, _, _ in sensor_rows})
        series = [(f"area:{a}", h, v) for a, h, v in rows]
        series += [(f"sensor:{s}", h, v) for s, _, h, v in sensor_rows]
        frame = self._local_frame(series, current)
        calendar = self._calendar_with(stored_events)
        model = self._boosted_model(frame, calendar)
        forecasts = forecast_all(frame, calendar, model=model, horizon=HORIZON + 2)
        models: dict[str, int] = {}
        with self._database.unit_of_work() as uow:
            repository = ForecastRepository(uow.connection)
            for subject, forecast in forecasts.items():
                area_id = area_of[subject]
                history = frame[f"area:{area_id}"] if f"area:{area_id}" in frame.columns else None
                values = self._hourly_values(area_id, forecast, history, stored_events, current)
                data = frame[subject]
                measured = data.notna().to_numpy().nonzero()[0]
                run = {
                    "subject": subject,
                    "made_at": now,
                    "model_version": forecast.version,
                    "history_hours": forecast.history_hours,
                    "data_until": self._utc(data.index[measured[-1]]) if len(measured) else None,
                    "data_hours": len(measured),
                }
                repository.add_run(run, values)
                if subject.startswith("area:"):
                    models[forecast.version] = models.get(forecast.version, 0) + 1
            uow.commit()
        self._fingerprint = self._current_fingerprint(current)
        areas = sum(models.values())
        return RefreshResult(areas=areas, made_at=now, models=models, sensors=len(forecasts) - areas)

    def refresh_if_due(self) -> bool:
        """Refresh when the hour has turned or data arrived since the last run (late data too)."""
        now = epoch(self._clock())
        current = now - now % HOUR
        with self._lock:
            if self._fingerprint == self._current_fingerprint(current):
                return False
            self.refresh()
            return True

    def for_area(self, area_id: str, *, refresh: bool = True) -> dict[str, Any] | None:
        """The newest forecast of an area as plain data, or None when there is none."""
        return self._newest(
            f"area:{area_id}",
            {"area_id": area_id},
            "presence counted by the area's sensors (hourly mean, summed, before calibration)",
            refresh=refresh,
        )

    def for_sensor(self, sensor_id: str, *, refresh: bool = True) -> dict[str, Any] | None:
        """The newest forecast of one sensor as plain data, or None when there is none."""
        with self._database.reading() as reader:
            area_id = ForecastRepository(reader.connection).sensor_area(sensor_id)
        if area_id is None:
            return None
        return self._newest(
            f"sensor:{sensor_id}",
            {"sensor_id": sensor_id, "area_id": area_id},
            "presence counted by the sensor (hourly mean, before calibration)",
            refresh=refresh,
        )

    def _newest(
        self, subject: str, names: dict[str, str], unit: str, *, refresh: bool
    ) -> dict[str, Any] | None:
        """The newest stored run of a subject (`area:<id>` or `sensor:<id>`) as plain data."""
        if refresh:
            self.refresh_if_due()
        now = epoch(self._clock())
        current = now - now % HOUR
        with self._database.reading() as reader:
            repository = ForecastRepository(reader.connection)
            run = repository.latest_run(subject)
            if run is None:
                return None
            values = [v for v in repository.run_values(run.id) if v["hour_start"] >= current][:HORIZON]
            last_measured = self._last_measured(reader.connection, subject, current)
        hours = [
            {
                "start": self._iso(v["hour_start"]),
                "value": round(v["value"], 1),
                "low": round(v["low"], 1),
                "high": round(v["high"], 1),
                "reasons": list(v["reasons"]),
            }
            for v in values
        ]
        return {
            **names,
            "made_at": self._iso(run.made_at),
            "model_version": run.model_version,
            "model": MODEL_LABELS.get(run.model_version, run.model_version),
            "history_hours": run.history_hours,
            "data_until": self._iso(run.data_until) if run.data_until is not None else None,
            "interval": 0.8,
            "unit": unit,
            "nowcast": self._nowcast(values, last_measured, now),
            "hours": hours,
        }

    def compare(self, area_id: str, hour: datetime) -> list[dict[str, Any]]:
        """Every stored forecast of one past or future hour of an area, to compare with the outcome."""
        start = epoch(hour) - epoch(hour) % HOUR
        with self._database.reading() as reader:
            found = ForecastRepository(reader.connection).forecasts_for_hour(f"area:{area_id}", start)
        return [{"model_version": v, "made_at": self._iso(m), "value": round(x, 1)} for v, m, x in found]

    # -- building blocks -------------------------------------------------------------------------

    def _local_frame(self, rows: list[tuple[str, int, float]], current: int) -> pd.DataFrame:
        """Naive local wall-clock hours up to the hour before current, one column per series."""
        end = self._local(current) - pd.Timedelta(hours=1)
        if not rows:
            return pd.DataFrame(index=pd.date_range(end, periods=1, freq="h"))
        raw = pd.DataFrame(rows, columns=["area", "hour", "value"])
        raw = raw[raw["hour"] < current]
        raw["local"] = (
            pd.to_datetime(raw["hour"], unit="s", utc=True).dt.tz_convert(self._zone).dt.tz_localize(None)
        )
        wide = raw.pivot_table(index="local", columns="area", values="value", aggfunc="mean")
        start = wide.index.min() if len(wide) else end
        return wide.reindex(pd.date_range(start, end, freq="h"))

    def _boosted_model(self, frame: pd.DataFrame, calendar: LocalCalendar) -> BoostedModel | None:
        """The global model, trained once a day when some area has enough history."""
        if len(frame) < TRAIN_MIN_WEEKS * WEEK or frame.shape[1] == 0:
            return None
        day = str(frame.index[-1].date())
        if self._model is None or self._model_day != day:
            try:
                self._model = fit_boosted(frame, calendar)
                self._model_day = day
            except ValueError:
                return None
        return self._model

    def _calendar_with(self, stored: list[StoredEvent]) -> LocalCalendar:
        events = tuple(
            Event(e.name, self._local_dt(e.starts_at), self._local_dt(e.ends_at), e.areas, e.expected_effect)
            for e in stored
        )
        return LocalCalendar(self._calendar.country, self._calendar.subdiv, self._calendar.language, events)

    def _hourly_values(
        self,
        area_id: str,
        forecast: SeriesForecast,
        history: pd.Series | None,
        stored_events: list[StoredEvent],
        current: int,
    ) -> list[dict[str, Any]]:
        """The stored hours of a forecast, with the events of its area applied and the reasons named."""
        by_local = {stamp: i for i, stamp in enumerate(forecast.hours)}
        result = []
        for step in range(HORIZON):
            hour = current + step * HOUR
            local = self._local(hour)
            index = by_local.get(local)
            if index is None:
                continue
            factor, names = 1.0, []
            for event in stored_events:
                if event.starts_at <= hour < event.ends_at and (not event.areas or area_id in event.areas):
                    effect = event_effect(event, area_id, history, stored_events, self._local)
                    factor *= effect
                    names.append(f"event: {event.name}")
            reasons = self._calendar.reasons(local.date()) + names
            result.append(
                {
                    "hour_start": hour,
                    "value": _finite(forecast.value[index] * factor),
                    "low": _finite(forecast.low[index] * factor),
                    "high": _finite(forecast.high[index] * factor),
                    "reasons": reasons,
                }
            )
        return result

    def _nowcast(
        self, values: list[dict[str, Any]], last: tuple[int, float] | None, now: int
    ) -> dict[str, Any] | None:
        """Blend the newest measurement with the forecast for this hour when data is late."""
        if not values:
            return None
        forecast_now = values[0]["value"]
        if last is None:
            return {
                "value": round(forecast_now, 1),
                "late": True,
                "late_by_minutes": None,
                "method": "forecast only: no measurement yet",
            }
        hour_start, measured = last
        late_by = now - (hour_start + HOUR)
        if late_by < LATE_AFTER_SECONDS - HOUR:
            return {"value": round(measured, 1), "late": False, "late_by_minutes": 0, "method": "measured"}
        weight = 0.5 ** (late_by / HOUR / NOWCAST_HALF_LIFE_HOURS)
        value = weight * measured + (1 - weight) * forecast_now
        return {
            "value": round(value, 1),
            "late": True,
            "late_by_minutes": late_by // 60,
            "measurement_weight": round(weight, 2),
            "method": "blend of the last measurement and the forecast, because the newest data is late",
        }

    def _last_measured(self, connection: Any, subject: str, current: int) -> tuple[int, float] | None:
        kind, _, key = subject.partition(":")
        repository = ForecastRepository(connection)
        since = current - 2 * WEEK * HOUR
        if kind == "sensor":
            mine = [(h, v) for s, _, h, v in repository.sensor_hourly_presence(since) if s == key]
        else:
            mine = [(h, v) for a, h, v in repository.area_hourly_presence(since) if a == key]
        return max(mine) if mine else None

    def _current_fingerprint(self, current: int) -> tuple[int, int, int]:
        with self._database.reading() as reader:
            rows = ForecastRepository(reader.connection).area_hourly_presence(current - 2 * WEEK * HOUR)
        newest = max((h for _, h, _ in rows), default=0)
        return (current, newest, len(rows) + int(sum(v for _, _, v in rows)))

    def _local(self, moment: int) -> pd.Timestamp:
        return pd.Timestamp(datetime.fromtimestamp(moment, self._zone).replace(tzinfo=None))

    def _local_dt(self, moment: int) -> datetime:
        return datetime.fromtimestamp(moment, self._zone).replace(tzinfo=None)

    def _utc(self, local: pd.Timestamp) -> int:
        return int(local.tz_localize(self._zone, ambiguous=True, nonexistent="shift_forward").timestamp())

    def _iso(self, moment: int) -> str:
        return datetime.fromtimestamp(moment, self._zone).isoformat()


def event_effect(
    event: StoredEvent,
    area_id: str,
    history: pd.Series | None,
    stored_events: list[StoredEvent],
    to_local: Any,
) -> float:
    """The effect of an event on an area learned from past events of the same name (median ratio of
    measured to the usual level of the four weeks before), else the operator's expectation, else 1.

    history is the area's hourly series (a sensor takes the effect learned for its area)."""
    if history is not None:
        ratios = []
        for past in stored_events:
            if past.name != event.name or past.ends_at > event.starts_at or past.id == event.id:
                continue
            if past.areas and area_id not in past.areas:
                continue
            ratio = _past_ratio(history, to_local(past.starts_at), to_local(past.ends_at))
            if ratio is not None:
                ratios.append(ratio)
        if ratios:
            return float(np.median(ratios))
    return event.expected_effect if event.expected_effect is not None else 1.0


def _past_ratio(series: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> float | None:
    during = series[(series.index >= start) & (series.index < end)].dropna()
    if during.empty:
        return None
    usual = []
    for stamp in during.index:
        before = [stamp - pd.Timedelta(weeks=k) for k in range(1, EVENT_BASELINE_WEEKS + 1)]
        seen = series.reindex(before).dropna()
        if not seen.empty:
            usual.append(float(seen.median()))
    if not usual or sum(usual) <= 0:
        return None
    return float(during.sum() / sum(usual) * len(usual) / len(during))


def _finite(value: float) -> float:
    return float(value) if math.isfinite(value) else 0.0
