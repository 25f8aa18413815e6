"""The probe-request parser: it agrees with dpkt, and broken frames are skipped and counted, never fatal."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freiweg.edge.capture import read_capture
from freiweg.edge.estimator import WindowCounter
from freiweg.edge.frames import Malformed, probe_request, radiotap
from freiweg.privacy.windows import Window
from tests.edge.support import dpkt_probes, probe, simulated
from tests.edge.support import radiotap as tap

SIGNAL_ONLY = tap(1 << 5, b"\xc4")  # -60 dBm


def test_the_parser_reads_the_same_addresses_sequence_numbers_and_signals_as_dpkt(tmp_path: Path) -> None:
    capture, _ = simulated(tmp_path, "busy-square", minutes=5)
    ours = []
    for _, frame in read_capture(capture):
        found = probe_request(frame)
        assert found is not None
        ours.append((found.address, found.sequence, found.signal))
    assert len(ours) > 1000
    assert ours == dpkt_probes(capture)


def test_radiotap_fields_are_found_behind_alignment_padding_and_extended_present_words() -> None:
    tsft_flags_rate_channel_signal = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 31)
    fields = b"\x00" * 4 + b"\x00" * 8 + b"\x00" + b"\x02" + struct.pack("<HH", 2412, 0xA0) + b"\xb5"
    header = struct.pack("<BBHII", 0, 0, 12 + len(fields), tsft_flags_rate_channel_signal, 0) + fields
    length, signal, frequency, flags = radiotap(header + probe())
    assert (length, signal, frequency, flags) == (len(header), -75, 2412, 0)


def test_a_frame_check_sequence_is_stripped_and_a_failed_one_rejects_the_frame() -> None:
    with_fcs = tap((1 << 1) | (1 << 5), b"\x10\xc4") + probe(elements=b"\x01\x01\x82") + b"\xde\xad\xbe\xef"
    found = probe_request(with_fcs)
    assert found is not None and found.elements == b"\x01\x01\x82"
    with pytest.raises(Malformed):
        probe_request(tap((1 << 1) | (1 << 5), b"\x50\xc4") + probe() + b"\x00" * 4)


def test_ssid_and_channel_are_left_out_of_the_elements_used_for_fingerprints() -> None:
    elements = b"\x00\x04home" + b"\x01\x02\x82\x84" + b"\x03\x01\x06" + b"\xdd\x02\x00\x50"
    found = probe_request(SIGNAL_ONLY + probe(elements=elements))
    assert found is not None and found.elements == b"\x01\x02\x82\x84\xdd\x02\x00\x50"


def test_frames_other_than_probe_requests_are_ignored() -> None:
    beacon = b"\x80" + probe()[1:]
    assert probe_request(SIGNAL_ONLY + beacon) is None
    assert probe_request(SIGNAL_ONLY + b"\xd4\x00\x00\x00" + b"\x11" * 6) is None


@pytest.mark.parametrize(
    "frame",
    [
        b"",
        b"\x00\x00\x08",
        b"\x01\x00\x08\x00\x00\x00\x00\x00" + probe(),
        b"\x00\x00\xff\x00\x20\x00\x00\x00" + probe(),
        tap(1 << 0, b"\x00\x00") + probe(),
        tap(1 << 31, b"") + probe(),
        SIGNAL_ONLY + probe()[:20],
        SIGNAL_ONLY + probe(elements=b"\x01\x08\x82"),
        SIGNAL_ONLY + probe(elements=b"\x01"),
    ],
    ids=[
        "empty",
        "radiotap-truncated",
        "radiotap-version",
        "radiotap-length-beyond-frame",
        "radiotap-field-beyond-header",
        "present-word-beyond-header",
        "header-truncated",
        "element-truncated",
        "element-header-truncated",
    ],
)
def test_malformed_frames_are_rejected_with_malformed(frame: bytes) -> None:
    with pytest.raises(Malformed):
        probe_request(frame)


def test_the_counter_skips_and_counts_malformed_frames_and_goes_on() -> None:
    counter = WindowCounter(Window(0, 300))
    counter.observe(1.0, SIGNAL_ONLY + probe()[:20])
    counter.observe(2.0, b"\x00")
    counter.observe(3.0, SIGNAL_ONLY + probe(address=b"\x03" + b"\x00" * 5))  # multicast source
    counter.observe(4.0, SIGNAL_ONLY + probe())
    count = counter.close()
    assert (count.frames, count.malformed, count.probes, count.devices) == (4, 3, 1, 1)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=120), st.integers(min_value=0, max_value=119))
def test_random_bytes_and_random_cuts_never_raise_anything_but_malformed(noise: bytes, cut: int) -> None:
    good = SIGNAL_ONLY + probe(elements=b"\x01\x02\x82\x84\x2d\x02\x00\x00")
    for frame in (noise, good[:cut] + noise, (good + noise)[: len(good) - cut % 10]):
        try:
            probe_request(frame)
        except Malformed:
            pass
