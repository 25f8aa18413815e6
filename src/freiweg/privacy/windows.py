"""Counting windows: fixed-length, aligned to the epoch, 1 to 15 minutes long."""

from __future__ import annotations

from typing import NamedTuple

MIN_MINUTES = 1
MAX_MINUTES = 15


class Window(NamedTuple):
    """A half-open interval [start, end) in whole seconds since the epoch, UTC."""

    start: int
    end: int

    @property
    def seconds(self) -> int:
        """The window's length in seconds."""
        return self.end - self.start


def check_minutes(minutes: int) -> int:
    """Return the window length if it is allowed, else raise ValueError saying what is allowed."""
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValueError(f"window length must be {MIN_MINUTES} to {MAX_MINUTES} minutes, not {minutes}")
    return minutes


def window_of(time: float, minutes: int) -> Window:
    """The window that holds a moment."""
    length = minutes * 60
    start = int(time // length) * length
    return Window(start, start + length)
