"""A backup made while the database is in use restores into a fresh database with the same contents."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from freiweg.bootstrap import build_services
from freiweg.ingest.http_push.decode import parse_batch
from freiweg.services.registry import Services
from freiweg.settings import Settings
from freiweg.storage.backup import BackupFailed, backup, restore
from freiweg.storage.tables import metadata
from freiweg.storage.unit_of_work import Database
from tests.conftest import TEST_SECRET, FakeClock, presence


def contents(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    with database.reading() as uow:
        return {
            name: sorted((tuple(r) for r in uow.connection.execute(select(table))), key=repr)
            for name, table in metadata.tables.items()
        }


@pytest.fixture
def fresh_url(database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A second, empty database of the same kind."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.db'}"
    cluster = request.getfixturevalue("postgres_cluster")
    name = f"freiweg_restore_{os.getpid()}"
    url: str = cluster.create_database(name)
    request.addfinalizer(lambda: cluster.drop_database(name))
    return url


def test_a_backup_restores_into_a_fresh_database_with_the_same_contents(
    services: Services,
    clock: FakeClock,
    town: Callable[..., dict[str, str]],
    tmp_path: Path,
    fresh_url: str,
) -> None:
    token = town("domplatz", "obstmarkt")["domplatz-1"]
    document = {"counts": [presence(clock.now, 12)]}
    services.intake.record(token=token, read=lambda now: parse_batch(document, now=now))
    path = tmp_path / "freiweg.backup"
    backup(services.database, path)
    with pytest.raises(BackupFailed, match="exists already"):
        backup(services.database, path)
    restored = build_services(Settings(database_url=fresh_url, secret_key=TEST_SECRET), clock=clock)
    try:
        restore(restored.database, path)
        assert contents(restored.database) == contents(services.database)
        assert sum(len(rows) for rows in contents(restored.database).values()) > 10
    finally:
        restored.database.dispose()


def test_restoring_something_that_is_no_file_says_so(services: Services, tmp_path: Path) -> None:
    with pytest.raises(BackupFailed, match="is not a backup file"):
        restore(services.database, tmp_path / "missing.backup")
