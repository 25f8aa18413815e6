"""Scheduled jobs: leased in the database so one process runs a due job once, crash-safe and isolated."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from freiweg.services.clock import epoch
from freiweg.services.jobs import DailyAt, Every, Job, JobScheduler, job_status, server_jobs
from freiweg.services.registry import Services
from freiweg.storage.job_repository import JobLeaseRepository
from tests.conftest import FakeClock


class Counter:
    """A job body that counts its runs, optionally failing, optionally waiting for a signal."""

    def __init__(self, *, fail: bool = False, hold: threading.Event | None = None) -> None:
        self.runs = 0
        self.fail = fail
        self.hold = hold
        self.started = threading.Event()

    def __call__(self) -> str:
        self.runs += 1
        self.started.set()
        if self.hold is not None:
            self.hold.wait(10)
        if self.fail:
            raise RuntimeError("the mail server is down")
        return f"run {self.runs}"


def scheduler(services: Services, clock: FakeClock, *jobs: Job, holder: str | None = None) -> JobScheduler:
    built = JobScheduler(
        database=services.database, clock=clock, jobs=jobs, timezone="Europe/Berlin", holder=holder
    )
    built.prepare()
    return built


def test_two_schedulers_on_one_database_run_a_due_job_once(services: Services, clock: FakeClock) -> None:
    body = Counter()
    job = Job("check", Every(60), body, lease_seconds=300)
    first, second = scheduler(services, clock, job), scheduler(services, clock, job)
    assert first.holder != second.holder
    assert [r.job for r in first.run_due()] == ["check"]
    assert second.run_due() == [] and first.run_due() == []
    assert body.runs == 1
    clock.advance(seconds=60)
    assert [r.job for r in second.run_due()] == ["check"]
    assert first.run_due() == []
    assert body.runs == 2
    [status] = job_status(services.database)
    assert status["ok"] is True and status["runs"] == 2 and status["detail"] == "run 2"
    assert status["due_at"] == epoch(clock.now) + 60 and status["running"] is False


def test_schedulers_racing_for_the_same_due_job_run_it_once_each_time(
    services: Services, clock: FakeClock
) -> None:
    body = Counter()
    job = Job("check", Every(60), body, lease_seconds=300)
    racers = [scheduler(services, clock, job) for _ in range(3)]
    for _ in range(10):
        start = threading.Barrier(len(racers))

        def race(runner: JobScheduler, start: threading.Barrier = start) -> None:
            start.wait()
            runner.run_due()

        threads = [threading.Thread(target=race, args=(r,)) for r in racers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        clock.advance(seconds=60)
    assert body.runs == 10
    assert job_status(services.database)[0]["runs"] == 10


def test_a_job_is_not_run_twice_while_another_process_runs_it(services: Services, clock: FakeClock) -> None:
    hold = threading.Event()
    body = Counter(hold=hold)
    job = Job("check", Every(60), body, lease_seconds=300)
    first, second = scheduler(services, clock, job), scheduler(services, clock, job)
    worker = threading.Thread(target=first.run_due)
    worker.start()
    assert body.started.wait(10)
    assert [s["running"] for s in job_status(services.database)] == [True]
    assert second.run_due() == []
    hold.set()
    worker.join(10)
    assert body.runs == 1


def test_an_expired_lease_of_a_crashed_holder_is_taken_over(services: Services, clock: FakeClock) -> None:
    body = Counter()
    job = Job("check", Every(60), body, lease_seconds=300)
    survivor = scheduler(services, clock, job)
    now = epoch(clock.now)
    # Another process took the lease and died before it finished the run.
    with services.database.unit_of_work() as uow:
        assert JobLeaseRepository(uow.connection).take("check", holder="crashed", now=now, until=now + 300)
        uow.commit()
    assert survivor.run_due() == []
    clock.advance(seconds=299)
    assert survivor.run_due() == []
    clock.advance(seconds=1)
    assert [r.ok for r in survivor.run_due()] == [True]
    assert body.runs == 1
    # The crashed holder cannot record a finish over the survivor's run.
    with services.database.unit_of_work() as uow:
        assert not JobLeaseRepository(uow.connection).finish(
            "check", holder="crashed", now=now, ok=False, detail="", duration_ms=0, next_due=now
        )
        uow.commit()
    assert job_status(services.database)[0]["ok"] is True


def test_a_failing_job_does_not_stop_the_others_and_is_tried_again(
    services: Services, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    broken, healthy = Counter(fail=True), Counter()
    jobs = (Job("alerts", Every(60), broken, 300), Job("refresh", Every(60), healthy, 300))
    runner = scheduler(services, clock, *jobs)
    with caplog.at_level(logging.INFO, logger="freiweg.jobs"):
        runs = runner.run_due()
    assert [(r.job, r.ok) for r in runs] == [("alerts", False), ("refresh", True)]
    failed = next(r for r in caplog.records if r.name == "freiweg.jobs" and r.levelno == logging.ERROR)
    assert failed.getMessage() == "job failed" and failed.job == "alerts"  # type: ignore[attr-defined]
    status = {s["job"]: s for s in job_status(services.database)}
    assert status["alerts"]["ok"] is False
    assert status["alerts"]["detail"] == "RuntimeError: the mail server is down"
    assert status["refresh"]["ok"] is True
    clock.advance(seconds=60)
    broken.fail = False
    assert [(r.job, r.ok) for r in runner.run_due()] == [("alerts", True), ("refresh", True)]
    status = {s["job"]: s for s in job_status(services.database)}
    assert status["alerts"]["ok"] is True and status["alerts"]["failures"] == 1


def test_a_daily_job_runs_at_its_local_time_and_then_the_next_day(
    services: Services, clock: FakeClock
) -> None:
    zone = ZoneInfo("Europe/Berlin")
    clock.now = datetime(2026, 3, 28, 12, 0, tzinfo=zone).astimezone(UTC)  # the day before summer time
    body = Counter()
    runner = scheduler(services, clock, Job("housekeeping", DailyAt.parse("03:30"), body, 3600))
    assert runner.run_due() == []
    clock.now = datetime(2026, 3, 29, 3, 29, tzinfo=zone).astimezone(UTC)
    assert runner.run_due() == []
    clock.now = datetime(2026, 3, 29, 3, 30, tzinfo=zone).astimezone(UTC)
    assert len(runner.run_due()) == 1
    due = datetime.fromtimestamp(job_status(services.database)[0]["due_at"], zone)
    assert (due.day, due.hour, due.minute) == (30, 3, 30)


def test_a_shortened_interval_applies_at_the_next_start(services: Services, clock: FakeClock) -> None:
    body = Counter()
    scheduler(services, clock, Job("refresh", Every(3600, at_once=False), body, 300))
    clock.advance(seconds=120)
    shorter = scheduler(services, clock, Job("refresh", Every(60, at_once=False), body, 300))
    assert shorter.run_due() == []
    clock.advance(seconds=60)
    assert [r.job for r in shorter.run_due()] == ["refresh"]  # not an hour after the first start


def test_the_server_runs_the_alert_check_and_housekeeping_and_refreshes_forecasts_when_it_can(
    services: Services, clock: FakeClock, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    jobs = server_jobs(services)
    names = [j.name for j in jobs]
    assert names[:2] == ["alert_check", "housekeeping"]
    assert ("forecast_refresh" in names) == (services.forecasts is not None)
    for job in jobs:
        assert job.run()
