"""Deleting what has expired: one-minute counts past their retention, ended staff sessions."""

from __future__ import annotations

from sqlalchemy import Connection, delete

from freiweg.storage.console_tables import staff_sessions
from freiweg.storage.tables import counts


def delete_counts_before(connection: Connection, cutoff: int) -> int:
    """Delete counts whose window ended before cutoff; hourly aggregates stay. Return how many."""
    return int(connection.execute(delete(counts).where(counts.c.window_end < cutoff)).rowcount)


def delete_sessions_before(connection: Connection, now: int) -> int:
    """Delete staff sessions that have expired. Return how many."""
    return int(connection.execute(delete(staff_sessions).where(staff_sessions.c.expires_at <= now)).rowcount)
