"""Accuracy on real captures: correlation of the agent's estimates with people present, per 5-minute window.

Uses the four labelled days of probe requests from a university lab (Brno University of Technology,
public repository tomas-fryza/probe-request-project, MIT licence); the files are not part of freiweg.

Run: .venv/bin/python -m bench.edge_brno [FOLDER]   (default: ../shared/data/probe-requests-brno)
"""

from __future__ import annotations

import argparse
import csv
import statistics
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from freiweg.edge.agent import count_windows
from freiweg.edge.capture import read_capture
from freiweg.edge.estimator import Tuning, WindowCount

# The publishers' list of the lab's all-in-one computers (pseudonymised addresses), used here only to
# check how many of them the estimator's fixed-installation rule finds; the agent never sees this list.
LISTED = ("dcfb4868bee4", "dcfb488c71fc", "dcfb482a52e0", "dcfb48f5c6c2", "dcfb48e3ab78")
DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "probe-requests-brno"
THRESHOLDS = (-90, -85, -80, -75, -70, -65)


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


if __name__ == "__main__":
    main()
