"""Count intake: authenticate the sensor, check the whole batch, store what is new, idempotently."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from freiweg.domain.counts import Count, check_counts
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

    def store(self, credential: SensorCredential, counts: Sequence[Count]) -> IntakeResult:
        """Store already checked counts of an authenticated sensor in one transaction."""
        with self._database.unit_of_work() as uow:
            # The token is checked again inside the write, so a revocation in between wins.
            again = uow.sensors.by_token_hash(credential.token_hash)
            if again is None or again.status is not SensorStatus.ACTIVE:
                raise Unauthenticated("unknown or revoked token")
            new = uow.counts.add(credential.pk, counts, now=epoch(self._clock()))
            if new:
                uow.revision.bump()
            uow.commit()
        return IntakeResult(credential.id, len(counts), new, len(counts) - new)

    def record_counts(self, *, token: str | None, counts: Sequence[Count]) -> IntakeResult:
        """Authenticate, check and store a batch whole or not at all; repeats are not doubled."""
        credential = self.authenticate(token)
        check_counts(counts, now=self._clock())
        return self.store(credential, counts)
