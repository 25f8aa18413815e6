"""Fitting the devices-to-people factor from manual count sessions, robustly and with an interval."""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from freiweg.domain.errors import FieldProblem, InvalidInput

MIN_SESSIONS = 3
INTERVAL_LEVEL = 0.8
RESAMPLES = 2000


@dataclass(frozen=True, slots=True)
class SessionComparison:
    """What people counted by hand and what the sensor counted in the same period."""

    session_id: int
    people: float
    devices: float


@dataclass(frozen=True, slots=True)
class FactorFit:
    """people = devices x factor, with the bounds of its interval and the sessions behind it."""

    factor: float
    low: float
    high: float
    sessions_used: tuple[int, ...]
    sessions_without_devices: tuple[int, ...]

    @property
    def method(self) -> str:
        """How the factor was found, as stored with the calibration."""
        return (
            f"median of people/devices ratios over {len(self.sessions_used)} manual count sessions, "
            f"{int(INTERVAL_LEVEL * 100)} % bootstrap interval"
        )


def fit_factor(
    comparisons: Sequence[SessionComparison],
    *,
    min_sessions: int = MIN_SESSIONS,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> FactorFit:
    """Fit the factor as the median of people/devices ratios (Theil-Sen through the origin).

    The median ignores a minority of odd sessions (a tour group, a dead sensor); the interval is
    the central 80 % of medians of bootstrap resamples, drawn with a fixed seed so the same
    sessions always give the same calibration. Sessions in which the sensor counted nothing say
    nothing about the ratio and are left out but reported.
    """
    usable = [c for c in comparisons if c.devices > 0]
    without = tuple(c.session_id for c in comparisons if c.devices <= 0)
    if len(usable) < min_sessions:
        raise InvalidInput(
            [
                FieldProblem(
                    None,
                    "sessions",
                    f"{len(usable)} usable session(s) with sensor counts; at least {min_sessions} "
                    "are needed to fit a factor",
                )
            ],
            title="The sensor cannot be calibrated yet.",
        )
    ratios = [c.people / c.devices for c in usable]
    factor = statistics.median(ratios)
    generator = random.Random(seed)
    medians = sorted(statistics.median(generator.choices(ratios, k=len(ratios))) for _ in range(resamples))
    tail = (1 - INTERVAL_LEVEL) / 2
    low = medians[int(tail * (resamples - 1))]
    high = medians[int((1 - tail) * (resamples - 1))]
    low, high = min(low, factor), max(high, factor)
    if low <= 0:
        low = min(r for r in ratios if r > 0) if any(r > 0 for r in ratios) else factor
    if factor <= 0:
        raise InvalidInput(
            [FieldProblem(None, "sessions", "people were counted as zero in most sessions")],
            title="The sensor cannot be calibrated from these sessions.",
        )
    return FactorFit(
        factor=factor,
        low=min(low, factor),
        high=high,
        sessions_used=tuple(c.session_id for c in usable),
        sessions_without_devices=without,
    )
