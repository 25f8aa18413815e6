"""Non-public data for staff: per-minute counts, reached only by naming a registered purpose."""

from __future__ import annotations

from typing import Any

from freiweg.domain.errors import NotFound
from freiweg.services.access_log import AccessLogService
from freiweg.services.clock import Clock, epoch
from freiweg.storage import health_queries
from freiweg.storage.unit_of_work import Database

DAY = 24 * 3600


class StaffReads:
    """Reads of non-public data; every one is first allowed and logged by the access log."""

    def __init__(self, *, database: Database, clock: Clock, access: AccessLogService) -> None:
        self._database = database
        self._clock = clock
        self._access = access

    def minute_counts(
        self, sensor_id: str, *, role: str, purpose_id: str, limit: int = 500
    ) -> dict[str, Any]:
        """A sensor's counts of the last day, after the access is allowed for the purpose and logged."""
        with self._database.reading() as uow:
            found = uow.sensors.get(sensor_id)
        if found is None:
            raise NotFound(f"sensor {sensor_id!r} does not exist")
        grant = self._access.record(role=role, purpose_id=purpose_id, scope=f"minute_counts:{sensor_id}")
        since = epoch(self._clock()) - DAY
        with self._database.reading() as uow:
            rows = health_queries.sensor_counts(uow.connection, found[0], since, limit)
        return {
            "sensor": sensor_id,
            "purpose": grant.purpose_id,
            "log_seq": grant.log_seq,
            "counts": [
                {
                    "kind": r.kind,
                    "start": int(r.window_start),
                    "end": int(r.window_end),
                    "direction": r.direction or None,
                    "value": int(r.value),
                }
                for r in rows
            ],
        }
