"""Cheap queries behind /metrics: ids issued to counts, rejections by reason, each sensor's newest window."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from freiweg.storage.lorawan_tables import ingest_rejections
from freiweg.storage.tables import counts, sensor_latest, sensors


def counts_stored(connection: Connection) -> int:
    """The highest count id: grows with every stored count, never shrinks (a primary-key lookup)."""
    return int(connection.execute(select(func.coalesce(func.max(counts.c.id), 0))).scalar_one())


def rejections_by_reason(connection: Connection) -> list[tuple[str, str, int]]:
    """(source, reason, how many) of every recorded rejection."""
    query = select(ingest_rejections.c.source, ingest_rejections.c.reason, func.count()).group_by(
        ingest_rejections.c.source, ingest_rejections.c.reason
    )
    return [(str(s), str(r), int(n)) for s, r, n in connection.execute(query)]


def active_sensors_latest(connection: Connection) -> list[Any]:
    """Every active sensor with its expected interval and the end of its newest window (or None)."""
    query = (
        select(sensors.c.id, sensors.c.interval_seconds, sensor_latest.c.window_end)
        .outerjoin(sensor_latest, sensor_latest.c.sensor_pk == sensors.c.pk)
        .where(sensors.c.status == "active")
    )
    return list(connection.execute(query))
