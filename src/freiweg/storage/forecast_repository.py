"""Reading hourly history and storing forecast runs and events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from freiweg.domain.counts import CountKind
from freiweg.storage.forecast_tables import events, forecast_runs, forecast_values
from freiweg.storage.tables import count_hourly, sensors


@dataclass(frozen=True)
class StoredEvent:
    """An event as stored: times in epoch seconds."""

    id: int
    name: str
    starts_at: int
    ends_at: int
    areas: tuple[str, ...]
    expected_effect: float | None


@dataclass(frozen=True)
class StoredRun:
    """One forecast run of one subject."""

    id: int
    subject: str
    made_at: int
    model_version: str
    history_hours: int
    data_until: int | None
    data_hours: int


class ForecastRepository:
    """Forecast runs, their values, the events calendar and the hourly history they read."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def area_hourly_presence(self, since: int) -> list[tuple[str, int, float]]:
        """(area id, UTC hour start, summed mean presence of the area's sensors) from since on."""
        statement = (
            select(sensors.c.area_id, count_hourly.c.hour_start, count_hourly.c.total, count_hourly.c.windows)
            .select_from(count_hourly.join(sensors, sensors.c.pk == count_hourly.c.sensor_pk))
            .where(
                count_hourly.c.hour_start >= since,
                count_hourly.c.kind == CountKind.PRESENCE.value,
                count_hourly.c.direction == "",
            )
        )
        sums: dict[tuple[str, int], float] = {}
        for row in self._connection.execute(statement):
            if row.windows:
                key = (row.area_id, row.hour_start)
                sums[key] = sums.get(key, 0.0) + row.total / row.windows
        return [(area, hour, value) for (area, hour), value in sums.items()]

    def sensor_hourly_presence(self, since: int) -> list[tuple[str, str, int, float]]:
        """(sensor id, its area id, UTC hour start, mean presence) from since on."""
        statement = (
            select(
                sensors.c.id,
                sensors.c.area_id,
                count_hourly.c.hour_start,
                count_hourly.c.total,
                count_hourly.c.windows,
            )
            .select_from(count_hourly.join(sensors, sensors.c.pk == count_hourly.c.sensor_pk))
            .where(
                count_hourly.c.hour_start >= since,
                count_hourly.c.kind == CountKind.PRESENCE.value,
                count_hourly.c.direction == "",
            )
        )
        return [
            (row.id, row.area_id, row.hour_start, row.total / row.windows)
            for row in self._connection.execute(statement)
            if row.windows
        ]

    def sensor_area(self, sensor_id: str) -> str | None:
        """The area a sensor belongs to, or None for an unknown sensor."""
        found = self._connection.execute(select(sensors.c.area_id).where(sensors.c.id == sensor_id)).scalar()
        return None if found is None else str(found)

    def add_run(self, run: dict[str, Any], values: Sequence[dict[str, Any]]) -> int:
        """Store a run and its hourly values; return the run's id."""
        run_id = int(
            self._connection.execute(insert(forecast_runs).returning(forecast_runs.c.id), [run]).scalar_one()
        )
        if values:
            self._connection.execute(insert(forecast_values), [{**v, "run_id": run_id} for v in values])
        return run_id

    def latest_run(self, subject: str) -> StoredRun | None:
        """The newest run of a subject."""
        row = self._connection.execute(
            select(forecast_runs)
            .where(forecast_runs.c.subject == subject)
            .order_by(forecast_runs.c.made_at.desc(), forecast_runs.c.id.desc())
            .limit(1)
        ).first()
        return None if row is None else StoredRun(**row._mapping)

    def newest_run_time(self) -> int | None:
        """When the newest run of any subject was made."""
        return self._connection.execute(select(func.max(forecast_runs.c.made_at))).scalar()

    def run_values(self, run_id: int) -> list[dict[str, Any]]:
        """The hourly values of a run in time order."""
        rows = self._connection.execute(
            select(forecast_values)
            .where(forecast_values.c.run_id == run_id)
            .order_by(forecast_values.c.hour_start)
        )
        return [dict(r._mapping) for r in rows]

    def forecasts_for_hour(self, subject: str, hour_start: int) -> list[tuple[str, int, float]]:
        """Every stored forecast of one hour: (model version, made at, value), oldest first."""
        rows = self._connection.execute(
            select(forecast_runs.c.model_version, forecast_runs.c.made_at, forecast_values.c.value)
            .select_from(forecast_values.join(forecast_runs, forecast_runs.c.id == forecast_values.c.run_id))
            .where(forecast_runs.c.subject == subject, forecast_values.c.hour_start == hour_start)
            .order_by(forecast_runs.c.made_at)
        )
        return [(r.model_version, r.made_at, r.value) for r in rows]

    def add_event(
        self,
        *,
        name: str,
        starts_at: int,
        ends_at: int,
        areas: Sequence[str],
        expected_effect: float | None,
        now: int,
    ) -> int:
        """Store an event; return its id."""
        statement = insert(events).returning(events.c.id)
        values = {
            "name": name,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "areas": list(areas),
            "expected_effect": expected_effect,
            "created_at": now,
        }
        return int(self._connection.execute(statement, [values]).scalar_one())

    def events(self) -> list[StoredEvent]:
        """Every event, earliest first."""
        rows = self._connection.execute(select(events).order_by(events.c.starts_at, events.c.id))
        return [
            StoredEvent(r.id, r.name, r.starts_at, r.ends_at, tuple(r.areas or ()), r.expected_effect)
            for r in rows
        ]

    def remove_event(self, event_id: int) -> StoredEvent | None:
        """Delete an event; return it, or None when there was none with that id."""
        found = [e for e in self.events() if e.id == event_id]
        if not found:
            return None
        self._connection.execute(delete(events).where(events.c.id == event_id))
        return found[0]
