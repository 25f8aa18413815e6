"""Tables of the scheduled jobs: one lease row per job, with when it is due and how its last run ended."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Integer, String, Table

from freiweg.storage.tables import metadata

# One row per job. A process runs a job only after moving `holder`/`until` to itself with one
# conditional UPDATE, so exactly one process runs it at a time; a crashed holder's lease expires.
# `holder` is a random name a process draws at start, nothing that identifies a machine.
job_leases = Table(
    "job_leases",
    metadata,
    Column("job", String(63), primary_key=True),
    Column("holder", String(32), nullable=True),
    Column("until", BigInteger, nullable=False),
    Column("due_at", BigInteger, nullable=False),
    Column("last_started_at", BigInteger, nullable=True),
    Column("last_finished_at", BigInteger, nullable=True),
    Column("last_ok", Boolean, nullable=True),
    Column("last_detail", String(300), nullable=True),
    Column("last_duration_ms", Integer, nullable=True),
    Column("runs", BigInteger, nullable=False, default=0),
    Column("failures", BigInteger, nullable=False, default=0),
)
