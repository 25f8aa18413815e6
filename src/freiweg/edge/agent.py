"""The agent loop: frames in, one count per window out to the queue and the uploader; nothing else kept."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from freiweg.edge import __version__
from freiweg.edge.capture import Frame
from freiweg.edge.config import EdgeConfig
from freiweg.edge.estimator import Tuning, WindowCount, WindowCounter
from freiweg.edge.queue import CountQueue
from freiweg.edge.uploader import Uploader
from freiweg.privacy.windows import window_of

Emit = Callable[[WindowCount], None]


def count_windows(
    frames: Iterable[Frame],
    *,
    window_minutes: int,
    tuning: Tuning,
    emit: Emit,
    clock: Callable[[float], float] | None = None,
    tick: Callable[[], None] | None = None,
) -> int:
    """Count frames window by window (by frame time, or by `clock` for live capture); returns windows closed.

    Windows without a single frame are counted too (as zero). The first and the last window are
    flagged partial when the frames do not cover them from their start or to their end.
    """
    counter: WindowCounter | None = None
    first = True
    closed = 0
    for moment, frame in frames:
        now = clock(moment) if clock else moment
        if counter is None:
            counter = WindowCounter(window_of(now, window_minutes), tuning)
            counter.count.partial = now > counter.window.start
        while now >= counter.window.end:
            emit(counter.close())
            closed += 1
            counter = WindowCounter(window_of(counter.window.end, window_minutes), tuning)
            first = False
        if frame:
            counter.observe(moment, frame)
        if tick is not None:
            tick()
    if counter is not None:
        counter.count.partial = True
        if first or counter.count.frames:
            emit(counter.close())
            closed += 1
    return closed


class Agent:
    """Counts into the durable queue and uploads from it."""

    def __init__(
        self,
        config: EdgeConfig,
        *,
        queue: CountQueue,
        uploader: Uploader | None,
        report_line: Callable[[dict[str, Any]], None],
        clock_synced: Callable[[], bool],
    ) -> None:
        self.config = config
        self.queue = queue
        self.uploader = uploader
        self.report_line = report_line
        self.clock_synced = clock_synced

    def store(self, count: WindowCount) -> None:
        """Queue a closed window's count (durably) and report its line."""
        if not self.clock_synced():
            count.quality.append("clock_uncertain")
        if count.partial:
            count.quality.append("partial_window")
        value = count.devices if self.config.upload == "devices" else round(count.present)
        self.queue.put(count.window.start, count.window.end, value, count.quality)
        self.report_line(count.as_line())

    def tick(self) -> None:
        """Give the uploader a chance to run."""
        if self.uploader is not None:
            self.uploader.step(time.monotonic())

    def run(self, frames: Iterable[Frame], *, live: bool) -> int:
        """Count all frames; live capture windows follow the wall clock, replays the frames' times."""
        return count_windows(
            frames,
            window_minutes=self.config.window_minutes,
            tuning=self.config.tuning,
            emit=self.store,
            clock=(lambda _moment: time.time()) if live else None,
            tick=self.tick,
        )

    def flush(self, *, attempts: int = 1) -> None:
        """Try to upload what is left, e.g. after a replay."""
        if self.uploader is None:
            return
        for _ in range(attempts):
            self.uploader.next_attempt = 0.0
            self.uploader.step(time.monotonic())
            if not self.queue.size():
                return


def agent_report(
    config: EdgeConfig, queue: CountQueue, code: str, clock_synced: Callable[[], bool]
) -> dict[str, Any]:
    """What the agent says about itself with each upload."""
    return {
        "version": __version__,
        "code_sha256": code,
        "config_sha256": config.sha256(),
        "clock_synced": clock_synced(),
        "queue_dropped": queue.dropped,
    }


def hop_channels(interface: str, channels: tuple[int, ...], seconds: float, stop: threading.Event) -> None:
    """Tune the interface to each channel in turn (needs `iw`); with one channel or no hopping, tune once."""
    index = 0
    while not stop.is_set():
        channel = channels[index % len(channels)]
        try:
            subprocess.run(["iw", "dev", interface, "set", "channel", str(channel)], check=False)
        except FileNotFoundError:
            print("`iw` is not installed; the channel stays as it is (apt install iw)", file=sys.stderr)
            return
        if seconds <= 0 or len(channels) == 1:
            return
        index += 1
        stop.wait(seconds)
