"""The SQL of the job leases: create a job's row, take its lease with one conditional UPDATE, finish a run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from freiweg.storage.job_tables import job_leases
from freiweg.storage.repositories import dialect_insert


class JobLeaseRepository:
    """Reads and writes of job_leases inside one unit of work or snapshot."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def ensure(self, job: str, *, due_at: int) -> None:
        """Create the job's row, free and due at due_at, unless it exists (one atomic INSERT)."""
        statement = dialect_insert(self._c, job_leases).values(
            job=job, holder=None, until=0, due_at=due_at, runs=0, failures=0
        )
        self._c.execute(statement.on_conflict_do_nothing(index_elements=["job"]))

    def bring_forward(self, job: str, *, latest_due: int) -> None:
        """Make the job due no later than latest_due (after its interval or time was shortened)."""
        self._c.execute(
            update(job_leases)
            .where(job_leases.c.job == job, job_leases.c.due_at > latest_due)
            .values(due_at=latest_due)
        )

    def take(self, job: str, *, holder: str, now: int, until: int) -> bool:
        """Take the lease of a due job whose lease is free or expired; True when this holder got it.

        One UPDATE with the whole condition in its WHERE: of several processes trying at once, the
        database lets exactly one change the row (PostgreSQL re-checks the condition after the first
        commit; SQLite serialises writers), so exactly one runs the job.
        """
        result = self._c.execute(
            update(job_leases)
            .where(job_leases.c.job == job, job_leases.c.until <= now, job_leases.c.due_at <= now)
            .values(holder=holder, until=until, last_started_at=now)
        )
        return result.rowcount == 1

    def renew(self, job: str, *, holder: str, until: int) -> bool:
        """Move the end of this holder's lease to until while its run goes on; False if it was lost."""
        result = self._c.execute(
            update(job_leases)
            .where(job_leases.c.job == job, job_leases.c.holder == holder)
            .values(until=until)
        )
        return result.rowcount == 1

    def finish(
        self, job: str, *, holder: str, now: int, ok: bool, detail: str, duration_ms: int, next_due: int
    ) -> bool:
        """Record how the run ended, set the next due time and free the lease; False if it was lost."""
        result = self._c.execute(
            update(job_leases)
            .where(job_leases.c.job == job, job_leases.c.holder == holder)
            .values(
                holder=None,
                until=now,
                due_at=next_due,
                last_finished_at=now,
                last_ok=ok,
                last_detail=detail[:300],
                last_duration_ms=duration_ms,
                runs=job_leases.c.runs + 1,
                failures=job_leases.c.failures + (0 if ok else 1),
            )
        )
        return result.rowcount == 1

    def get(self, job: str) -> Any | None:
        """The job's row, or None."""
        return self._c.execute(select(job_leases).where(job_leases.c.job == job)).first()

    def all(self) -> list[Any]:
        """Every job's row, by name."""
        return list(self._c.execute(select(job_leases).order_by(job_leases.c.job)))
