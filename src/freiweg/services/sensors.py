"""Registering sensors, rotating and revoking their tokens, retiring them, and calibrating them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from freiweg.domain.calibration import Calibration, check_calibration
from freiweg.domain.errors import Conflict, NotFound
from freiweg.domain.sensors import (
    DEFAULT_INTERVAL_SECONDS,
    Location,
    Sensor,
    SensorStatus,
    check_identifier,
    parse_kind,
)
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.services.tokens import hash_token, new_token
from freiweg.storage.unit_of_work import Database, UnitOfWork


@dataclass(frozen=True)
class IssuedToken:
    """A sensor id and its token, shown exactly once."""

    id: str
    token: str


def sensor_facts(sensor: Sensor) -> dict[str, object]:
    """The public facts of a sensor as logged (never its token)."""
    return {
        "id": sensor.id,
        "kind": sensor.kind.value,
        "area": sensor.area_id,
        "status": sensor.status.value,
        "interval_seconds": sensor.interval_seconds,
        "location": [sensor.location.lon, sensor.location.lat] if sensor.location else None,
    }


class SensorService:
    """Sensor life cycle: add, rotate token, revoke, retire, calibrate; every change is logged."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def add(
        self,
        sensor_id: str,
        *,
        area_id: str,
        kind: str,
        location: Location | None = None,
        interval_seconds: int | None = None,
    ) -> IssuedToken:
        """Register a sensor in an area and return its one-time token."""
        check_identifier(sensor_id, field="id")
        sensor_kind = parse_kind(kind)
        interval = interval_seconds or DEFAULT_INTERVAL_SECONDS[sensor_kind]
        if not 10 <= interval <= 3600:
            raise Conflict("the expected interval must be between 10 and 3600 seconds")
        sensor = Sensor(sensor_id, sensor_kind, area_id, SensorStatus.ACTIVE, location, interval)
        token = new_token()
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            if uow.areas.get(area_id) is None:
                raise NotFound(f"area {area_id!r} does not exist; import it first")
            if uow.sensors.get(sensor_id) is not None:
                raise Conflict(f"sensor {sensor_id!r} already exists")
            uow.sensors.add(sensor, token_hash=hash_token(token), now=now)
            record_change(
                uow,
                kind="sensor.added",
                subject=f"sensor:{sensor_id}",
                body=sensor_facts(sensor),
                now=now,
            )
            uow.revision.bump()
            uow.commit()
        return IssuedToken(sensor_id, token)

    def rotate_token(self, sensor_id: str) -> IssuedToken:
        """Replace the sensor's token; the old one stops working at once."""
        token = new_token()
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            sensor = self._active(uow, sensor_id)
            uow.sensors.set_token_hash(sensor_id, hash_token(token), now=now)
            record_change(
                uow,
                kind="sensor.token_rotated",
                subject=f"sensor:{sensor_id}",
                body={"id": sensor.id},
                now=now,
            )
            uow.commit()
        return IssuedToken(sensor_id, token)

    def revoke(self, sensor_id: str) -> None:
        """Stop a sensor: its token no longer works and its area stops counting on it."""
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            sensor = self._active(uow, sensor_id)
            uow.sensors.set_status(sensor_id, SensorStatus.REVOKED, now=now)
            uow.sensors.set_token_hash(sensor_id, None, now=now)
            record_change(
                uow,
                kind="sensor.revoked",
                subject=f"sensor:{sensor_id}",
                body={"id": sensor.id},
                now=now,
            )
            uow.revision.bump()
            uow.commit()

    def retire(self, sensor_id: str) -> int:
        """Take a sensor out of service for good; return when (epoch seconds).

        Its token stops working and live figures stop using it, while its counts, its disclosure
        and its public page stay (the page says it was retired and when). A revoked sensor may be
        retired too; a retired one cannot be retired again.
        """
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            found = uow.sensors.get(sensor_id)
            if found is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            sensor = found[1]
            if sensor.status is SensorStatus.RETIRED:
                raise Conflict(f"sensor {sensor_id!r} is already retired")
            uow.sensors.set_status(sensor_id, SensorStatus.RETIRED, now=now)
            uow.sensors.set_token_hash(sensor_id, None, now=now)
            record_change(
                uow,
                kind="sensor.retired",
                subject=f"sensor:{sensor_id}",
                body={"id": sensor.id, "previous_status": sensor.status.value, "retired_at": now},
                now=now,
            )
            uow.revision.bump()
            uow.commit()
        return now

    def calibrate(
        self,
        sensor_id: str,
        *,
        factor: float,
        low: float,
        high: float,
        valid_from: datetime,
        valid_until: datetime | None = None,
        method: str,
    ) -> Calibration:
        """Record a devices-to-people factor with its interval and validity period."""
        calibration = Calibration(
            sensor_id,
            factor,
            low,
            high,
            epoch(valid_from),
            epoch(valid_until) if valid_until else None,
            method,
        )
        check_calibration(calibration)
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            found = uow.sensors.get(sensor_id)
            if found is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            uow.calibrations.add(found[0], calibration, now=now)
            record_change(
                uow,
                kind="calibration.added",
                subject=f"sensor:{sensor_id}",
                body={
                    "factor": factor,
                    "low": low,
                    "high": high,
                    "valid_from": calibration.valid_from,
                    "valid_until": calibration.valid_until,
                    "method": method,
                },
                now=now,
            )
            uow.revision.bump()
            uow.commit()
        return calibration

    def list_sensors(self) -> list[Sensor]:
        """Every sensor."""
        with self._database.unit_of_work() as uow:
            return uow.sensors.all()

    @staticmethod
    def _active(uow: UnitOfWork, sensor_id: str) -> Sensor:
        found = uow.sensors.get(sensor_id)
        if found is None:
            raise NotFound(f"sensor {sensor_id!r} does not exist")
        if found[1].status is not SensorStatus.ACTIVE:
            raise Conflict(f"sensor {sensor_id!r} is {found[1].status.value}")
        return found[1]
