"""Accuracy of the edge estimator on simulated scenarios: MAPE against true devices, next to the naive count.

Run: .venv/bin/python -m bench.edge_accuracy [--minutes 60] [--seeds 2] [--sensors 3] [--spacing 50]

The second table puts several sensors along a street (the same people and phones, each sensor
hearing them by its distance) and reports each sensor's error against the phones it heard.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
from pathlib import Path

from freiweg.edge import simulator
from freiweg.edge.agent import count_windows
from freiweg.edge.capture import read_capture
from freiweg.edge.estimator import Tuning, WindowCount

SHARES = (0.3, 0.6, 0.9)
STREET_SCENARIOS = ("shopping-street", "busy-square")
STREET_SHARE = 0.6
START = 1_781_000_000 // 300 * 300


def mape(estimates: list[float], truths: list[float]) -> float:
    """Mean absolute percentage error over windows with a non-zero truth."""
    pairs = [(e, t) for e, t in zip(estimates, truths, strict=True) if t > 0]
    return 100 * statistics.fmean(abs(e - t) / t for e, t in pairs) if pairs else float("nan")


def run_one(
    scenario: simulator.Scenario, share: float, seed: int, minutes: int, tuning: Tuning
) -> list[tuple[WindowCount, dict[str, float]]]:
    """Windows of one simulated capture with their truth."""
    with tempfile.TemporaryDirectory() as folder:
        capture, truth_path = simulator.write(
            scenario, Path(folder), start=START, minutes=minutes, seed=seed, randomising_share=share
        )
        found: list[WindowCount] = []
        count_windows(read_capture(capture), window_minutes=5, tuning=tuning, emit=found.append)
        with truth_path.open(encoding="utf-8") as stream:
            truth = {int(r["start"]): {k: float(v) for k, v in r.items()} for r in csv.DictReader(stream)}
    return [(w, truth[w.window.start]) for w in found if w.window.start in truth]


def main() -> None:
    """Print a Markdown table of errors per scenario and share of randomising phones."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--scenarios", default=",".join(simulator.SCENARIOS))
    parser.add_argument("--sensors", type=int, default=3, help="sensors along the street (0: no table)")
    parser.add_argument("--spacing", type=float, default=simulator.SPACING)
    arguments = parser.parse_args()
    tuning = Tuning()
    print(
        "| scenario | randomising | windows | true devices (mean) | naive MAPE | estimate MAPE "
        "| global-only MAPE | people MAPE (calibrated) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name in arguments.scenarios.split(","):
        scenario = simulator.SCENARIOS[name]
        for share in SHARES:
            runs = [
                run_one(scenario, share, seed, arguments.minutes, tuning)
                for seed in range(1, arguments.seeds + 1)
            ]
            calibration, evaluation = runs[0], [pair for run in runs[1:] for pair in run] or runs[0]
            factor = sum(t["people"] for _, t in calibration) / max(1, sum(w.devices for w, _ in calibration))
            windows = [pair for run in runs for pair in run]
            truths = [t["devices_heard"] for _, t in windows]
            people = [t["people"] for _, t in evaluation]
            print(
                f"| {name} | {share:.0%} | {len(windows)} | {statistics.fmean(truths):.1f} "
                f"| {mape([w.addresses for w, _ in windows], truths):.1f} % "
                f"| {mape([w.devices for w, _ in windows], truths):.1f} % "
                f"| {mape([w.global_devices for w, _ in windows], truths):.1f} % "
                f"| {mape([w.devices * factor for w, _ in evaluation], people):.1f} % |"
            )
    if arguments.sensors > 0:
        street_table(arguments.sensors, arguments.spacing, arguments.minutes, arguments.seeds, tuning)


def run_street(
    scenario: simulator.Scenario, layout: simulator.Layout, seed: int, minutes: int, tuning: Tuning
) -> dict[str, list[tuple[WindowCount, dict[str, float]]]]:
    """Per sensor: the windows of its capture with its truth."""
    with tempfile.TemporaryDirectory() as folder:
        captures, truth_path = simulator.write_street(
            scenario,
            Path(folder),
            start=START,
            minutes=minutes,
            seed=seed,
            randomising_share=STREET_SHARE,
            layout=layout,
        )
        with truth_path.open(encoding="utf-8") as stream:
            rows = {int(r["start"]): r for r in csv.DictReader(stream)}
        found: dict[str, list[tuple[WindowCount, dict[str, float]]]] = {}
        for name, capture in zip(layout.names, captures, strict=True):
            windows: list[WindowCount] = []
            count_windows(read_capture(capture), window_minutes=5, tuning=tuning, emit=windows.append)
            found[name] = [
                (w, {c: float(rows[w.window.start][f"{name}_{c}"]) for c in simulator.TRUTH_COLUMNS})
                for w in windows
                if w.window.start in rows
            ]
    return found


def street_table(sensors: int, spacing: float, minutes: int, seeds: int, tuning: Tuning) -> None:
    """Print each sensor's error on a street with several sensors."""
    layout = simulator.Layout.street(sensors, spacing)
    print(
        f"\n{sensors} sensors {spacing:g} m apart, {STREET_SHARE:.0%} randomising phones\n\n"
        "| scenario | sensor | windows | people in its zone (mean) | true devices heard (mean) "
        "| naive MAPE | estimate MAPE |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in STREET_SCENARIOS:
        runs = [
            run_street(simulator.SCENARIOS[name], layout, seed, minutes, tuning)
            for seed in range(1, seeds + 1)
        ]
        for sensor in layout.names:
            windows = [pair for run in runs for pair in run[sensor]]
            truths = [t["devices_heard"] for _, t in windows]
            people = statistics.fmean(t["people"] for _, t in windows)
            print(
                f"| {name} | {sensor} | {len(windows)} | {people:.1f} | {statistics.fmean(truths):.1f} "
                f"| {mape([w.addresses for w, _ in windows], truths):.1f} % "
                f"| {mape([w.devices for w, _ in windows], truths):.1f} % |"
            )


if __name__ == "__main__":
    main()
