"""The clock services read; tests pass a fixed one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, timezone-aware in UTC."""
    return datetime.now(UTC)


def epoch(moment: datetime) -> int:
    """Whole epoch seconds of an aware datetime."""
    return int(moment.timestamp())
