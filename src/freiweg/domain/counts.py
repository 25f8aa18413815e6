"""Counts: how many devices or people a sensor saw in one time window, and the rules they obey."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import IntFlag, StrEnum
from typing import NamedTuple

from freiweg.domain.errors import FieldProblem, InvalidInput

MAX_WINDOW = timedelta(hours=1)
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_VALUE = 1_000_000


class CountKind(StrEnum):
    """Presence: distinct devices or people in the window; passage: how many passed a line."""

    PRESENCE = "presence"
    PASSAGE = "passage"


class Direction(StrEnum):
    """Direction of a passage across a counting line."""

    IN = "in"
    OUT = "out"


class Quality(IntFlag):
    """Flags a source attaches to a count; zero means nothing unusual."""

    NONE = 0
    ESTIMATED = 1
    CLOCK_UNCERTAIN = 2
    PARTIAL_WINDOW = 4
    DECODER_DISAGREEMENT = 8
    QUEUE_DROPS = 16


class Count(NamedTuple):
    """One window's count from one sensor; times are whole seconds since the epoch, UTC.

    A named tuple rather than a frozen dataclass: batches hold up to 10,000 of them, and a
    tuple is created three times faster while being just as immutable.
    """

    start: int
    end: int
    kind: CountKind
    value: int
    direction: Direction | None = None
    quality: Quality = Quality.NONE

    @property
    def key(self) -> tuple[int, int, str, str]:
        """The identity under which a repeated upload is recognised as the same count."""
        return (
            self.start,
            self.end,
            self.kind.value,
            self.direction.value if self.direction else "",
        )


def epoch_seconds(moment: datetime) -> int:
    """Whole seconds since the epoch of an aware datetime (fractions are dropped)."""
    return int(moment.timestamp() // 1)


def check_counts(counts: Sequence[Count], *, now: datetime) -> None:
    """Raise InvalidInput naming every item and field that breaks a counting rule."""
    problems: list[FieldProblem] = []
    latest_start = epoch_seconds(now + FUTURE_TOLERANCE)
    longest = int(MAX_WINDOW.total_seconds())
    seen: dict[tuple[int, int, str, str], int] = {}
    for index, count in enumerate(counts):
        if count.value < 0:
            problems.append(FieldProblem(index, "value", "must not be negative"))
        elif count.value > MAX_VALUE:
            problems.append(FieldProblem(index, "value", f"must be at most {MAX_VALUE}"))
        if count.end <= count.start:
            problems.append(FieldProblem(index, "end", "must be after start"))
        elif count.end - count.start > longest:
            problems.append(FieldProblem(index, "end", "window must not be longer than one hour"))
        if count.start > latest_start:
            problems.append(FieldProblem(index, "start", "must not be more than five minutes in the future"))
        if count.direction is not None and count.kind is not CountKind.PASSAGE:
            problems.append(FieldProblem(index, "direction", "is only allowed on passage counts"))
        first = seen.setdefault(count.key, index)
        if first != index and count.value != counts[first].value:
            problems.append(FieldProblem(index, "value", f"contradicts item {first} for the same window"))
    if problems:
        raise InvalidInput(problems, title="The batch was rejected; no count of it was stored.")
