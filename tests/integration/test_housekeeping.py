"""Retention: one-minute counts past their period are deleted, hourly aggregates stay, every run is logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select

from freiweg.ingest.http_push.decode import parse_batch
from freiweg.services.housekeeping import HousekeepingService
from freiweg.services.registry import Services
from freiweg.storage.tables import count_hourly, counts
from tests.conftest import FakeClock, presence


def rows(services: Services, table: object) -> int:
    with services.database.reading() as uow:
        return int(uow.connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_counts_older_than_the_retention_period_are_deleted_and_the_run_is_logged(
    services: Services, clock: FakeClock, town: Callable[..., dict[str, str]]
) -> None:
    token = town("domplatz")["domplatz-1"]
    document = {
        "counts": [presence(clock.now - timedelta(days=100), 5), presence(clock.now - timedelta(days=1), 6)]
    }
    services.intake.record(token=token, read=lambda now: parse_batch(document, now=now))
    hourly_before = rows(services, count_hourly)
    assert rows(services, counts) == 2 and hourly_before >= 1
    run = HousekeepingService(database=services.database, clock=clock, minute_count_days=90).run()
    assert run.counts_deleted == 1
    assert rows(services, counts) == 1
    assert rows(services, count_hourly) == hourly_before
    with services.database.reading() as uow:
        logged = uow.log.about("retention:counts")
    assert [(seq, kind) for seq, kind, _ in logged] == [(run.log_seq, "retention.run")]
    again = HousekeepingService(database=services.database, clock=clock, minute_count_days=90).run()
    assert again.counts_deleted == 0 and again.log_seq > run.log_seq
