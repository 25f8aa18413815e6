"""Errors the domain raises, each naming what is wrong so a caller can say what to fix."""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    """Base class of every rule violation in the domain."""


@dataclass(frozen=True)
class FieldProblem:
    """One bad field of one item in a submitted collection."""

    index: int | None
    field: str
    message: str


@dataclass
class InvalidInput(DomainError):
    """A submission broke one or more rules; nothing of it may be stored."""

    problems: list[FieldProblem] = field(default_factory=list)
    title: str = "The submitted data is invalid."

    def __str__(self) -> str:
        shown = "; ".join(
            f"item {p.index}: {p.field}: {p.message}" if p.index is not None else f"{p.field}: {p.message}"
            for p in self.problems[:5]
        )
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        return f"{self.title} {shown}{more}"


class NotFound(DomainError):
    """A named thing (area, sensor) does not exist."""


class Conflict(DomainError):
    """A change clashes with what is stored (an id already taken, a revoked sensor)."""
