"""Consistent backups while the server runs, and restores: SQLite's online backup, pg_dump for PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from freiweg.storage.unit_of_work import Database


class BackupFailed(RuntimeError):
    """A backup or restore did not complete; the message says what to fix."""


def _libpq_url(database: Database) -> str:
    url = make_url(database.engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            f"{name} was not found; install PostgreSQL's client tools (Debian: postgresql-client)"
        )
    return found


def _run(command: list[str]) -> None:
    # The database URL with its password is an argument only of the child process, never printed.
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupFailed(f"{Path(command[0]).name} failed: {finished.stderr.strip()[:500]}")


def backup(database: Database, path: Path) -> None:
    """Write a consistent copy of the whole database to path (SQLite file, or pg_dump custom format)."""
    if path.exists():
        raise BackupFailed(f"{path} exists already; choose a new file name")
    if database.is_sqlite:
        raw = database.engine.raw_connection()
        try:
            target = sqlite3.connect(path)
            try:
                raw.driver_connection.backup(target)  # type: ignore[union-attr]
            finally:
                target.close()
        finally:
            raw.close()
        return
    _run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--file={path}",
            f"--dbname={_libpq_url(database)}",
        ]
    )


def restore(database: Database, path: Path) -> None:
    """Replace the database's contents with a backup made by backup(); stop the server first."""
    if not path.is_file():
        raise BackupFailed(f"{path} is not a backup file")
    if database.is_sqlite:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        raw = database.engine.raw_connection()
        try:
            source.backup(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()
            source.close()
        database.engine.dispose()
        return
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url(database)}",
            str(path),
        ]
    )
    database.engine.dispose()
