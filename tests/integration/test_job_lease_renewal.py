"""A job that runs longer than its lease keeps the lease, so no other process runs it at the same time."""

from __future__ import annotations

import threading
import time

from freiweg.services.clock import epoch
from freiweg.services.jobs import Every, Job, JobScheduler
from freiweg.services.registry import Services
from freiweg.storage.job_repository import JobLeaseRepository
from tests.conftest import FakeClock

LEASE = 300


def lease_until(services: Services) -> int:
    """The end of the job's lease as stored."""
    with services.database.reading() as uow:
        row = JobLeaseRepository(uow.connection).get("slow")
    assert row is not None
    return int(row.until)


def test_a_run_longer_than_its_lease_is_not_started_a_second_time_by_another_process(
    services: Services, clock: FakeClock
) -> None:
    runs: list[str] = []
    overlapping: list[str] = []
    release = threading.Event()

    def slow() -> str:
        runs.append("run")
        # The run outlasts its lease: the other process looks while it still runs.
        clock.advance(seconds=LEASE + 60)
        deadline = time.monotonic() + 10
        while lease_until(services) <= epoch(clock.now) and time.monotonic() < deadline:
            time.sleep(0.02)
        overlapping.extend(r.job for r in other.run_due())
        release.set()
        return "done"

    job = Job("slow", Every(60), slow, lease_seconds=LEASE)
    first = JobScheduler(
        database=services.database, clock=clock, jobs=[job], timezone="UTC", renew_seconds=0.02
    )
    other = JobScheduler(
        database=services.database, clock=clock, jobs=[job], timezone="UTC", renew_seconds=0.02
    )
    first.prepare()
    [finished] = first.run_due()
    assert release.is_set()
    assert (finished.ok, runs, overlapping) == (True, ["run"], [])
    with services.database.reading() as uow:
        row = JobLeaseRepository(uow.connection).get("slow")
    assert row is not None and row.holder is None and int(row.runs) == 1


def test_a_lease_of_a_crashed_holder_is_still_taken_over_after_it_expires(
    services: Services, clock: FakeClock
) -> None:
    runs: list[str] = []
    job = Job("slow", Every(60), lambda: runs.append("run") or "ok", lease_seconds=LEASE)
    crashed = JobScheduler(database=services.database, clock=clock, jobs=[job], timezone="UTC")
    crashed.prepare()
    with services.database.unit_of_work() as uow:
        now = epoch(clock.now)
        assert JobLeaseRepository(uow.connection).take("slow", holder="gone", now=now, until=now + LEASE)
        uow.commit()
    assert crashed.run_due() == []
    clock.advance(seconds=LEASE)
    assert [r.job for r in crashed.run_due()] == ["slow"] and runs == ["run"]
