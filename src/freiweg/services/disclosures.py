"""Publishing per-sensor disclosures and assembling what the public sensor pages and registers show."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from freiweg.domain.errors import NotFound
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.settings import Settings
from freiweg.storage.transparency_repository import TransparencyRepository
from freiweg.storage.unit_of_work import Database, UnitOfWork
from freiweg.transparency.disclosures import canonical, check_disclosure, default_disclosure, digest


@dataclass(frozen=True)
class PublishedDisclosure:
    """A disclosure version as published, with the hash the log recorded."""

    sensor_id: str
    version: int
    sha256: str
    published_at: int
    document: dict[str, Any]


class DisclosureService:
    """Versioned disclosures: every publication is logged in the same transaction."""

    def __init__(self, *, database: Database, clock: Clock, settings: Settings) -> None:
        self._database = database
        self._clock = clock
        self._settings = settings

    def draft(self, sensor_id: str) -> dict[str, Any]:
        """A complete disclosure built from what freiweg knows about the sensor, to review and publish."""
        with self._database.reading() as uow:
            return self._draft(uow, sensor_id)

    def _draft(self, uow: UnitOfWork, sensor_id: str) -> dict[str, Any]:
        found = uow.sensors.get(sensor_id)
        if found is None:
            raise NotFound(f"sensor {sensor_id!r} does not exist")
        sensor = found[1]
        area = uow.areas.get(sensor.area_id)
        names = (
            {"de": area.name_de, "en": area.name_en} if area else {"de": sensor.area_id, "en": sensor.area_id}
        )
        report = uow.sensors.agent_report(sensor_id)
        repository = TransparencyRepository(uow.connection)
        software = None
        if report is not None:
            release = repository.release_by_hash(report[1].code_sha256)
            if release is not None:
                software = {"version": release.version, "sha256": release.code_sha256}
        return default_disclosure(
            sensor_id=sensor.id,
            kind=sensor.kind.value,
            status=sensor.status.value,
            lon=sensor.location.lon if sensor.location else None,
            lat=sensor.location.lat if sensor.location else None,
            area_name=names,
            interval_seconds=sensor.interval_seconds,
            operator=self._settings.operator_name,
            contact=self._settings.operator_contact,
            privacy_officer=self._settings.privacy_officer,
            software=software,
        )

    def publish(self, sensor_id: str, document: dict[str, Any] | None = None) -> PublishedDisclosure:
        """Publish a new version (the draft when no document is given); invalid ones are refused whole."""
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            if uow.sensors.get(sensor_id) is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            chosen = document if document is not None else self._draft(uow, sensor_id)
            check_disclosure(chosen, sensor_id=sensor_id)
            repository = TransparencyRepository(uow.connection)
            latest = repository.latest_disclosure(sensor_id)
            version = 1 if latest is None else int(latest.version) + 1
            sha = digest(chosen)
            seq = record_change(
                uow,
                kind="disclosure.published",
                subject=f"sensor:{sensor_id}",
                body={"sensor": sensor_id, "version": version, "sha256": sha},
                now=now,
            )
            repository.add_disclosure(
                sensor_id, version, canonical(chosen).decode(), sha, now=now, log_seq=seq
            )
            uow.commit()
        return PublishedDisclosure(sensor_id, version, sha, now, dict(chosen))

    def publish_missing(self) -> list[str]:
        """Publish the draft for every sensor that has no disclosure yet; return their ids."""
        with self._database.reading() as uow:
            repository = TransparencyRepository(uow.connection)
            missing = [s.id for s in uow.sensors.all() if repository.latest_disclosure(s.id) is None]
        for sensor_id in missing:
            self.publish(sensor_id)
        return missing

    def current(self, sensor_id: str) -> PublishedDisclosure | None:
        """The newest published disclosure, or None."""
        with self._database.reading() as uow:
            row = TransparencyRepository(uow.connection).latest_disclosure(sensor_id)
        return _published(row) if row is not None else None

    def versions(self, sensor_id: str) -> list[PublishedDisclosure]:
        """Every published version, newest first."""
        with self._database.reading() as uow:
            rows = TransparencyRepository(uow.connection).disclosure_versions(sensor_id)
        return [_published(r) for r in rows]


def _published(row: Any) -> PublishedDisclosure:
    return PublishedDisclosure(
        row.sensor_id, int(row.version), row.sha256, int(row.published_at), json.loads(row.document)
    )
