"""Housekeeping: delete what has passed its retention period, and log every run."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.storage import housekeeping_queries
from freiweg.storage.unit_of_work import Database

DAY: Final = 24 * 3600
logger = logging.getLogger("freiweg.housekeeping")


@dataclass(frozen=True)
class HousekeepingRun:
    """What one run deleted, and the log entry that records it."""

    cutoff: int
    counts_deleted: int
    sessions_deleted: int
    log_seq: int


class HousekeepingService:
    """Deletes one-minute counts after their retention period (hourly aggregates stay) and old sessions."""

    def __init__(self, *, database: Database, clock: Clock, minute_count_days: int) -> None:
        self._database = database
        self._clock = clock
        self._minute_count_days = minute_count_days

    def run(self) -> HousekeepingRun:
        """Delete what expired and log the run in the same transaction."""
        now = epoch(self._clock())
        cutoff = now - self._minute_count_days * DAY
        with self._database.unit_of_work() as uow:
            deleted = housekeeping_queries.delete_counts_before(uow.connection, cutoff)
            sessions = housekeeping_queries.delete_sessions_before(uow.connection, now)
            seq = record_change(
                uow,
                kind="retention.run",
                subject="retention:counts",
                body={
                    "kind": "minute_counts",
                    "retention_days": self._minute_count_days,
                    "deleted_before": cutoff,
                    "deleted": deleted,
                },
                now=now,
            )
            if deleted:
                uow.revision.bump()
            uow.commit()
        logger.info(
            "housekeeping run",
            extra={"counts_deleted": deleted, "sessions_deleted": sessions, "cutoff": cutoff, "log_seq": seq},
        )
        return HousekeepingRun(cutoff, deleted, sessions, seq)
