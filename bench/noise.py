"""How much CPU other programs take while a benchmark runs, and waiting until they are quiet.

The benchmark machine may be shared. Every measurement records the CPU time that processes
outside the benchmark used meanwhile, so a figure taken next to a busy neighbour can be recognised
(the /api/v1/health baseline shows the same from the inside).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Snapshot:
    """CPU ticks, parent and name of every process at one moment."""

    at: float
    ticks: dict[int, int] = field(default_factory=dict)
    core_busy: dict[int, int] = field(default_factory=dict)
    parent: dict[int, int] = field(default_factory=dict)
    name: dict[int, str] = field(default_factory=dict)


def snapshot() -> Snapshot:
    """Read /proc once."""
    taken = Snapshot(time.monotonic())
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("cpu") and line[3:4].isdigit():
            name, *values = line.split()
            user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in values[:8])
            taken.core_busy[int(name[3:])] = user + nice + system + irq + softirq + steal
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.find("(") + 1 : raw.rfind(")")]
        fields = raw[raw.rfind(")") + 2 :].split()
        pid = int(entry.name)
        taken.ticks[pid] = int(fields[11]) + int(fields[12])
        taken.parent[pid] = int(fields[1])
        taken.name[pid] = name
    return taken


def descendants(roots: set[int], taken: Snapshot) -> set[int]:
    """The roots and every process below them."""
    found = set(roots)
    changed = True
    while changed:
        changed = False
        for pid, parent in taken.parent.items():
            if parent in found and pid not in found:
                found.add(pid)
                changed = True
    return found


@dataclass
class Foreign:
    """CPU used by processes outside the benchmark between two snapshots."""

    seconds: float
    cpu_seconds: float
    top: list[tuple[str, float]]

    @property
    def cores(self) -> float:
        """Average number of cores the other processes kept busy."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "cpu_seconds": round(self.cpu_seconds, 2),
            "cores": round(self.cores, 3),
            "top": [[name, round(cpu, 2)] for name, cpu in self.top],
        }


def foreign(before: Snapshot, after: Snapshot, ours: set[int]) -> Foreign:
    """CPU that processes outside ours (and their children) used between before and after."""
    mine = descendants(ours, after) | descendants(ours, before)
    used: dict[str, float] = {}
    total = 0.0
    for pid, ticks in after.ticks.items():
        if pid in mine or pid == 2 or after.parent.get(pid) == 2:  # kernel threads are not neighbours
            continue
        delta = (ticks - before.ticks.get(pid, 0)) / TICK
        if delta <= 0:
            continue
        total += delta
        used[after.name[pid]] = used.get(after.name[pid], 0.0) + delta
    top = sorted(used.items(), key=lambda item: -item[1])[:5]
    return Foreign(after.at - before.at, total, top)


def used_by(before: Snapshot, after: Snapshot, roots: set[int]) -> float:
    """CPU seconds that the roots and their children used (a child that exited meanwhile is missed)."""
    members = descendants(roots, after)
    return sum(max(0, after.ticks[pid] - before.ticks.get(pid, 0)) for pid in members) / TICK


def core_busy(before: Snapshot, after: Snapshot, core: int) -> float:
    """CPU seconds the core was busy between before and after, whoever used it."""
    return max(0, after.core_busy.get(core, 0) - before.core_busy.get(core, 0)) / TICK


def wait_quiet(
    ours: set[int], *, below_cores: float = 0.1, window: float = 2.0, timeout: float = 60
) -> Foreign:
    """Wait until other processes use less than below_cores for a window; return the last window."""
    deadline = time.monotonic() + timeout
    while True:
        before = snapshot()
        time.sleep(window)
        seen = foreign(before, snapshot(), ours)
        if seen.cores < below_cores or time.monotonic() > deadline:
            return seen
