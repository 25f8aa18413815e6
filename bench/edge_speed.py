"""Speed of the edge hot path (parse + anonymise + count) on one core, next to a dpkt-based reading.

Run: .venv/bin/python -m bench.edge_speed [--minutes 20] [--repeats 5]
Both readers get the same frames from memory; runs alternate so machine load hits both alike.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dpkt

from freiweg.edge import simulator
from freiweg.edge.agent import count_windows
from freiweg.edge.capture import read_capture
from freiweg.edge.estimator import Tuning
from freiweg.privacy.keyed import WindowKey

START = 1_781_000_000 // 300 * 300


def ours(frames: list[tuple[float, bytes]]) -> float:
    """Seconds for the agent's own window counting over the frames."""
    began = time.perf_counter()
    count_windows(frames, window_minutes=5, tuning=Tuning(), emit=lambda _w: None)
    return time.perf_counter() - began


def with_dpkt(frames: list[tuple[float, bytes]]) -> float:
    """Seconds for the same work with dpkt parsing: address, sequence, signal, elements, keyed hash, set."""
    began = time.perf_counter()
    key = WindowKey()
    seen: dict[bytes, int] = {}
    for _, buffer in frames:
        try:
            tap = dpkt.radiotap.Radiotap(buffer)
        except dpkt.UnpackError:
            continue
        frame = tap.data
        if frame.type != dpkt.ieee80211.MGMT_TYPE or frame.subtype != dpkt.ieee80211.M_PROBE_REQ:
            continue
        signal = next((f.db for f in tap.fields if isinstance(f, dpkt.radiotap.Radiotap.AntennaSignal)), 0)
        elements = b"".join(bytes(ie) for ie in frame.ies if ie.id not in (0, 3))
        pseudonym = key.pseudonym(bytes(frame.mgmt.src))
        if pseudonym not in seen:
            key.pseudonym(elements)
        seen[pseudonym] = frame.mgmt.sequence_number + signal
    return time.perf_counter() - began


def streaming_peak(scenario: str, minutes: int) -> tuple[int, float]:
    """Frames and peak RSS (MB, VmHWM) of `freiweg edge count` streaming a capture from disk."""
    with tempfile.TemporaryDirectory() as folder:
        capture, _ = simulator.write(
            simulator.SCENARIOS[scenario], Path(folder), start=START, minutes=minutes
        )
        frames = sum(1 for _ in read_capture(capture))
        script = (
            "import sys\n"
            "from freiweg.cli import main\n"
            "sys.argv = ['freiweg', 'edge', 'count', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "peak = [line for line in open('/proc/self/status') if line.startswith('VmHWM')][0]\n"
            "print(peak.split()[1], file=sys.stderr)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, str(capture)], capture_output=True, check=True, text=True
        )
        return frames, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    """Print frames per second for both readers, their ratio, and the peak RSS of the whole run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scenario", default="festival")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        capture, _ = simulator.write(
            simulator.SCENARIOS[arguments.scenario], Path(folder), start=START, minutes=arguments.minutes
        )
        frames = list(read_capture(capture))
        size = capture.stat().st_size
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    own, other = [], []
    for _ in range(arguments.repeats):
        own.append(len(frames) / ours(frames))
        other.append(len(frames) / with_dpkt(frames))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{arguments.scenario}, {arguments.minutes} min: {len(frames):,} frames, {size / 1e6:.1f} MB pcap")
    for name, rates in (("freiweg parser", own), ("dpkt", other)):
        print(
            f"{name:15} median {statistics.median(rates):>10,.0f} frames/s "
            f"(min {min(rates):,.0f}, max {max(rates):,.0f}, {len(rates)} runs)"
        )
    print(f"ratio (medians): {statistics.median(own) / statistics.median(other):.1f}x")
    print(f"peak RSS of this run: {peak / 1024:.0f} MB (with all frames in memory: {before / 1024:.0f} MB)")
    for minutes in (30, 120):
        frames, megabytes = streaming_peak(arguments.scenario, minutes)
        print(
            f"`freiweg edge count` streaming {minutes} min of {arguments.scenario}: {frames:,} frames, "
            f"peak RSS {megabytes:.0f} MB"
        )


if __name__ == "__main__":
    main()
