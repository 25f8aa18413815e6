"""Edge software releases by code hash, and the check of what each sensor reports it runs."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from freiweg.domain.errors import Conflict, FieldProblem, InvalidInput
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.storage.transparency_repository import TransparencyRepository
from freiweg.storage.unit_of_work import Database

SHA256 = re.compile(r"^[0-9a-f]{64}$")
logger = logging.getLogger("freiweg.transparency")


@dataclass(frozen=True)
class SoftwareCheck:
    """What a sensor reports it runs and whether that code hash is a logged release."""

    sensor_id: str
    state: str  # "logged", "not_in_log" or "unknown" (no report yet)
    reported_sha256: str | None
    release_version: str | None
    reported_at: int | None


class ReleaseService:
    """Logs edge releases and compares them with the hashes sensors report."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def add(self, version: str, code_sha256: str, notes: str = "") -> int:
        """Log an edge software release by its code hash; return its log entry number."""
        code_sha256 = code_sha256.strip().lower()
        problems = []
        if not SHA256.match(code_sha256):
            problems.append(FieldProblem(None, "code_sha256", "must be 64 hex digits (SHA-256)"))
        if not version.strip() or len(version) > 64:
            problems.append(FieldProblem(None, "version", "needs 1-64 characters"))
        if problems:
            raise InvalidInput(problems, title="The release is invalid; nothing was logged.")
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = TransparencyRepository(uow.connection)
            if repository.release_by_hash(code_sha256) is not None:
                raise Conflict(f"a release with code hash {code_sha256} is already logged")
            seq = record_change(
                uow,
                kind="edge.release",
                subject=f"release:{version}",
                body={"version": version, "code_sha256": code_sha256, "notes": notes},
                now=now,
            )
            repository.add_release(version, code_sha256, notes, now=now, log_seq=seq)
            uow.commit()
        return seq

    def releases(self) -> list[dict[str, object]]:
        """Every logged release, newest first."""
        with self._database.reading() as uow:
            rows = TransparencyRepository(uow.connection).releases()
        return [
            {
                "version": r.version,
                "code_sha256": r.code_sha256,
                "notes": r.notes,
                "released_at": int(r.released_at),
            }
            for r in rows
        ]

    def check(self, sensor_id: str) -> SoftwareCheck:
        """Whether the sensor's reported code hash is a logged release."""
        with self._database.reading() as uow:
            report = uow.sensors.agent_report(sensor_id)
            if report is None:
                return SoftwareCheck(sensor_id, "unknown", None, None, None)
            reported_at, agent = report
            release = TransparencyRepository(uow.connection).release_by_hash(agent.code_sha256)
        if release is None:
            return SoftwareCheck(sensor_id, "not_in_log", agent.code_sha256, None, reported_at)
        return SoftwareCheck(sensor_id, "logged", agent.code_sha256, release.version, reported_at)

    def alerts(self) -> list[SoftwareCheck]:
        """Sensors running code that is not a logged release; each is also written to the server log."""
        with self._database.reading() as uow:
            repository = TransparencyRepository(uow.connection)
            logged = {r.code_sha256 for r in repository.releases()}
            reported = repository.reported_hashes()
        found = [
            SoftwareCheck(sensor_id, "not_in_log", sha, None, at)
            for sensor_id, sha, at in reported
            if sha not in logged
        ]
        for alert in found:
            logger.warning(
                "sensor %s runs software %s that is not in the log", alert.sensor_id, alert.reported_sha256
            )
        return found
