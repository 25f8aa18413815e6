"""A PostgreSQL cluster for the benchmarks whose data folder survives between runs.

The cluster is created with Debian's binaries the way the test suite does it, but it is kept under
bench/results/ so the expensive year of counts is generated once. It listens on loopback only and
is pinned to the server core, like the freiweg server itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from tests.support.postgres import free_port, postgres_bin

SERVER_CORE = "0"

# Durability stays at PostgreSQL's defaults (fsync and synchronous_commit on); the rest is sized
# for a 2-core machine with a multi-gigabyte table.
SETTINGS = {
    "shared_buffers": "512MB",
    "effective_cache_size": "8GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "max_connections": "100",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
}


@dataclass
class Cluster:
    """A running cluster: its port and how to reach a database on it."""

    data: Path
    port: int
    binaries: Path

    def url(self, database: str) -> str:
        """SQLAlchemy URL of a database on this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str) -> str:
        """psycopg connection string of a database on this cluster."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def ensure_database(self, name: str) -> bool:
        """Create the database unless it exists; True when it was created."""
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if found:
                return False
            connection.execute(f'CREATE DATABASE "{name}"')
            return True

    def drop_database(self, name: str) -> None:
        """Drop a database of this cluster (used for a half-generated dataset only)."""
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def postmaster_pid(self) -> int | None:
        """Process id of the cluster's postmaster (its backends are its children)."""
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        """Shut down cleanly so the data folder is reused next time without recovery."""
        subprocess.run(
            _as_postgres(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"),
            check=False,
            capture_output=True,
        )


def _as_postgres(*command: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


def start(workdir: Path, *, cores: str = SERVER_CORE) -> Cluster:
    """Start the cluster in workdir (initdb on first use) on a free loopback port, on these cores."""
    binaries = postgres_bin()
    if binaries is None:
        raise SystemExit("PostgreSQL binaries not found; install Debian's postgresql package")
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "data"
    socket_dir = workdir / "socket"
    socket_dir.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(socket_dir, "postgres")
    if not (data / "PG_VERSION").exists():
        if data.exists():
            raise SystemExit(f"{data} exists but holds no cluster; move it away and run again")
        subprocess.run(
            _as_postgres(
                str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"
            ),
            check=True,
            capture_output=True,
        )
    pid_file = data / "postmaster.pid"
    if pid_file.exists():
        # A previous run was interrupted; stop that server before starting on a new port.
        subprocess.run(
            _as_postgres(str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"),
            check=False,
            capture_output=True,
        )
    port = free_port()
    options = " ".join(
        [f"-h 127.0.0.1 -p {port} -k {socket_dir}"] + [f"-c {key}={value}" for key, value in SETTINGS.items()]
    )
    subprocess.run(
        _as_postgres(
            "taskset",
            "-c",
            cores,
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(workdir / "server.log"),
            "-w",
            "-t",
            "300",
            "start",
        ),
        check=True,
        capture_output=True,
    )
    cluster = Cluster(data=data, port=port, binaries=binaries)
    deadline = time.monotonic() + 60
    while True:
        try:
            psycopg.connect(cluster.dsn("postgres")).close()
            return cluster
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
