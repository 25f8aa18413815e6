"""The operator's events calendar: festivals, markets, matches, each change logged."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from freiweg.domain.errors import FieldProblem, InvalidInput, NotFound
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.storage.forecast_repository import ForecastRepository, StoredEvent
from freiweg.storage.unit_of_work import Database

MAX_EVENT_DAYS = 31


@dataclass(frozen=True)
class EventInput:
    """An event as entered: local or zoned start and end, area ids (empty: all areas)."""

    name: str
    start: datetime
    end: datetime
    areas: tuple[str, ...] = ()
    expected_effect: float | None = None


class EventService:
    """Adding, listing and removing events; every change goes to the transparency log."""

    def __init__(self, *, database: Database, clock: Clock, timezone: str) -> None:
        self._database = database
        self._clock = clock
        self._zone = ZoneInfo(timezone)

    def add(self, event: EventInput) -> dict[str, Any]:
        """Validate and store an event; return it as plain data."""
        now = epoch(self._clock())
        start, end = self._epoch(event.start), self._epoch(event.end)
        problems = []
        name = event.name.strip()
        if not name or len(name) > 200:
            problems.append(FieldProblem(None, "name", "needs a name of 1 to 200 characters"))
        if end <= start:
            problems.append(FieldProblem(None, "end", "must be after the start"))
        elif end - start > MAX_EVENT_DAYS * 86400:
            problems.append(FieldProblem(None, "end", f"an event may last at most {MAX_EVENT_DAYS} days"))
        if event.expected_effect is not None and not 0.05 <= event.expected_effect <= 20:
            problems.append(
                FieldProblem(
                    None, "expected_effect", "must be a factor between 0.05 and 20 (1.5 = 50% busier)"
                )
            )
        with self._database.unit_of_work() as uow:
            known = {a.id for a in uow.areas.all()}
            unknown = [a for a in event.areas if a not in known]
            if unknown:
                problems.append(FieldProblem(None, "areas", "unknown area ids: " + ", ".join(unknown)))
            if problems:
                raise InvalidInput(problems, title="The event was not stored; nothing was changed.")
            repository = ForecastRepository(uow.connection)
            event_id = repository.add_event(
                name=name,
                starts_at=start,
                ends_at=end,
                areas=sorted(set(event.areas)),
                expected_effect=event.expected_effect,
                now=now,
            )
            stored = StoredEvent(
                event_id, name, start, end, tuple(sorted(set(event.areas))), event.expected_effect
            )
            record_change(
                uow, kind="event.added", subject=f"event:{event_id}", body=self.facts(stored), now=now
            )
            uow.revision.bump()
            uow.commit()
        return self.facts(stored)

    def list(self) -> list[dict[str, Any]]:
        """Every event, earliest first."""
        with self._database.reading() as reader:
            return [self.facts(e) for e in ForecastRepository(reader.connection).events()]

    def stored(self) -> builtins.list[StoredEvent]:
        """Every event as stored."""
        with self._database.reading() as reader:
            return ForecastRepository(reader.connection).events()

    def remove(self, event_id: int) -> dict[str, Any]:
        """Delete an event, logging it; NotFound when there is none with that id."""
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            removed = ForecastRepository(uow.connection).remove_event(event_id)
            if removed is None:
                raise NotFound(f"event {event_id} does not exist")
            record_change(
                uow, kind="event.removed", subject=f"event:{event_id}", body=self.facts(removed), now=now
            )
            uow.revision.bump()
            uow.commit()
        return self.facts(removed)

    def facts(self, event: StoredEvent) -> dict[str, Any]:
        """An event as plain data with local ISO times."""
        return {
            "id": event.id,
            "name": event.name,
            "start": datetime.fromtimestamp(event.starts_at, self._zone).isoformat(),
            "end": datetime.fromtimestamp(event.ends_at, self._zone).isoformat(),
            "areas": list(event.areas),
            "expected_effect": event.expected_effect,
        }

    def _epoch(self, moment: datetime) -> int:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self._zone)
        return int(moment.timestamp())


def parse_areas(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """Area ids from a comma-separated text or a list."""
    if text is None:
        return ()
    items = text.split(",") if isinstance(text, str) else list(text)
    return tuple(a.strip() for a in items if a.strip())
