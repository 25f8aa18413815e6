"""Operational figures for Prometheus: counts stored, rejections by reason, silent sensors."""

from __future__ import annotations

from dataclasses import dataclass

from freiweg.services.clock import Clock, epoch
from freiweg.storage import metrics_queries
from freiweg.storage.unit_of_work import Database


@dataclass(frozen=True)
class SensorSilence:
    """Seconds since a sensor's newest window ended (None: never counted), and whether it is silent."""

    sensor_id: str
    seconds_since_last_count: int | None
    silent: bool


@dataclass(frozen=True)
class OperationalFigures:
    """One scrape's figures from the database."""

    counts_stored: int
    rejections: list[tuple[str, str, int]]
    sensors: list[SensorSilence]


class MetricsService:
    """Reads what /metrics reports; nothing personal, no tokens."""

    def __init__(self, *, database: Database, clock: Clock, tolerance: float) -> None:
        self._database = database
        self._clock = clock
        self._tolerance = tolerance

    def figures(self) -> OperationalFigures:
        """The current figures."""
        now = epoch(self._clock())
        with self._database.reading() as uow:
            stored = metrics_queries.counts_stored(uow.connection)
            rejections = metrics_queries.rejections_by_reason(uow.connection)
            latest = metrics_queries.active_sensors_latest(uow.connection)
        silence = []
        for row in latest:
            since = None if row.window_end is None else now - int(row.window_end)
            silent = since is None or since > self._tolerance * int(row.interval_seconds)
            silence.append(SensorSilence(str(row.id), since, silent))
        return OperationalFigures(stored, rejections, silence)
