"""Units of work: one transaction each, rolled back unless committed, with its repositories."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from freiweg.storage.engine import WRITE_OPTION, WriteGate, create_database_engine, is_sqlite
from freiweg.storage.repositories import (
    AreaRepository,
    CalibrationRepository,
    CountRepository,
    LogRepository,
    RevisionRepository,
    SensorRepository,
)

REVISION_SQL = "SELECT value FROM read_model_revision WHERE id = 1"


class UnitOfWork:
    """Repositories sharing one open transaction; nothing is kept unless commit() is called."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.areas = AreaRepository(connection)
        self.sensors = SensorRepository(connection)
        self.counts = CountRepository(connection)
        self.calibrations = CalibrationRepository(connection)
        self.log = LogRepository(connection)
        self.revision = RevisionRepository(connection)
        self._committed = False

    def commit(self) -> None:
        """Keep everything done in this unit of work."""
        self._committed = True


class Database:
    """The one database of a freiweg installation: opens units of work and read snapshots."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._gate = WriteGate(serialise=self.is_sqlite)

    @classmethod
    def from_url(cls, url: str) -> Database:
        """Open the database at url."""
        return cls(create_database_engine(url))

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """A write transaction; rolled back on error or when commit() was not called."""
        with self._gate, self.engine.connect() as connection:
            connection = connection.execution_options(**{WRITE_OPTION: True})
            transaction = connection.begin()
            uow = UnitOfWork(connection)
            try:
                yield uow
            except BaseException:
                transaction.rollback()
                raise
            if uow._committed:
                transaction.commit()
            else:
                transaction.rollback()

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A read-only snapshot transaction; it is always rolled back."""
        with self.engine.connect() as connection, connection.begin() as transaction:
            yield UnitOfWork(connection)
            transaction.rollback()

    def peek_revision(self) -> int:
        """The read-model revision, read on the driver level without a transaction of its own.

        Every public request asks this first to learn whether its memoised answer still holds,
        so it must cost microseconds: one primary-key lookup on a pooled connection.
        """
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(REVISION_SQL)
            (value,) = cursor.fetchone()  # type: ignore[misc]
            cursor.close()
        finally:
            raw.close()
        return int(value)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


__all__ = ["Database", "UnitOfWork", "is_sqlite"]
