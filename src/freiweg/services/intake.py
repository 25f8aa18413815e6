"""Count intake: authenticate the sensor, check the whole batch, store what is new, idempotently."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from freiweg.domain.counts import Count, check_counts
from freiweg.domain.errors import InvalidInput
from freiweg.domain.reports import Upload
from freiweg.domain.sensors import SensorStatus
from freiweg.services.clock import Clock, epoch
from freiweg.services.tokens import hash_token
from freiweg.storage.repositories import SensorCredential
from freiweg.storage.unit_of_work import Database


class Unauthenticated(Exception):
    """No token, an unknown one, or one of a revoked sensor."""


@dataclass(frozen=True)
class IntakeResult:
    """How many counts of a batch were new and how many were already stored."""

    sensor: str
    received: int
    new: int
    known: int


class IntakeService:
    """The one validated, idempotent path every count source ends in."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def authenticate(self, token: str | None) -> SensorCredential:
        """The active sensor that token belongs to, or Unauthenticated."""
        if not token:
            raise Unauthenticated("missing bearer token")
        with self._database.reading() as reader:
            credential = reader.sensors.by_token_hash(hash_token(token))
        if credential is None or credential.status is not SensorStatus.ACTIVE:
            raise Unauthenticated("unknown or revoked token")
        return credential

    def record(self, *, token: str | None, read: Callable[[datetime], Upload]) -> IntakeResult:
        """Check an upload with read(now) and store it whole or not at all; repeats are not doubled.

        A sensor that is not authenticated learns nothing about its data: a bad batch with a bad
        token is answered 401, not 422.
        """
        if not token:
            raise Unauthenticated("missing bearer token")
        now = self._clock()
        try:
            upload = read(now)
        except InvalidInput:
            self.authenticate(token)
            raise
        token_hash = hash_token(token)
        with self._database.unit_of_work() as uow:
            # Authenticating inside the write means a revocation committed before it always wins.
            credential = uow.sensors.by_token_hash(token_hash)
            if credential is None or credential.status is not SensorStatus.ACTIVE:
                raise Unauthenticated("unknown or revoked token")
            new = uow.counts.add(credential.pk, upload.counts, now=epoch(now))
            if upload.agent is not None:
                uow.sensors.record_agent_report(credential.pk, upload.agent, now=epoch(now))
            if new:
                uow.revision.bump()
            uow.commit()
        received = len(upload.counts)
        return IntakeResult(credential.id, received, new, received - new)

    def record_counts(self, *, token: str | None, counts: Sequence[Count]) -> IntakeResult:
        """Authenticate, check and store domain counts from any source, whole or not at all."""

        def checked(now: datetime) -> Upload:
            check_counts(counts, now=now)
            return Upload(counts)

        return self.record(token=token, read=checked)
