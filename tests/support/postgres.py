"""A throwaway PostgreSQL cluster from Debian's binaries, run as the postgres user on a free port."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server binary folder, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@dataclass
class PostgresCluster:
    """A running cluster and how to reach and stop it."""

    url: str
    stop: Callable[[], None]
    _admin: str = field(default="")

    def create_database(self, name: str) -> str:
        """Create an empty database; return its SQLAlchemy URL."""
        with psycopg.connect(self._admin_url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever still uses it."""
        with psycopg.connect(self._admin_url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin_url(self) -> str:
        return (self._admin or self.url).replace("postgresql+psycopg://", "postgresql://")


def _as_postgres(*command: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


def start_cluster(workdir: Path) -> PostgresCluster | None:
    """initdb, start on a free loopback port and return the cluster, or None without binaries."""
    binaries = postgres_bin()
    if binaries is None:
        return None
    data = workdir / "data"
    socket_dir = workdir / "socket"
    socket_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(socket_dir, "postgres")
    subprocess.run(
        _as_postgres(
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ),
        check=True,
        capture_output=True,
    )
    port = free_port()
    options = f"-h 127.0.0.1 -p {port} -k {socket_dir} -F -c fsync=off -c full_page_writes=off"
    subprocess.run(
        _as_postgres(
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(workdir / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ),
        check=True,
        capture_output=True,
    )
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")).close()
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)

    def stop() -> None:
        subprocess.run(
            _as_postgres(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
            check=False,
            capture_output=True,
        )

    return PostgresCluster(url=url, stop=stop)
