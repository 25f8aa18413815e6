"""Purpose-bound staff access: the register of purposes and a logged record of every access."""

from __future__ import annotations

from dataclasses import dataclass

from freiweg.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from freiweg.domain.sensors import check_identifier
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.storage.transparency_repository import TransparencyRepository
from freiweg.storage.unit_of_work import Database

# Kinds of non-public data a purpose may open; a scope is "<kind>" or "<kind>:<sensor or area id>".
SCOPE_KINDS = ("minute_counts", "moderation_queue", "sensor_health")


@dataclass(frozen=True)
class AccessGrant:
    """The receipt of an allowed, logged access: what a console shows next to the data."""

    role: str
    purpose_id: str
    scope: str
    at: int
    log_seq: int


class AccessLogService:
    """Staff reach non-public data only by naming a registered purpose; each access is logged first."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def add_purpose(self, purpose_id: str, *, name_de: str, name_en: str, scopes: list[str]) -> None:
        """Register a purpose and the kinds of data it may open; logged."""
        check_identifier(purpose_id, field="id")
        problems = [
            FieldProblem(None, "scopes", f"unknown kind {s!r}; use one of {', '.join(SCOPE_KINDS)}")
            for s in scopes
            if s not in SCOPE_KINDS
        ]
        if not scopes:
            problems.append(FieldProblem(None, "scopes", "name at least one kind of data"))
        if not name_de.strip() or not name_en.strip():
            problems.append(FieldProblem(None, "name", "needs a German and an English name"))
        if problems:
            raise InvalidInput(problems, title="The purpose is invalid; nothing was registered.")
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = TransparencyRepository(uow.connection)
            if repository.purpose(purpose_id) is not None:
                raise Conflict(f"purpose {purpose_id!r} is already registered")
            repository.add_purpose(purpose_id, name_de, name_en, scopes, now=now)
            record_change(
                uow,
                kind="purpose.registered",
                subject=f"purpose:{purpose_id}",
                body={"id": purpose_id, "name_de": name_de, "name_en": name_en, "scopes": scopes},
                now=now,
            )
            uow.commit()

    def purposes(self) -> list[dict[str, object]]:
        """The register of purposes."""
        with self._database.reading() as uow:
            rows = TransparencyRepository(uow.connection).purposes()
        return [
            {"id": r.id, "name_de": r.name_de, "name_en": r.name_en, "scopes": list(r.scopes)} for r in rows
        ]

    def record(self, *, role: str, purpose_id: str, scope: str) -> AccessGrant:
        """Allow and log one access when the purpose is registered and covers the scope; else refuse."""
        check_identifier(role, field="role")
        kind = scope.split(":", 1)[0]
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = TransparencyRepository(uow.connection)
            purpose = repository.purpose(purpose_id)
            if purpose is None:
                raise NotFound(f"purpose {purpose_id!r} is not in the register; access refused")
            if kind not in purpose.scopes:
                raise Conflict(f"purpose {purpose_id!r} does not cover {kind!r}; access refused")
            seq = record_change(
                uow,
                kind="staff.access",
                subject=f"purpose:{purpose_id}",
                body={"role": role, "purpose": purpose_id, "scope": scope},
                now=now,
            )
            repository.add_access(role, purpose_id, scope, now=now, log_seq=seq)
            uow.commit()
        return AccessGrant(role, purpose_id, scope, now, seq)

    def recent(self, limit: int = 50) -> list[dict[str, object]]:
        """The newest accesses in words-ready form, newest first."""
        with self._database.reading() as uow:
            rows = TransparencyRepository(uow.connection).recent_access(limit)
        return [
            {
                "at": int(r.at),
                "role": r.role,
                "purpose": r.purpose_id,
                "purpose_de": r.name_de,
                "purpose_en": r.name_en,
                "scope": r.scope,
                "log_seq": int(r.log_seq),
            }
            for r in rows
        ]
