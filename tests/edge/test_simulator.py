"""The simulator with sensors along a street: each call is heard by every sensor as its distance allows."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from pathlib import Path

from typer.testing import CliRunner

from freiweg.cli import app
from freiweg.edge import simulator
from freiweg.edge.agent import count_windows
from freiweg.edge.capture import read_capture
from freiweg.edge.estimator import Tuning, WindowCount
from freiweg.edge.frames import header
from tests.edge.support import START, dpkt_probes, simulated

runner = CliRunner()


def street(tmp_path: Path, sensors: int, spacing: float, minutes: int = 10) -> tuple[list[Path], Path]:
    """A simulated shopping street with sensors along it."""
    return simulator.write_street(
        simulator.SCENARIOS["shopping-street"],
        tmp_path,
        start=START,
        minutes=minutes,
        seed=4,
        layout=simulator.Layout.street(sensors, spacing),
    )


def truth_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_the_same_phone_is_heard_by_two_sensors_at_the_strength_its_distance_gives() -> None:
    layout = simulator.Layout.street(2, 80.0)
    assert layout.positions == (-40.0, 40.0)
    phone = simulator.Phone(
        "global", 0, 0.0, 600.0, 5.0, False, 30.0, b"\x3c\x28\x6d\x01\x02\x03", 100, along=-40.0
    )
    rng = random.Random(1)
    heard = list(simulator.heard_frames(phone, 0.0, 600.0, rng, layout, random.Random(2)))
    calls: dict[tuple[float, bytes], dict[int, int]] = defaultdict(dict)
    for sensor, moment, frame in heard:
        signal = frame[12] - 256
        without_signal = frame[:12] + frame[13:]
        calls[moment, without_signal][sensor] = signal
    both = [signals for signals in calls.values() if len(signals) == 2]
    assert len(both) >= 10
    # 5 m from the first sensor, 80 m from the second: about 26 dB apart on average.
    difference = sum(s[0] - s[1] for s in both) / len(both)
    assert 18 <= difference <= 34
    assert all(-70 <= s[0] <= -40 for s in both)


def test_each_sensor_writes_its_own_capture_of_the_same_transmissions(tmp_path: Path) -> None:
    captures, _ = street(tmp_path, sensors=2, spacing=60.0)
    assert [c.name for c in captures] == ["shopping-street-s1.pcap", "shopping-street-s2.pcap"]
    first, second = (
        {(address, sequence): signal for address, sequence, signal in dpkt_probes(c)} for c in captures
    )
    shared = first.keys() & second.keys()
    assert len(shared) > 0.5 * min(len(first), len(second))
    assert sum(first[k] != second[k] for k in shared) > 0.8 * len(shared)
    times = [{moment for moment, _ in read_capture(c)} for c in captures]
    assert len(times[0] & times[1]) > 0.5 * min(map(len, times))


def test_each_sensors_truth_agrees_with_the_frames_it_heard(tmp_path: Path) -> None:
    captures, truth_path = street(tmp_path, sensors=3, spacing=100.0)
    rows = truth_rows(truth_path)
    assert len(rows) == 2
    assert list(rows[0])[:7] == [
        "start",
        "end",
        "s1_people",
        "s1_people_mean",
        "s1_phones",
        "s1_devices_heard",
        "s1_randomising_heard",
    ]
    for name, capture in zip(("s1", "s2", "s3"), captures, strict=True):
        per_window: dict[int, set[bytes]] = defaultdict(set)
        randomised: dict[int, set[bytes]] = defaultdict(set)
        for moment, frame in read_capture(capture):
            found = header(frame)
            assert found is not None
            address, _, signal, _, _ = found
            if signal >= simulator.HEARING_LIMIT:
                window = int(moment) // 300 * 300
                (randomised if address[0] & 0x02 else per_window)[window].add(address)
        for row in rows:
            window = int(row["start"])
            heard = int(row[f"{name}_devices_heard"])
            randomising = int(row[f"{name}_randomising_heard"])
            # Global phones keep one address: the truth's non-randomising phones are its addresses.
            assert heard - randomising == len(per_window[window])
            assert 0 < randomising <= len(randomised[window])
            assert int(row[f"{name}_phones"]) <= int(row[f"{name}_people"])
            assert float(row[f"{name}_people_mean"]) <= int(row[f"{name}_people"])


def test_a_passer_walks_through_the_sensors_zones_one_after_the_other() -> None:
    layout = simulator.Layout.street(3, 100.0)
    for direction in (1.0, -1.0):
        passer = simulator.Phone("none", 0, 0.0, 340.0, 4.0, True, 0.0, b"", 0, direction=direction)
        zones = [passer.in_zone(position, layout) for position in layout.positions]
        assert all(zone is not None for zone in zones)
        spans = [zone for zone in zones if zone is not None]
        order = spans if direction > 0 else spans[::-1]
        assert [s[0] for s in order] == sorted(s[0] for s in spans)
        # The street is 320 m long, walked in 340 s: each zone (120 m) takes 127.5 s.
        assert all(abs((last - first) - 127.5) < 1e-6 for first, last in spans)
        for (first, last), position in zip(spans, layout.positions, strict=True):
            assert abs(abs(passer.along_at((first + last) / 2, layout) - position)) < 1e-6
    stayer = simulator.Phone("none", 0, 0.0, 600.0, 10.0, False, 0.0, b"", 0, along=-100.0)
    assert [stayer.in_zone(p, layout) for p in layout.positions] == [(0.0, 600.0), None, None]


def test_one_sensor_output_keeps_its_names_and_columns(tmp_path: Path) -> None:
    capture, truth_path = simulated(tmp_path / "one", minutes=10)
    captures, street_truth = street(tmp_path / "street", sensors=1, spacing=50.0)
    assert (capture.name, truth_path.name) == ("shopping-street.pcap", "shopping-street-truth.csv")
    assert [c.name for c in captures] == ["shopping-street.pcap"]
    assert list(truth_rows(truth_path)[0]) == [
        "start",
        "end",
        "people",
        "people_mean",
        "phones",
        "devices_heard",
        "randomising_heard",
    ]
    again, again_truth = simulator.write(
        simulator.SCENARIOS["shopping-street"], tmp_path / "again", start=START, minutes=10, seed=4
    )
    assert again.read_bytes() == captures[0].read_bytes()
    assert again_truth.read_bytes() == street_truth.read_bytes()


def test_simulate_with_sensors_writes_a_capture_per_sensor(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["edge", "simulate", "--scenario", "quiet-lane", "--minutes", "10", "--out", str(tmp_path)]
        + ["--sensors", "3", "--spacing", "40", "--seed", "2"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "quiet-lane-s1.pcap",
        "quiet-lane-s2.pcap",
        "quiet-lane-s3.pcap",
        "quiet-lane-truth.csv",
    ]
    header = (tmp_path / "quiet-lane-truth.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert len(header) == 2 + 3 * len(simulator.TRUTH_COLUMNS)
    assert "s3_devices_heard" in header
    refused = runner.invoke(app, ["edge", "simulate", "--sensors", "0", "--out", str(tmp_path)])
    assert refused.exit_code != 0


def test_the_estimate_of_each_sensor_on_a_street_stays_close_to_what_it_heard(tmp_path: Path) -> None:
    captures, truth_path = street(tmp_path, sensors=2, spacing=60.0, minutes=10)
    rows = {int(row["start"]): row for row in truth_rows(truth_path)}
    for name, capture in zip(("s1", "s2"), captures, strict=True):
        found: list[WindowCount] = []
        count_windows(read_capture(capture), window_minutes=5, tuning=Tuning(), emit=found.append)
        errors = [
            abs(w.devices - int(rows[w.window.start][f"{name}_devices_heard"]))
            / int(rows[w.window.start][f"{name}_devices_heard"])
            for w in found
        ]
        naive = [
            abs(w.addresses - int(rows[w.window.start][f"{name}_devices_heard"]))
            / int(rows[w.window.start][f"{name}_devices_heard"])
            for w in found
        ]
        assert len(errors) == 2
        assert sum(errors) / 2 <= 0.15
        assert sum(naive) / 2 > 0.5
