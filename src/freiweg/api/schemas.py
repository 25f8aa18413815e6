"""Response bodies and documented errors of the JSON API, apart from stored and domain types."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class IntakeAnswer(BaseModel):
    """What became of a batch."""

    sensor: str
    received: int
    new: int = Field(description="Counts stored now.")
    known: int = Field(description="Counts that were already stored (a repeated upload).")


class ProblemItem(BaseModel):
    """One bad field of one item."""

    index: int | None
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[ProblemItem] | None = None


def problem_responses(**described: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI response entries for problem+json errors, keyed by status code."""
    return {
        int(status.lstrip("_")): {
            "model": Problem,
            "content": {"application/problem+json": {}},
            "description": text,
        }
        for status, text in described.items()
    }
