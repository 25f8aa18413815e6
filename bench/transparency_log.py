"""Transparency log speed: appends per second, and proof times in a log of a million entries.

Run by hand: `.venv/bin/python -m bench.transparency_log [--entries 1000000] [--postgres URL]`.
Every figure is printed next to a baseline measured in the same run (SHA-256 of 32-byte values)
so that a busy machine shows up as a slow baseline, not as a slow log.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from freiweg.bootstrap import build_services
from freiweg.services.logbook import record_change
from freiweg.services.registry import Services
from freiweg.settings import Settings
from freiweg.transparency.entries import LogEntry
from freiweg.transparency.merkle import leaf_hash

LOG_KEY = (
    "PRIVATE+KEY+bench.freiweg.example/freiweg-log+f1ea4683+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f"
)


def baseline_hashes_per_second() -> float:
    """SHA-256 of 200,000 32-byte values: how fast this machine hashes right now."""
    values = [i.to_bytes(32, "big") for i in range(200_000)]
    started = time.perf_counter()
    for value in values:
        leaf_hash(value)
    return len(values) / (time.perf_counter() - started)


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of each of repeat calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(ordered):.3f} ms, p99 {p99:.3f} ms, max {ordered[-1]:.3f} ms"


def appends(services: Services, count: int, *, per_transaction: bool) -> float:
    """Entries appended per second, each in its own unit of work or all in one."""
    now = int(time.time())
    started = time.perf_counter()
    if per_transaction:
        for i in range(count):
            with services.database.unit_of_work() as uow:
                record_change(uow, kind="bench.append", subject=f"bench:{i}", body={"i": i}, now=now)
                uow.commit()
    else:
        with services.database.unit_of_work() as uow:
            for i in range(count):
                record_change(uow, kind="bench.append", subject=f"bench:{i}", body={"i": i}, now=now)
            uow.commit()
    return count / (time.perf_counter() - started)


def fill(services: Services, total: int) -> None:
    """Bring the log to total entries quickly, with real canonical entries and leaf hashes."""
    with services.database.unit_of_work() as uow:
        current = int(uow.connection.execute(text("SELECT count(*) FROM transparency_log")).scalar_one())
        rows = []
        for i in range(current, total):
            entry = LogEntry("bench.fill", f"bench:{i}", 1_780_000_000 + i, {"i": i})
            rows.append(
                {
                    "appended_at": entry.appended_at,
                    "kind": entry.kind,
                    "subject": entry.subject,
                    "body": entry.canonical().decode(),
                    "leaf_hash": entry.leaf_hash().hex(),
                }
            )
            if len(rows) == 50_000:
                uow.connection.execute(_insert(), rows)
                rows = []
        if rows:
            uow.connection.execute(_insert(), rows)
        uow.commit()


def _insert() -> object:
    return text(
        "INSERT INTO transparency_log (appended_at, kind, subject, body, leaf_hash) "
        "VALUES (:appended_at, :kind, :subject, :body, :leaf_hash)"
    )


def run(database_url: str, entries: int, label: str) -> None:
    settings = Settings(database_url=database_url, secret_key="bench-" + "x" * 30, log_key=LOG_KEY)
    services = build_services(settings)
    try:
        print(f"== {label}")
        print(f"baseline: {baseline_hashes_per_second():,.0f} leaf hashes/s")
        single = appends(services, 2_000, per_transaction=True)
        print(f"append, one transaction per entry: {single:,.0f} entries/s")
        batched = appends(services, 20_000, per_transaction=False)
        print(f"append, 20,000 entries in one transaction: {batched:,.0f} entries/s")
        started = time.perf_counter()
        fill(services, entries)
        print(f"filled to {entries:,} entries in {time.perf_counter() - started:.1f} s")
        if services.database.engine.dialect.name == "postgresql":
            # What autovacuum would have done by now; without it the first queries race its analyze.
            with services.database.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE transparency_log"
                )
        log = services.transparency.log
        started = time.perf_counter()
        size = log.tree().size
        print(
            f"first tree load (once per process): {time.perf_counter() - started:.1f} s for {size:,} entries"
        )
        print(f"baseline: {baseline_hashes_per_second():,.0f} leaf hashes/s")
        rng = random.Random(6)
        tree = log.tree()
        timed(lambda: log.inclusion_proof(rng.randrange(size), size), 100)  # warm the connection pool
        print(
            "inclusion proof, tree only: "
            + summary(timed(lambda: tree.inclusion_proof(rng.randrange(size), size), 2_000))
        )
        print(
            "consistency proof, tree only: "
            + summary(timed(lambda: tree.consistency_proof(rng.randrange(1, size), size), 2_000))
        )
        print(
            "inclusion proof, service (size already read: proof + base64): "
            + summary(timed(lambda: log.inclusion_proof(rng.randrange(size), size), 1_000))
        )
        print(
            "consistency proof, service: "
            + summary(timed(lambda: log.consistency_proof(rng.randrange(1, size), size), 1_000))
        )
        print(
            "look for new rows (one query, done for unknown sizes and checkpoints): "
            + summary(timed(log.tree, 1_000))
        )
        print("checkpoint (growth: signs and stores): " + summary(timed(log.checkpoint, 1)))
        print("checkpoint (unchanged): " + summary(timed(log.checkpoint, 200)))
    finally:
        services.database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres",
        help="also run on PostgreSQL: a postgresql+psycopg:// URL of an empty database, or 'throwaway' "
        "for a temporary cluster started like the test suite's",
    )
    arguments = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="freiweg-bench-") as folder:
        run(f"sqlite:///{Path(folder) / 'freiweg.db'}", arguments.entries, "SQLite")
    if arguments.postgres == "throwaway":
        from tests.support.postgres import start_cluster

        folder = Path(tempfile.mkdtemp(prefix="freiweg-bench-pg-"))
        cluster = start_cluster(folder)
        if cluster is None:
            raise SystemExit("PostgreSQL binaries not found")
        try:
            run(cluster.create_database("transparency_bench"), arguments.entries, "PostgreSQL (throwaway)")
        finally:
            cluster.stop()
            shutil.rmtree(folder, ignore_errors=True)
    elif arguments.postgres:
        run(arguments.postgres, arguments.entries, "PostgreSQL")
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
