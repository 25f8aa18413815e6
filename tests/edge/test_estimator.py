"""The device estimator on simulated traffic: close to the truth where the naive address count is far off."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from freiweg.edge.agent import count_windows
from freiweg.edge.capture import read_capture
from freiweg.edge.estimator import Tuning, WindowCount, WindowCounter
from freiweg.privacy.windows import Window
from tests.edge.support import SIGNAL_ONLY_FRAME, probe, simulated


def counted(capture: Path) -> list[WindowCount]:
    tuning = Tuning()
    found: list[WindowCount] = []
    count_windows(read_capture(capture), window_minutes=5, tuning=tuning, emit=found.append)
    return found


def truth(path: Path) -> dict[int, dict[str, float]]:
    with path.open(encoding="utf-8") as stream:
        return {int(row["start"]): {k: float(v) for k, v in row.items()} for row in csv.DictReader(stream)}


@pytest.mark.parametrize("share", [0.3, 0.9])
def test_the_device_estimate_is_within_fifteen_percent_on_average_while_the_naive_count_is_far_off(
    tmp_path: Path, share: float
) -> None:
    capture, truth_path = simulated(tmp_path, "busy-square", minutes=15, share=share)
    true = truth(truth_path)
    windows = counted(capture)
    assert len(windows) == 3
    devices = [true[w.window.start]["devices_heard"] for w in windows]
    estimate_error = sum(abs(w.devices - d) / d for w, d in zip(windows, devices, strict=True)) / 3
    naive_error = sum(abs(w.addresses - d) / d for w, d in zip(windows, devices, strict=True)) / 3
    assert estimate_error <= 0.15
    assert naive_error > 1.0
    assert all(w.devices == w.global_devices + w.randomised_devices for w in windows)


def test_windows_without_frames_are_counted_as_zero_and_the_edges_are_partial() -> None:
    frames = [(10.0, SIGNAL_ONLY_FRAME), (1000.0, SIGNAL_ONLY_FRAME)]
    found: list[WindowCount] = []
    count_windows(frames, window_minutes=5, tuning=Tuning(), emit=found.append)
    assert [(w.window.start, w.devices, w.partial) for w in found] == [
        (0, 1, True),
        (300, 0, False),
        (600, 0, False),
        (900, 1, True),
    ]


def test_probes_weaker_than_the_threshold_are_not_counted() -> None:
    counter = WindowCounter(Window(0, 300), Tuning(min_signal=-50))
    counter.observe(1.0, SIGNAL_ONLY_FRAME)
    count = counter.close()
    assert (count.probes, count.weak, count.devices) == (1, 1, 0)


def test_a_machine_probing_steadily_all_window_at_strong_signal_is_dropped_as_fixed_when_asked() -> None:
    machine = SIGNAL_ONLY + probe(b"\x3c\x28\x6d\x00\x00\x02")
    phone = SIGNAL_ONLY + probe(b"\x3c\x28\x6d\x00\x00\x03")
    for drop, expected in ((False, (2, 0)), (True, (1, 1))):
        counter = WindowCounter(Window(0, 300), Tuning(drop_fixed=drop))
        for moment in (10.0, 70.0, 130.0, 190.0, 250.0):
            counter.observe(moment, machine)
        for moment in (5.0, 40.0, 150.0, 170.0, 290.0):
            counter.observe(moment, phone)
        count = counter.close()
        assert (count.devices, count.fixed) == expected


def test_randomised_addresses_with_continuing_sequence_numbers_are_chained_into_one_device() -> None:
    counter = WindowCounter(Window(0, 300))
    for burst in range(5):
        address = bytes([0x02, burst, 0, 0, 0, 1])
        counter.observe(10.0 + 30 * burst, SIGNAL_ONLY + probe(address, sequence=100 + 25 * burst))
    unrelated = bytes([0x06, 9, 9, 9, 9, 9])
    counter.observe(20.0, SIGNAL_ONLY + probe(unrelated, sequence=3000))
    count = counter.close()
    assert (count.addresses, count.randomised_devices) == (6, 2)


def test_closing_a_window_destroys_its_key_and_every_pseudonym() -> None:
    counter = WindowCounter(Window(0, 300))
    counter.observe(1.0, SIGNAL_ONLY_FRAME)
    key = counter._key
    counter.close()
    assert key is not None and key.forgotten
    assert counter._key is None and not counter._tracks
    assert "pseudonym" not in str(counter.count.as_line())


SIGNAL_ONLY = SIGNAL_ONLY_FRAME[: len(SIGNAL_ONLY_FRAME) - len(probe())]
