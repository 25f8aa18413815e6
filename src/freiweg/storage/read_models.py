"""Read-model queries: the small inputs the crowd picture is computed from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, select

from freiweg.domain.counts import CountKind
from freiweg.domain.sensors import SensorKind, SensorStatus
from freiweg.storage.tables import count_hourly, counts, sensor_latest, sensors


@dataclass(frozen=True)
class SensorState:
    """An active sensor and its newest presence count, if any."""

    pk: int
    id: str
    kind: SensorKind
    area_id: str
    interval_seconds: int
    window_end: int | None
    value: int | None


def active_sensor_states(connection: Connection) -> list[SensorState]:
    """Every active sensor with its newest presence count."""
    statement = (
        select(
            sensors.c.pk,
            sensors.c.id,
            sensors.c.kind,
            sensors.c.area_id,
            sensors.c.interval_seconds,
            sensor_latest.c.window_end,
            sensor_latest.c.value,
        )
        .select_from(sensors.outerjoin(sensor_latest, sensor_latest.c.sensor_pk == sensors.c.pk))
        .where(sensors.c.status == SensorStatus.ACTIVE.value)
        .order_by(sensors.c.id)
    )
    return [
        SensorState(r.pk, r.id, SensorKind(r.kind), r.area_id, r.interval_seconds, r.window_end, r.value)
        for r in connection.execute(statement)
    ]


def hourly_presence(connection: Connection, hour_starts: Sequence[int]) -> list[tuple[int, int, float]]:
    """(sensor key, hour start, mean presence) for the given UTC hour starts."""
    if not hour_starts:
        return []
    statement = select(
        count_hourly.c.sensor_pk,
        count_hourly.c.hour_start,
        count_hourly.c.total,
        count_hourly.c.windows,
    ).where(
        count_hourly.c.hour_start.in_(list(hour_starts)),
        count_hourly.c.kind == CountKind.PRESENCE.value,
        count_hourly.c.direction == "",
    )
    return [
        (r.sensor_pk, r.hour_start, r.total / r.windows) for r in connection.execute(statement) if r.windows
    ]


@dataclass(frozen=True)
class Bucket:
    """One sensor's counts of one kind in one time bucket."""

    sensor_pk: int
    kind: str
    bucket: int
    total: int
    windows: int


def bucketed_counts(
    connection: Connection, sensor_pks: Sequence[int], *, since: int, until: int, width: int
) -> list[Bucket]:
    """Sums of counts per sensor, kind and bucket of width seconds, from since to until."""
    if not sensor_pks:
        return []
    bucket = (counts.c.window_start - since) // width
    statement = (
        select(
            counts.c.sensor_pk,
            counts.c.kind,
            bucket.label("bucket"),
            func.sum(counts.c.value).label("total"),
            func.count().label("windows"),
        )
        .where(
            and_(
                counts.c.sensor_pk.in_(list(sensor_pks)),
                counts.c.window_start >= since,
                counts.c.window_start < until,
            )
        )
        .group_by(counts.c.sensor_pk, counts.c.kind, "bucket")
    )
    return [
        Bucket(r.sensor_pk, r.kind, int(r.bucket), int(r.total), int(r.windows))
        for r in connection.execute(statement)
    ]
