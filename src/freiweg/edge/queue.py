"""The durable local queue: counts only, in SQLite, synced to disk before the agent goes on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, NamedTuple

SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    value INTEGER NOT NULL,
    quality TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS tally (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO tally (name, value) VALUES ('dropped', 0);
"""


class Pending(NamedTuple):
    """A count waiting for upload."""

    id: int
    start: int
    end: int
    value: int
    quality: list[str]


class CountQueue:
    """A bounded first-in-first-out queue of window counts; when full, the oldest are dropped and tallied."""

    def __init__(self, path: Path, *, capacity: int = 100_000) -> None:
        if capacity < 1:
            raise ValueError("queue capacity must be at least 1")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.capacity = capacity
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def put(self, start: int, end: int, value: int, quality: list[str]) -> None:
        """Append a count durably (fsync'd on commit), dropping the oldest if the queue is full."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO pending (start, end, value, quality) VALUES (?, ?, ?, ?)",
                (start, end, value, json.dumps(sorted(quality))),
            )
            excess = self.size() - self.capacity
            if excess > 0:
                self._db.execute(
                    "DELETE FROM pending WHERE id IN (SELECT id FROM pending ORDER BY id LIMIT ?)", (excess,)
                )
                self._db.execute("UPDATE tally SET value = value + ? WHERE name = 'dropped'", (excess,))

    def oldest(self, limit: int) -> list[Pending]:
        """Up to `limit` counts, oldest first."""
        rows = self._db.execute(
            "SELECT id, start, end, value, quality FROM pending ORDER BY id LIMIT ?", (limit,)
        ).fetchall()
        return [Pending(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def remove(self, ids: list[int]) -> None:
        """Forget counts the server has acknowledged."""
        if not ids:
            return
        with self._transaction():
            self._db.executemany("DELETE FROM pending WHERE id = ?", [(i,) for i in ids])

    def discard(self, ids: list[int]) -> None:
        """Drop counts the server refused for good, and tally them as dropped."""
        with self._transaction():
            self._db.executemany("DELETE FROM pending WHERE id = ?", [(i,) for i in ids])
            self._db.execute("UPDATE tally SET value = value + ? WHERE name = 'dropped'", (len(ids),))

    def size(self) -> int:
        """How many counts wait."""
        return int(self._db.execute("SELECT count(*) FROM pending").fetchone()[0])

    @property
    def dropped(self) -> int:
        """How many counts were ever dropped because the queue was full or the server refused them."""
        return int(self._db.execute("SELECT value FROM tally WHERE name = 'dropped'").fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _transaction(self) -> Any:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
