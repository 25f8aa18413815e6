"""Sampling the server with py-spy while wrk loads it, and summarising where the time goes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.wrk import LOAD_CORE


def py_spy() -> str | None:
    """The py-spy executable next to this Python, or on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


def start(pid: int, duration: int, output: Path) -> subprocess.Popen[bytes] | None:
    """Start sampling pid for duration seconds on the load-generator core; None without py-spy.

    py-spy pauses the server for each sample (so that idle threads are recognised), which slows
    it down: figures measured with --profile are not the benchmark figures.
    """
    executable = py_spy()
    if executable is None:
        print("  (py-spy not installed: `.venv/bin/pip install py-spy` to profile)")
        return None
    return subprocess.Popen(
        [
            "taskset",
            "-c",
            LOAD_CORE,
            executable,
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(duration),
            "--rate",
            "250",
            "--function",
            "--threads",
            "--format",
            "raw",
            "--output",
            str(output),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def summarise(collapsed: Path, top: int = 25) -> str:
    """Inclusive and self shares of the busiest frames in py-spy's collapsed-stack output."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";")]
        # Idle waiting (the event loop in epoll, pool threads waiting for work) is not work.
        if frames and _is_idle(frames[-1]):
            continue
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    if total == 0:
        return "no busy samples\n"
    lines = [
        f"{total} busy samples (a thread waiting for the GIL counts as busy: read shares as wall time)\n",
        "freiweg frames: inclusive %  self %",
    ]
    ours = [(frame, count) for frame, count in inclusive.most_common() if "freiweg/" in frame]
    for frame, count in ours[:top]:
        lines.append(f"{100 * count / total:10.1f}  {100 * own[frame] / total:6.1f}  {frame}")
    lines.append("\ntop self time")
    for frame, count in own.most_common(top):
        lines.append(f"{100 * count / total:10.1f}  {frame}")
    return "\n".join(lines) + "\n"


def _short(frame: str) -> str:
    if frame.startswith("thread ("):
        return "thread: " + frame.split("): ", 1)[-1]
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in frame:
            head, _, tail = frame.partition(" (")
            return f"{head} ({tail.split(marker, 1)[1]}" if marker in tail else frame
    return frame


# Leaf frames of threads that wait rather than work: py-spy counts a thread blocked on a lock
# (the SQLite write gate, a pool's queue, the single-flight lock) as active.
WAITING = (
    "select (selectors",
    "wait (threading",
    "_worker (concurrent",
    "poll (",
    "WriteGate.__enter__",
    "acquire (",
    "_wait_for_tstate_lock",
    "Queue.get",
    "Condition.wait",
)


def _is_idle(frame: str) -> bool:
    return any(word in frame for word in WAITING)
