"""Accuracy on real captures: correlation of the agent's estimates with people present, per 5-minute window.

Uses the four labelled days of probe requests from a university lab (Brno University of Technology,
public repository tomas-fryza/probe-request-project, MIT licence); the files are not part of freiweg.

Run: .venv/bin/python -m bench.edge_brno [FOLDER] [--explain]   (default: ../shared/data/probe-requests-brno)

`--explain` adds why a day is hard: how much the people count moves, how the estimates follow it
inside the occupied windows only, and two other ways to count (devices heard for at least half a
window; global addresses with their dwell extended by their probing interval) for comparison.
"""

from __future__ import annotations

import argparse
import csv
import statistics
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from freiweg.edge import agent
from freiweg.edge.agent import count_windows
from freiweg.edge.capture import read_capture
from freiweg.edge.estimator import Tuning, WindowCount, WindowCounter, chain

# The publishers' list of the lab's all-in-one computers (pseudonymised addresses), used here only to
# check how many of them the estimator's fixed-installation rule finds; the agent never sees this list.
LISTED = ("dcfb4868bee4", "dcfb488c71fc", "dcfb482a52e0", "dcfb48f5c6c2", "dcfb48e3ab78")
DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "probe-requests-brno"
THRESHOLDS = (-90, -85, -80, -75, -70, -65)
OCCUPIED = 6.5  # people: the windows of a day in which the room was in use


def pearson(xs: list[float], ys: list[float]) -> float:
    """Pearson's correlation coefficient."""
    return statistics.correlation(xs, ys) if len(set(xs)) > 1 and len(set(ys)) > 1 else float("nan")


def occupancy(path: Path) -> dict[int, float]:
    """People present per minute (epoch seconds of the minute -> people)."""
    with path.open(encoding="utf-8") as stream:
        return {
            int(datetime.fromisoformat(row["minute_utc"].replace("Z", "+00:00")).timestamp()): float(
                row["occupancy"]
            )
            for row in csv.DictReader(stream)
        }


def day(capture: Path, tuning: Tuning) -> tuple[list[float], list[WindowCount]]:
    """Mean people per labelled window and the agent's counts of the same windows."""
    people = occupancy(capture.with_name(capture.name.replace("position-1.pcap", "occupancy.csv")))
    found: list[WindowCount] = []
    count_windows(read_capture(capture), window_minutes=5, tuning=tuning, emit=found.append)
    labelled = []
    for window in found:
        minutes = [people[m] for m in range(window.window.start, window.window.end, 60) if m in people]
        if minutes:
            labelled.append((statistics.fmean(minutes), window))
    return [p for p, _ in labelled], [w for _, w in labelled]


def correlations(capture: Path, tuning: Tuning) -> dict[str, float]:
    """Correlation of each estimate with people present."""
    people, windows = day(capture, tuning)
    return {
        "naive addresses": pearson(people, [w.addresses for w in windows]),
        "global addresses": pearson(people, [w.global_addresses for w in windows]),
        "devices": pearson(people, [w.devices for w in windows]),
        "present": pearson(people, [w.present for w in windows]),
        "windows": len(windows),
    }


def listed_all_window(capture: Path, windows: list[WindowCount], margin: float) -> float:
    """Mean number of listed computers heard from the start to the end of a window, give or take margin."""
    listed = {bytes.fromhex(a) for a in LISTED}
    heard: dict[tuple[int, bytes], list[float]] = {}
    for moment, frame in read_capture(capture):
        start = frame[2] | frame[3] << 8
        address = bytes(frame[start + 10 : start + 16])
        if address in listed:
            heard.setdefault((int(moment) // 300 * 300, address), []).append(moment)
    return statistics.fmean(
        sum(
            1
            for (start, _), times in heard.items()
            if start == w.window.start and times[0] - start <= margin and w.window.end - times[-1] <= margin
        )
        for w in windows
    )


def main() -> None:
    """Print a Markdown table per day: default tuning, and a signal threshold chosen on the first day only."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--explain", action="store_true", help="add the occupancy and alternatives tables")
    arguments = parser.parse_args()
    captures = sorted(arguments.folder.glob("*_position-1.pcap"))
    if not captures:
        raise SystemExit(f"no *_position-1.pcap in {arguments.folder}")
    base = Tuning(min_signal=-100)
    tuning_day = captures[0]
    best = max(THRESHOLDS, key=lambda t: correlations(tuning_day, replace(base, min_signal=t))["present"])
    print(f"signal threshold chosen on {tuning_day.name.split('_')[1]} only: {best} dBm\n")
    print(
        "| day | windows | tuning | naive addresses | global addresses "
        "| devices (distinct) | present (dwell) |"
    )
    print("|---|---|---|---|---|---|---|")
    for capture in captures:
        date = capture.name.split("_")[1]
        for label, tuning in (
            ("all signals", base),
            ("all signals, drop fixed", replace(base, drop_fixed=True)),
            (f"{best} dBm", replace(base, min_signal=best)),
            (f"{best} dBm, drop fixed", replace(base, min_signal=best, drop_fixed=True)),
        ):
            r = correlations(capture, tuning)
            print(
                f"| {date}{' (tuning day)' if capture == tuning_day else ''} | {r['windows']:.0f} | {label} "
                f"| {r['naive addresses']:.2f} | {r['global addresses']:.2f} "
                f"| {r['devices']:.2f} | {r['present']:.2f} |"
            )
    fixed_report(captures, replace(base, drop_fixed=True))
    if arguments.explain:
        explain(captures, replace(base, min_signal=best))


def fixed_report(captures: list[Path], tuning: Tuning) -> None:
    """How many devices the fixed-installation rule drops, next to the listed computers heard all window."""
    print("\n| day | dropped as fixed per window | listed computers heard all window |")
    print("|---|---|---|")
    margin = 300 * (1 - tuning.fixed_share)
    for capture in captures:
        _, windows = day(capture, tuning)
        print(
            f"| {capture.name.split('_')[1]} | {statistics.fmean(w.fixed for w in windows):.2f} "
            f"| {listed_all_window(capture, windows, margin):.2f} |"
        )


class Inspecting(WindowCounter):
    """A window counter that also keeps, for this benchmark only, each device's span and dwell."""

    spans: dict[int, list[tuple[bool, float, float, float]]] = {}

    def close(self) -> WindowCount:
        """Note (global?, span, dwell, mean gap between bursts) per device, then close as the agent does."""
        tracks = list(self._tracks.values())
        devices: list[tuple[bool, float, float, float]] = []
        groups: dict[bytes, list] = {}
        for track in tracks:
            if track.randomised:
                groups.setdefault(track.fingerprint, []).append(track)
            else:
                gap = track.gap_sum / (track.bursts - 1) if track.bursts > 1 else 0.0
                devices.append((True, track.last - track.first, track.last - track.first, gap))
        for group in groups.values():
            for device in chain(group, self.tuning):
                devices.append((False, device.last - device.first, device.dwell, 0.0))
        Inspecting.spans[self.window.start] = devices
        return super().close()


def brief(spans: list[list[tuple[bool, float, float, float]]], part: list[int]) -> float:
    """Share of the randomised devices in some windows heard for less than 30 seconds (passers-by)."""
    randomised = [span for i in part for is_global, span, _, _ in spans[i] if not is_global]
    return sum(1 for span in randomised if span < 30) / max(1, len(randomised))


def means(people: list[float], windows: list[WindowCount], part: list[int]) -> str:
    """Mean people, "present" estimate and randomised devices over some windows."""
    return (
        f"{statistics.fmean(people[i] for i in part):.1f}, "
        f"{statistics.fmean(windows[i].present for i in part):.2f}, "
        f"{statistics.fmean(windows[i].randomised_devices for i in part):.1f}"
    )


def explain(captures: list[Path], tuning: Tuning) -> None:
    """Print how much people vary per day, correlations inside occupied windows, and two alternatives."""
    print(f"\nAt {tuning.min_signal} dBm; occupied: at least {OCCUPIED} people on average in the window.\n")
    print(
        "| day | windows | people sd | occupied windows | r(people, occupied or not) "
        "| present, occupied only | devices, occupied only "
        "| first / second half of occupied: people, present, randomised devices "
        "| randomised devices heard < 30 s, share (first / second half) "
        "| present | heard ≥ half the window | global dwell + interval |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    original = agent.WindowCounter
    agent.WindowCounter = Inspecting
    try:
        for capture in captures:
            Inspecting.spans = {}
            people, windows = day(capture, tuning)
            spans = [Inspecting.spans[w.window.start] for w in windows]
            occupied = [i for i, p in enumerate(people) if p >= OCCUPIED]
            half = len(occupied) // 2

            length = 300.0
            stayers = [sum(1 for _, _, dwell, _ in devices if dwell >= length / 2) for devices in spans]
            extended = [
                sum(min(1.0, (span + gap) / length) for is_global, span, _, gap in devices if is_global)
                for devices in spans
            ]
            print(
                f"| {capture.name.split('_')[1]} | {len(people)} | {statistics.pstdev(people):.2f} "
                f"| {len(occupied)} "
                f"| {pearson(people, [1.0 if p >= OCCUPIED else 0.0 for p in people]):.2f} "
                f"| {pearson([people[i] for i in occupied], [windows[i].present for i in occupied]):.2f} "
                f"| {pearson([people[i] for i in occupied], [windows[i].devices for i in occupied]):.2f} "
                f"| {means(people, windows, occupied[:half])} / {means(people, windows, occupied[half:])} "
                f"| {brief(spans, occupied[:half]):.2f} / {brief(spans, occupied[half:]):.2f} "
                f"| {pearson(people, [w.present for w in windows]):.2f} "
                f"| {pearson(people, [float(n) for n in stayers]):.2f} "
                f"| {pearson(people, extended):.2f} |"
            )
    finally:
        agent.WindowCounter = original


if __name__ == "__main__":
    main()
