"""Appending transparency-log entries inside the unit of work that makes the change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from freiweg.storage.unit_of_work import UnitOfWork
from freiweg.transparency.entries import LogEntry


def record_change(uow: UnitOfWork, *, kind: str, subject: str, body: Mapping[str, Any], now: int) -> int:
    """Log a change in the same transaction as the change itself; return the entry's number."""
    return uow.log.append(LogEntry(kind=kind, subject=subject, appended_at=now, body=dict(body)))
