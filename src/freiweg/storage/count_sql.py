"""The intake's hot SQL, run on the driver's cursor inside the unit of work's transaction.

Each upload runs four to six statements; through SQLAlchemy Core each costs tens of microseconds of
parameter and result processing, more than SQLite needs to run it. The statements here are plain,
portable SQL (ON CONFLICT and RETURNING work on SQLite 3.35+ and PostgreSQL), written once with
`?` placeholders and translated to psycopg's `%s`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from freiweg.domain.counts import Count, CountKind

HOUR = 3600
COUNT_COLUMNS = 8
ROWS_PER_STATEMENT = 2000  # 16,000 parameters: under SQLite's 32,766 and PostgreSQL's 65,535
PRESENCE = CountKind.PRESENCE.value


class CountSql:
    """Count statements for one database dialect ('sqlite' or 'postgresql')."""

    def __init__(self, dialect: str) -> None:
        self._placeholder = "%s" if dialect == "postgresql" else "?"

    def _sql(self, text: str) -> str:
        return text.replace("?", self._placeholder)

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per dialect, kept for the process
    def insert_counts(self, rows: int) -> str:
        """INSERT of rows counts that skips known windows and returns the new ones."""
        values = ",".join(["(?,?,?,?,?,?,?,?)"] * rows)
        return self._sql(
            "INSERT INTO counts (sensor_pk, kind, window_start, window_end, direction, value, quality,"
            f" received_at) VALUES {values}"
            " ON CONFLICT (sensor_pk, kind, window_start, window_end, direction) DO NOTHING"
            " RETURNING kind, window_start, window_end, direction, value"
        )

    @property
    def add_hourly(self) -> str:
        """Add new counts to an hour's sum."""
        return self._sql(
            "INSERT INTO count_hourly (sensor_pk, kind, direction, hour_start, total, windows)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT (sensor_pk, kind, direction, hour_start) DO UPDATE"
            " SET total = count_hourly.total + excluded.total,"
            " windows = count_hourly.windows + excluded.windows"
        )

    @property
    def advance_latest(self) -> str:
        """Keep the newest presence window per sensor."""
        return self._sql(
            "INSERT INTO sensor_latest (sensor_pk, window_start, window_end, value) VALUES (?,?,?,?)"
            " ON CONFLICT (sensor_pk) DO UPDATE SET window_start = excluded.window_start,"
            " window_end = excluded.window_end, value = excluded.value"
            " WHERE excluded.window_end > sensor_latest.window_end"
        )

    @property
    def bump_revision(self) -> str:
        """Mark the read models as changed."""
        return "UPDATE read_model_revision SET value = value + 1 WHERE id = 1"

    @property
    def revision(self) -> str:
        """Read the read-model revision."""
        return "SELECT value FROM read_model_revision WHERE id = 1"

    @property
    def sensor_by_token(self) -> str:
        """Find a sensor by its token hash."""
        return self._sql("SELECT pk, id, status FROM sensors WHERE token_hash = ?")


def insert_counts(cursor: Any, sql: CountSql, sensor_pk: int, batch: Sequence[Count], *, now: int) -> int:
    """Store the counts not yet known, their hourly sums and the newest presence; return how many were new."""
    new: list[Any] = []
    for offset in range(0, len(batch), ROWS_PER_STATEMENT):
        chunk = batch[offset : offset + ROWS_PER_STATEMENT]
        parameters: list[Any] = []
        for c in chunk:
            parameters += (
                sensor_pk,
                c.kind.value,
                c.start,
                c.end,
                c.direction.value if c.direction else "",
                c.value,
                int(c.quality),
                now,
            )
        cursor.execute(sql.insert_counts(len(chunk)), parameters)
        new += cursor.fetchall()
    if not new:
        return 0
    sums: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0])
    newest: tuple[int, int, int] | None = None
    for kind, start, end, direction, value in new:
        cell = sums[(kind, direction, start - start % HOUR)]
        cell[0] += value
        cell[1] += 1
        if kind == PRESENCE and (newest is None or (end, start) > (newest[1], newest[0])):
            newest = (start, end, value)
    cursor.executemany(
        sql.add_hourly, [(sensor_pk, k, d, h, total, n) for (k, d, h), (total, n) in sums.items()]
    )
    if newest is not None:
        cursor.execute(sql.advance_latest, (sensor_pk, *newest))
    return len(new)
