"""Repositories: the SQL behind each kind of stored thing, used inside one unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from freiweg.domain.areas import Area, AreaCategory
from freiweg.domain.calibration import Calibration
from freiweg.domain.counts import Count
from freiweg.domain.crowd import LevelThresholds
from freiweg.domain.reports import AgentReport
from freiweg.domain.sensors import Location, Sensor, SensorKind, SensorStatus
from freiweg.storage.count_sql import CountSql, insert_counts
from freiweg.storage.tables import (
    areas,
    calibrations,
    counts,
    read_model_revision,
    sensor_reports,
    sensors,
    transparency_log,
)
from freiweg.transparency.entries import LogEntry, leaf_hash


@cache
def count_sql_for(dialect: str) -> CountSql:
    """The count statements of a dialect, built once."""
    return CountSql(dialect)


def dialect_insert(connection: Connection, table: Any) -> Any:
    """An INSERT that knows ON CONFLICT for the connection's database."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def area_from_row(row: Any) -> Area:
    """Build an Area from an areas row."""
    thresholds = LevelThresholds(*row.thresholds) if row.thresholds else LevelThresholds()
    return Area(
        id=row.id,
        name_de=row.name_de,
        name_en=row.name_en,
        rings=[[(float(x), float(y)) for x, y in ring] for ring in row.geometry["coordinates"]],
        walkable_m2=row.walkable_m2,
        category=AreaCategory(row.category),
        thresholds=thresholds,
        quiet_zone=bool(row.quiet_zone),
    )


def sensor_from_row(row: Any) -> Sensor:
    """Build a Sensor from a sensors row."""
    location = Location(row.lon, row.lat) if row.lon is not None else None
    return Sensor(
        id=row.id,
        kind=SensorKind(row.kind),
        area_id=row.area_id,
        status=SensorStatus(row.status),
        location=location,
        interval_seconds=row.interval_seconds,
    )


@dataclass(frozen=True)
class SensorCredential:
    """What intake needs after a token matched: the sensor's key and whether it may send."""

    pk: int
    id: str
    status: SensorStatus
    token_hash: str


class AreaRepository:
    """Areas and their outlines."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def save(self, area: Area, *, now: int) -> bool:
        """Insert or update an area; True when it was new."""
        values = {
            "name_de": area.name_de,
            "name_en": area.name_en,
            "geometry": {
                "type": "Polygon",
                "coordinates": [list(map(list, r)) for r in area.rings],
            },
            "walkable_m2": area.walkable_m2,
            "category": area.category.value,
            "thresholds": None if area.thresholds == LevelThresholds() else area.thresholds.as_list(),
            "quiet_zone": area.quiet_zone,
            "updated_at": now,
        }
        existing = self._c.execute(select(areas.c.id).where(areas.c.id == area.id)).first()
        if existing:
            self._c.execute(update(areas).where(areas.c.id == area.id).values(**values))
            return False
        self._c.execute(areas.insert().values(id=area.id, created_at=now, **values))
        return True

    def get(self, area_id: str) -> Area | None:
        """The area with this id, or None."""
        row = self._c.execute(select(areas).where(areas.c.id == area_id)).first()
        return area_from_row(row) if row else None

    def all(self) -> list[Area]:
        """Every area, ordered by id."""
        return [area_from_row(r) for r in self._c.execute(select(areas).order_by(areas.c.id))]


class SensorRepository:
    """Sensors and the hashes of their tokens."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, sensor: Sensor, *, token_hash: str, now: int) -> int:
        """Store a new sensor and return its key."""
        result = self._c.execute(
            sensors.insert().values(
                id=sensor.id,
                kind=sensor.kind.value,
                area_id=sensor.area_id,
                status=sensor.status.value,
                lon=sensor.location.lon if sensor.location else None,
                lat=sensor.location.lat if sensor.location else None,
                interval_seconds=sensor.interval_seconds,
                token_hash=token_hash,
                created_at=now,
                updated_at=now,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def get(self, sensor_id: str) -> tuple[int, Sensor] | None:
        """The sensor's key and record, or None."""
        row = self._c.execute(select(sensors).where(sensors.c.id == sensor_id)).first()
        return (row.pk, sensor_from_row(row)) if row else None

    def all(self) -> list[Sensor]:
        """Every sensor, ordered by id."""
        return [sensor_from_row(r) for r in self._c.execute(select(sensors).order_by(sensors.c.id))]

    def by_token_hash(self, token_hash: str) -> SensorCredential | None:
        """The sensor whose token hashes to token_hash, or None."""
        # A driver-level query: every upload runs it, and Core's statement handling costs more here.
        cursor = self._c.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(count_sql_for(self._c.dialect.name).sensor_by_token, (token_hash,))
            row = cursor.fetchone()
        finally:
            cursor.close()
        return SensorCredential(row[0], row[1], SensorStatus(row[2]), token_hash) if row else None

    def set_token_hash(self, sensor_id: str, token_hash: str | None, *, now: int) -> None:
        """Replace (or with None, remove) the sensor's token hash."""
        self._c.execute(
            update(sensors).where(sensors.c.id == sensor_id).values(token_hash=token_hash, updated_at=now)
        )

    def record_agent_report(self, sensor_pk: int, report: AgentReport, *, now: int) -> None:
        """Keep the newest self-report of the sensor's agent."""
        insert = dialect_insert(self._c, sensor_reports)
        values = {
            "reported_at": now,
            "agent_version": report.version,
            "code_sha256": report.code_sha256,
            "config_sha256": report.config_sha256,
            "clock_synced": report.clock_synced,
            "queue_dropped": report.queue_dropped,
        }
        self._c.execute(
            insert.values(sensor_pk=sensor_pk, **values).on_conflict_do_update(
                index_elements=["sensor_pk"], set_=values
            )
        )

    def agent_report(self, sensor_id: str) -> tuple[int, AgentReport] | None:
        """When the sensor's agent last reported, and what, or None."""
        row = self._c.execute(
            select(sensor_reports)
            .join(sensors, sensors.c.pk == sensor_reports.c.sensor_pk)
            .where(sensors.c.id == sensor_id)
        ).first()
        if row is None:
            return None
        return row.reported_at, AgentReport(
            row.agent_version, row.code_sha256, row.config_sha256, bool(row.clock_synced), row.queue_dropped
        )

    def set_status(self, sensor_id: str, status: SensorStatus, *, now: int) -> None:
        """Change the sensor's status."""
        self._c.execute(
            update(sensors).where(sensors.c.id == sensor_id).values(status=status.value, updated_at=now)
        )


class CountRepository:
    """Counts, the newest presence per sensor and hourly sums, kept in step in one transaction."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self._sql = count_sql_for(connection.dialect.name)

    def add(self, sensor_pk: int, batch: Sequence[Count], *, now: int) -> int:
        """Store the counts not yet known; return how many were new."""
        if not batch:
            return 0
        cursor = self._c.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            return insert_counts(cursor, self._sql, sensor_pk, batch, now=now)
        finally:
            cursor.close()

    def total(self) -> int:
        """How many counts are stored."""
        return int(self._c.execute(select(func.count()).select_from(counts)).scalar_one())


class CalibrationRepository:
    """Calibration factors per sensor."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, sensor_pk: int, calibration: Calibration, *, now: int) -> None:
        """Store a calibration."""
        self._c.execute(
            calibrations.insert().values(
                sensor_pk=sensor_pk,
                factor=calibration.factor,
                low=calibration.low,
                high=calibration.high,
                valid_from=calibration.valid_from,
                valid_until=calibration.valid_until,
                method=calibration.method,
                created_at=now,
            )
        )

    def all(self) -> list[Calibration]:
        """Every calibration, oldest first."""
        statement = (
            select(sensors.c.id, calibrations)
            .join(sensors, sensors.c.pk == calibrations.c.sensor_pk)
            .order_by(calibrations.c.valid_from, calibrations.c.id)
        )
        return [
            Calibration(r.id, r.factor, r.low, r.high, r.valid_from, r.valid_until, r.method)
            for r in self._c.execute(statement)
        ]


LOG_INSERT = transparency_log.insert()


class LogRepository:
    """The append-only transparency log."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self._queued = False

    def append(self, entry: LogEntry) -> int:
        """Append an entry and return its sequence number."""
        if not self._queued and self._c.dialect.name == "postgresql":
            # Log writers queue up until commit, so entries become visible in sequence order and a
            # signed tree head never misses an entry that commits later with a smaller number.
            self._c.exec_driver_sql("SELECT pg_advisory_xact_lock(1718773609)")
        self._queued = True
        canonical = entry.canonical()
        # One prepared INSERT with parameters: building .values() per entry costs more than the write.
        result = self._c.execute(
            LOG_INSERT,
            {
                "appended_at": entry.appended_at,
                "kind": entry.kind,
                "subject": entry.subject,
                "body": canonical.decode(),
                "leaf_hash": leaf_hash(canonical).hex(),
            },
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def about(self, subject: str) -> list[tuple[int, str, str]]:
        """(seq, kind, canonical entry) of every entry about subject, oldest first."""
        rows = self._c.execute(
            select(transparency_log.c.seq, transparency_log.c.kind, transparency_log.c.body)
            .where(transparency_log.c.subject == subject)
            .order_by(transparency_log.c.seq)
        )
        return [(r.seq, r.kind, r.body) for r in rows]


class RevisionRepository:
    """A counter that changes whenever a read model's inputs change, in commit order."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def bump(self) -> None:
        """Mark the read models as changed; call last in a transaction to hold the row briefly."""
        self._c.exec_driver_sql(count_sql_for(self._c.dialect.name).bump_revision)

    def current(self) -> int:
        """The current revision."""
        return int(
            self._c.execute(
                select(read_model_revision.c.value).where(read_model_revision.c.id == 1)
            ).scalar_one()
        )
