"""What a sensor's software says about itself with each upload: version, code and config hashes, clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from freiweg.domain.counts import Count


@dataclass(frozen=True)
class AgentReport:
    """The uploading agent's self-description; the hashes let anyone compare it with logged releases."""

    version: str
    code_sha256: str
    config_sha256: str
    clock_synced: bool
    queue_dropped: int


@dataclass(frozen=True)
class Upload:
    """One upload: its counts and, from agents that send it, their report."""

    counts: Sequence[Count]
    agent: AgentReport | None = None
