"""Scheduled jobs inside the server: alert check, housekeeping and forecast refresh, one process at a time."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from freiweg.server_logs import redact
from freiweg.services.clock import Clock, epoch
from freiweg.storage.job_repository import JobLeaseRepository
from freiweg.storage.unit_of_work import Database

if TYPE_CHECKING:
    from freiweg.services.registry import Services

ALERT_CHECK: Final = "alert_check"
HOUSEKEEPING: Final = "housekeeping"
FORECAST_REFRESH: Final = "forecast_refresh"
# How long a run may take before another process may assume its holder crashed and take over.
LEASES: Final = {ALERT_CHECK: 300, HOUSEKEEPING: 3600, FORECAST_REFRESH: 1800}
logger = logging.getLogger("freiweg.jobs")


@dataclass(frozen=True)
class Every:
    """Run every `seconds`, the first time at once (or one interval after the job is first seen)."""

    seconds: int
    at_once: bool = True

    def first_due(self, now: int, _zone: ZoneInfo) -> int:
        """When a job never run before is due."""
        return now if self.at_once else now + self.seconds

    def next_due(self, started: int, _now: int, _zone: ZoneInfo) -> int:
        """When the run that started at `started` is followed by the next one."""
        return started + self.seconds

    def latest_due(self, now: int, _zone: ZoneInfo) -> int:
        """The latest a job may be due from now on (so a shortened interval applies at once)."""
        return now + self.seconds


@dataclass(frozen=True)
class DailyAt:
    """Run once a day at a local wall-clock time, e.g. 03:30."""

    hour: int
    minute: int

    @classmethod
    def parse(cls, text: str) -> DailyAt:
        """From "HH:MM"."""
        hour, minute = text.split(":")
        return cls(int(hour), int(minute))

    def _next(self, now: int, zone: ZoneInfo) -> int:
        local = datetime.fromtimestamp(now, zone)
        candidate = local.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        if epoch(candidate) <= now:
            candidate = (local + timedelta(days=1)).replace(
                hour=self.hour, minute=self.minute, second=0, microsecond=0
            )
        # Aware datetimes add days on the wall clock, so 03:30 stays 03:30 across daylight-saving changes.
        return epoch(candidate)

    def first_due(self, now: int, zone: ZoneInfo) -> int:
        """The next time of day after now."""
        return self._next(now, zone)

    def next_due(self, _started: int, now: int, zone: ZoneInfo) -> int:
        """The next time of day after the run."""
        return self._next(now, zone)

    def latest_due(self, now: int, zone: ZoneInfo) -> int:
        """The next time of day after now (a changed time applies from today)."""
        return self._next(now, zone)


@dataclass(frozen=True)
class Job:
    """A named piece of work on a schedule; `run` returns a one-line summary of what it did."""

    name: str
    schedule: Every | DailyAt
    run: Callable[[], str]
    lease_seconds: int


@dataclass(frozen=True)
class JobRun:
    """How one run of a job ended in this process."""

    job: str
    ok: bool
    detail: str
    duration_ms: int


class JobScheduler:
    """Runs due jobs; a lease in the database makes sure one process runs a job at a time."""

    def __init__(
        self,
        *,
        database: Database,
        clock: Clock,
        jobs: Sequence[Job],
        timezone: str,
        holder: str | None = None,
        renew_seconds: float | None = None,
    ) -> None:
        self._database = database
        # How often a running job's lease is renewed (seconds); by default a third of the lease.
        self._renew_seconds = renew_seconds
        self._clock = clock
        self._jobs = list(jobs)
        self._zone = ZoneInfo(timezone)
        # A random name per scheduler: enough to tell lease holders apart, nothing about the machine.
        self.holder = holder or secrets.token_hex(8)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def jobs(self) -> list[Job]:
        """The jobs this scheduler runs."""
        return list(self._jobs)

    def prepare(self) -> None:
        """Create each job's lease row if missing and bring its due time within the current schedule."""
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = JobLeaseRepository(uow.connection)
            for job in self._jobs:
                repository.ensure(job.name, due_at=job.schedule.first_due(now, self._zone))
                repository.bring_forward(job.name, latest_due=job.schedule.latest_due(now, self._zone))
            uow.commit()

    def run_due(self) -> list[JobRun]:
        """Run every job that is due and whose lease this process gets; one failing job stops no other."""
        runs = []
        for job in self._jobs:
            try:
                finished = self._run_if_due(job)
            except Exception:
                # The database itself failed (taking or freeing the lease); the next pass tries again.
                logger.warning("job lease failed", extra={"job": job.name}, exc_info=True)
                continue
            if finished is not None:
                runs.append(finished)
        return runs

    def _run_if_due(self, job: Job) -> JobRun | None:
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            taken = JobLeaseRepository(uow.connection).take(
                job.name, holder=self.holder, now=now, until=now + job.lease_seconds
            )
            uow.commit()
        if not taken:
            return None
        began = time.perf_counter()
        done = threading.Event()
        keeper = threading.Thread(
            target=self._keep_lease, args=(job, done), name=f"freiweg-lease-{job.name}", daemon=True
        )
        keeper.start()
        try:
            detail, ok = job.run(), True
        except Exception as error:
            # Stored for the console: without addresses or secrets a driver may put into its message.
            detail, ok = redact(f"{type(error).__name__}: {error}"), False
            failure: BaseException | None = error
        else:
            failure = None
        finally:
            done.set()
            keeper.join()
        duration_ms = round((time.perf_counter() - began) * 1000)
        ended = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            kept = JobLeaseRepository(uow.connection).finish(
                job.name,
                holder=self.holder,
                now=ended,
                ok=ok,
                detail=detail,
                duration_ms=duration_ms,
                next_due=job.schedule.next_due(now, ended, self._zone),
            )
            uow.commit()
        fields: dict[str, Any] = {"job": job.name, "ok": ok, "duration_ms": duration_ms, "detail": detail}
        if not kept:
            fields["lease"] = "lost"  # it ran longer than its lease; another process may have run it too
        if ok:
            logger.info("job run", extra=fields)
        else:
            logger.error(
                "job failed",
                extra=fields,
                exc_info=(type(failure), failure, failure.__traceback__) if failure else None,
            )
        return JobRun(job.name, ok, detail, duration_ms)

    def _keep_lease(self, job: Job, done: threading.Event) -> None:
        # A run may outlast its lease (a slow database, a large refresh): while it goes on, its
        # lease is renewed, so another process never takes it for crashed and runs the job as well.
        # Only a holder that stops renewing (it crashed) loses the lease when it expires.
        pause = self._renew_seconds if self._renew_seconds is not None else max(1.0, job.lease_seconds / 3)
        while not done.wait(pause):
            try:
                now = epoch(self._clock())
                with self._database.unit_of_work() as uow:
                    kept = JobLeaseRepository(uow.connection).renew(
                        job.name, holder=self.holder, until=now + job.lease_seconds
                    )
                    uow.commit()
            except Exception:
                logger.warning("job lease renewal failed", extra={"job": job.name}, exc_info=True)
                continue
            if not kept:
                return

    def start(self, *, tick: float | None = None) -> None:
        """Run due jobs in a background thread until stop() is called."""
        shortest = min((j.schedule.seconds for j in self._jobs if isinstance(j.schedule, Every)), default=60)
        pause = tick if tick is not None else min(5.0, max(0.2, shortest / 4))
        self.prepare()
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(pause,), name="freiweg-jobs", daemon=True)
        self._thread.start()

    def _loop(self, pause: float) -> None:
        while not self._stop.is_set():
            try:
                self.run_due()
            except Exception:  # never let the thread die; the next pass tries again
                logger.exception("job pass failed")
            self._stop.wait(pause)

    def stop(self, timeout: float = 30) -> None:
        """Stop the background thread after the run in progress."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def job_status(database: Database, timezone: str = "UTC") -> list[dict[str, Any]]:
    """Every job known to the database: when it last ran, whether it succeeded, when it is due next.

    Times are epoch seconds; the same keys with `_local` give them as ISO 8601 in timezone.
    """
    zone = ZoneInfo(timezone)

    def local(moment: int | None) -> str | None:
        return None if moment is None else datetime.fromtimestamp(moment, zone).isoformat()

    with database.reading() as uow:
        rows = JobLeaseRepository(uow.connection).all()
    return [
        {
            "job": r.job,
            "last_started_at": r.last_started_at,
            "last_started_at_local": local(r.last_started_at),
            "last_finished_at": r.last_finished_at,
            "last_finished_at_local": local(r.last_finished_at),
            "ok": r.last_ok,
            "detail": r.last_detail,
            "duration_ms": r.last_duration_ms,
            "running": r.holder is not None,
            "due_at": r.due_at,
            "due_at_local": local(r.due_at),
            "runs": int(r.runs),
            "failures": int(r.failures),
        }
        for r in rows
    ]


def server_jobs(services: Services) -> list[Job]:
    """The jobs `freiweg serve` runs: alert check, daily housekeeping and (with forecasts) their refresh."""
    from freiweg.services.alerts import AlertService, deliver
    from freiweg.services.housekeeping import HousekeepingService
    from freiweg.services.sensor_health import SensorHealthService

    settings = services.settings
    alerts = AlertService(
        database=services.database,
        clock=services.clock,
        crowd=services.crowd,
        health=SensorHealthService(
            database=services.database, clock=services.clock, tolerance=settings.stale_after_intervals
        ),
        send=deliver(settings),
        forecasts=services.forecasts,
    )
    housekeeping = HousekeepingService(
        database=services.database,
        clock=services.clock,
        minute_count_days=settings.retention_minute_count_days,
    )

    def check_alerts() -> str:
        notices = alerts.check()
        opened = sum(1 for n in notices if n.state == "open")
        return f"{opened} opened, {len(notices) - opened} resolved"

    def keep_house() -> str:
        run = housekeeping.run()
        deleted = f"{run.counts_deleted} counts and {run.sessions_deleted} sessions deleted"
        return f"{deleted}, log entry {run.log_seq}"

    jobs = [
        Job(ALERT_CHECK, Every(settings.alert_check_seconds), check_alerts, LEASES[ALERT_CHECK]),
        Job(HOUSEKEEPING, DailyAt.parse(settings.housekeeping_at), keep_house, LEASES[HOUSEKEEPING]),
    ]
    forecasts = services.forecasts
    if forecasts is not None:

        def refresh_forecasts() -> str:
            return "refreshed" if forecasts.refresh_if_due() else "up to date"

        jobs.append(
            Job(
                FORECAST_REFRESH,
                Every(settings.forecast_refresh_seconds, at_once=False),
                refresh_forecasts,
                LEASES[FORECAST_REFRESH],
            )
        )
    return jobs


__all__ = ["DailyAt", "Every", "Job", "JobRun", "JobScheduler", "job_status", "server_jobs"]
