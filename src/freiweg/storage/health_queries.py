"""Read queries behind sensor health: windows per sensor, agent reports, per-minute counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from freiweg.storage.tables import counts, sensor_reports, sensors


def sensor_rows(connection: Connection) -> list[Any]:
    """Every sensor with its agent report, if any."""
    query = (
        select(
            sensors.c.pk,
            sensors.c.id,
            sensors.c.area_id,
            sensors.c.kind,
            sensors.c.status,
            sensors.c.interval_seconds,
            sensors.c.created_at,
            sensor_reports.c.clock_synced,
            sensor_reports.c.queue_dropped,
            sensor_reports.c.reported_at,
        )
        .outerjoin(sensor_reports, sensor_reports.c.sensor_pk == sensors.c.pk)
        .order_by(sensors.c.id)
    )
    return list(connection.execute(query))


def windows_since(connection: Connection, since: int) -> dict[int, list[tuple[int, int]]]:
    """Distinct count windows (start, end) per sensor pk that end after since, in order."""
    query = (
        select(counts.c.sensor_pk, counts.c.window_start, counts.c.window_end)
        .where(counts.c.window_end > since)
        .distinct()
        .order_by(counts.c.sensor_pk, counts.c.window_start)
    )
    found: dict[int, list[tuple[int, int]]] = {}
    for pk, start, end in connection.execute(query):
        found.setdefault(int(pk), []).append((int(start), int(end)))
    return found


def sensor_counts(connection: Connection, sensor_pk: int, since: int, limit: int) -> list[Any]:
    """The newest counts of one sensor since a moment."""
    query = (
        select(counts.c.kind, counts.c.window_start, counts.c.window_end, counts.c.direction, counts.c.value)
        .where(counts.c.sensor_pk == sensor_pk, counts.c.window_end > since)
        .order_by(counts.c.window_start.desc())
        .limit(limit)
    )
    return list(connection.execute(query))
