"""Recording messages that became no count, with their reasons, and showing them to operators."""

from __future__ import annotations

import logging

from freiweg.domain.uplinks import Rejected
from freiweg.services.clock import Clock, epoch
from freiweg.storage.counter_sources import RecordedRejection, RejectionRepository
from freiweg.storage.unit_of_work import Database

logger = logging.getLogger("freiweg.ingest")


class RejectionLog:
    """The record of refused messages of every push and subscription source."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def record(self, source: str, rejected: Rejected) -> None:
        """Keep a rejection in its own transaction (the message itself stored nothing)."""
        with self._database.unit_of_work() as uow:
            RejectionRepository(uow.connection).add(
                source=source,
                device=rejected.device,
                reason=rejected.reason.value,
                detail=rejected.detail,
                now=epoch(self._clock()),
            )
            uow.commit()
        # Source and reason only: the device and the payload stay in the rejection table for operators.
        logger.info("message rejected", extra={"source": source, "reason": rejected.reason.value})

    def recent(self, *, limit: int = 100, source: str | None = None) -> list[RecordedRejection]:
        """The newest rejections first."""
        with self._database.reading() as reader:
            return RejectionRepository(reader.connection).recent(limit=limit, source=source)
