"""Repositories of the counter sources: LoRaWAN devices, seen uplinks, rejections, calibration sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from freiweg.domain.sensors import SensorStatus
from freiweg.storage.lorawan_tables import (
    calibration_sessions,
    ingest_rejections,
    lorawan_devices,
    lorawan_uplinks,
)
from freiweg.storage.tables import counts, sensors

FIND_DEVICE = (
    "SELECT d.dev_eui, d.device_id, d.payload_format, s.pk, s.id, s.status, s.interval_seconds"
    " FROM lorawan_devices d JOIN sensors s ON s.pk = d.sensor_pk WHERE d.{column} = ?"
)
REMEMBER_UPLINK = (
    "INSERT INTO lorawan_uplinks (uplink_key, sensor_pk, f_port, wifi, ble, uplink_at, stored_at)"
    " VALUES (?,?,?,?,?,?,?) ON CONFLICT (uplink_key) DO NOTHING RETURNING id"
)


def _dialect(connection: Connection, sql: str) -> str:
    """sql with psycopg's placeholders on PostgreSQL."""
    return sql.replace("?", "%s") if connection.dialect.name == "postgresql" else sql


@dataclass(frozen=True, slots=True)
class DeviceTarget:
    """The sensor a LoRaWAN device counts for, and what intake needs to know about it."""

    dev_eui: str
    device_id: str | None
    sensor_pk: int
    sensor_id: str
    status: SensorStatus
    interval_seconds: int
    payload_format: str


@dataclass(frozen=True, slots=True)
class RecordedRejection:
    """A message that became no count, and why."""

    id: int
    source: str
    device: str | None
    reason: str
    detail: str
    received_at: int


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A manual count session as stored."""

    id: int
    sensor_id: str
    started_at: int
    ended_at: int
    people: int
    direction: str
    note: str


class DeviceRepository:
    """Which LoRaWAN device (by DevEUI, or TTN device id) counts for which sensor."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self, *, dev_eui: str, sensor_pk: int, device_id: str | None, payload_format: str, now: int
    ) -> None:
        """Map a device to a sensor."""
        self._c.execute(
            lorawan_devices.insert().values(
                dev_eui=dev_eui,
                sensor_pk=sensor_pk,
                device_id=device_id,
                payload_format=payload_format,
                created_at=now,
            )
        )

    def taken(self, *, dev_eui: str, device_id: str | None) -> bool:
        """True when the DevEUI or the device id is already mapped to a sensor."""
        condition = lorawan_devices.c.dev_eui == dev_eui
        if device_id:
            condition = condition | (lorawan_devices.c.device_id == device_id)
        return self._c.execute(select(lorawan_devices.c.dev_eui).where(condition)).first() is not None

    def find(self, *, dev_eui: str | None, device_id: str | None) -> DeviceTarget | None:
        """The device's sensor, found by DevEUI first and by device id second, or None.

        Every uplink asks this, so it runs on the driver's cursor (see count_sql.py for why).
        """
        row = None
        cursor = self._c.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            for column, value in (("dev_eui", dev_eui), ("device_id", device_id)):
                if value:
                    cursor.execute(_dialect(self._c, FIND_DEVICE.format(column=column)), (value,))
                    row = cursor.fetchone()
                    if row is not None:
                        break
        finally:
            cursor.close()
        if row is None:
            return None
        return DeviceTarget(row[0], row[1], row[3], row[4], SensorStatus(row[5]), row[6], row[2])


class UplinkRepository:
    """Uplinks already turned into counts, by key, so a re-delivery stores nothing new."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def remember(
        self, *, key: str, sensor_pk: int, port: int, wifi: int, ble: int | None, uplink_at: int, now: int
    ) -> bool:
        """Keep an uplink's key and decoded counts; False when the key was known already."""
        cursor = self._c.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(
                _dialect(self._c, REMEMBER_UPLINK), (key, sensor_pk, port, wifi, ble, uplink_at, now)
            )
            return cursor.fetchone() is not None
        finally:
            cursor.close()

    def total(self) -> int:
        """How many uplinks are stored."""
        return int(self._c.execute(select(func.count()).select_from(lorawan_uplinks)).scalar_one())


class RejectionRepository:
    """Messages that became no count, with their reasons, for operators to see."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, *, source: str, device: str | None, reason: str, detail: str, now: int) -> None:
        """Record a rejection."""
        self._c.execute(
            ingest_rejections.insert().values(
                source=source, device=device, reason=reason, detail=detail[:2000], received_at=now
            )
        )

    def recent(self, *, limit: int = 100, source: str | None = None) -> list[RecordedRejection]:
        """The newest rejections first."""
        statement = select(ingest_rejections).order_by(ingest_rejections.c.id.desc()).limit(limit)
        if source:
            statement = statement.where(ingest_rejections.c.source == source)
        return [
            RecordedRejection(r.id, r.source, r.device, r.reason, r.detail, r.received_at)
            for r in self._c.execute(statement)
        ]


class SessionRepository:
    """Manual count sessions and the sensor counts that fall inside them."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self,
        *,
        sensor_pk: int,
        started_at: int,
        ended_at: int,
        people: int,
        direction: str,
        note: str,
        now: int,
    ) -> int:
        """Store a session and return its number."""
        result = self._c.execute(
            calibration_sessions.insert().values(
                sensor_pk=sensor_pk,
                started_at=started_at,
                ended_at=ended_at,
                people=people,
                direction=direction,
                note=note,
                created_at=now,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def of_sensor(self, sensor_id: str) -> list[StoredSession]:
        """The sensor's sessions, oldest first."""
        statement = (
            select(sensors.c.id.label("sensor_id"), calibration_sessions)
            .join(sensors, sensors.c.pk == calibration_sessions.c.sensor_pk)
            .where(sensors.c.id == sensor_id)
            .order_by(calibration_sessions.c.started_at, calibration_sessions.c.id)
        )
        return [
            StoredSession(r.id, r.sensor_id, r.started_at, r.ended_at, r.people, r.direction, r.note)
            for r in self._c.execute(statement)
        ]

    def get(self, session_id: int) -> StoredSession | None:
        """One session by its number, or None."""
        statement = (
            select(sensors.c.id.label("sensor_id"), calibration_sessions)
            .join(sensors, sensors.c.pk == calibration_sessions.c.sensor_pk)
            .where(calibration_sessions.c.id == session_id)
        )
        r = self._c.execute(statement).first()
        if r is None:
            return None
        return StoredSession(r.id, r.sensor_id, r.started_at, r.ended_at, r.people, r.direction, r.note)

    def change(
        self, session_id: int, *, started_at: int, ended_at: int, people: int, direction: str, note: str
    ) -> None:
        """Overwrite a session's times, people, direction and note."""
        self._c.execute(
            update(calibration_sessions)
            .where(calibration_sessions.c.id == session_id)
            .values(started_at=started_at, ended_at=ended_at, people=people, direction=direction, note=note)
        )

    def counted_during(
        self, *, sensor_pk: int, start: int, end: int, kind: str, direction: str | None
    ) -> tuple[int, int]:
        """(windows, total) of the sensor's counts of a kind lying wholly inside [start, end]."""
        conditions: list[Any] = [
            counts.c.sensor_pk == sensor_pk,
            counts.c.kind == kind,
            counts.c.window_start >= start,
            counts.c.window_end <= end,
        ]
        if direction is not None:
            conditions.append(counts.c.direction == direction)
        row = self._c.execute(
            select(func.count(), func.coalesce(func.sum(counts.c.value), 0)).where(and_(*conditions))
        ).one()
        return int(row[0]), int(row[1])
