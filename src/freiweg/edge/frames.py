"""A small parser for radiotap + 802.11 probe requests, the agent's hot path."""

from __future__ import annotations

from typing import NamedTuple

PROBE_REQUEST = 0x40
SSID = 0
DS_PARAMETERS = 3
# radiotap fields 0..5 of the first namespace: (alignment, size)
FIELDS = ((8, 8), (1, 1), (1, 1), (2, 4), (2, 2), (1, 1))
FLAG_FCS = 0x10
FLAG_BAD_FCS = 0x40


class Malformed(ValueError):
    """A frame too short or inconsistent to parse; the agent skips and counts it."""


class Probe(NamedTuple):
    """The parts of one probe request the counter uses; `address` is pseudonymised at once by the caller."""

    address: bytes
    sequence: int
    signal: int | None
    frequency: int | None
    elements: bytes


Layout = tuple[int, int, int, int]  # header length, offset of flags, frequency, signal (-1 if absent)
_layouts: dict[bytes, Layout] = {}


def layout(frame: bytes) -> Layout:
    """Where a radiotap header keeps the fields the agent reads; cached per header shape."""
    shape = frame[:8]
    known = _layouts.get(shape)
    if known is not None:
        return known
    size = len(frame)
    if size < 8 or frame[0] != 0:
        raise Malformed("radiotap header missing")
    length = frame[2] | frame[3] << 8
    if length < 8 or length > size:
        raise Malformed("radiotap length beyond the frame")
    present = frame[4] | frame[5] << 8 | frame[6] << 16 | frame[7] << 24
    offset = 8
    word = present
    while word & 0x80000000:
        if offset + 4 > length:
            raise Malformed("radiotap present words beyond the header")
        word = frame[offset] | frame[offset + 1] << 8 | frame[offset + 2] << 16 | frame[offset + 3] << 24
        offset += 4
    found = [length, -1, -1, -1]
    for bit, (align, width) in enumerate(FIELDS):
        if not present & (1 << bit):
            continue
        offset = (offset + align - 1) & ~(align - 1)
        if offset + width > length:
            raise Malformed("radiotap field beyond the header")
        if bit in (1, 3, 5):
            found[(1, 3, 5).index(bit) + 1] = offset
        offset += width
    result: Layout = (found[0], found[1], found[2], found[3])
    if not present & 0x80000000 and len(_layouts) < 64:
        _layouts[bytes(shape)] = result
    return result


def radiotap(frame: bytes) -> tuple[int, int | None, int | None, int]:
    """(header length, signal dBm or None, frequency MHz or None, flags) of a radiotap header."""
    length, at_flags, at_frequency, at_signal = layout(frame)
    if length > len(frame):
        raise Malformed("radiotap length beyond the frame")
    flags = frame[at_flags] if at_flags >= 0 else 0
    frequency = frame[at_frequency] | frame[at_frequency + 1] << 8 if at_frequency >= 0 else None
    signal = None
    if at_signal >= 0:
        signal = frame[at_signal] - 256 if frame[at_signal] > 127 else frame[at_signal]
    return length, signal, frequency, flags


def header(frame: bytes) -> tuple[bytes, int, int, int, int] | None:
    """(address, sequence, signal, start of elements, end of elements) of a probe request, else None.

    The hot path: the elements are checked for truncation but not copied. A frame without a
    signal field reports 0 dBm. Raises Malformed for broken frames.
    """
    length, at_flags, _, at_signal = layout(frame)
    end = len(frame)
    if length > end:
        raise Malformed("radiotap length beyond the frame")
    if at_flags >= 0:
        flags = frame[at_flags]
        if flags & FLAG_BAD_FCS:
            raise Malformed("frame check sequence failed")
        if flags & FLAG_FCS:
            end -= 4
    if end - length < 24:
        if end - length >= 1 and frame[length] != PROBE_REQUEST:
            return None
        raise Malformed("802.11 header truncated")
    if frame[length] != PROBE_REQUEST:
        return None
    offset = start = length + 24
    while offset < end:
        if offset + 2 > end:
            raise Malformed("information element header truncated")
        offset += 2 + frame[offset + 1]
    if offset > end:
        raise Malformed("information element truncated")
    signal = 0
    if at_signal >= 0:
        signal = frame[at_signal] - 256 if frame[at_signal] > 127 else frame[at_signal]
    sequence = (frame[length + 22] | frame[length + 23] << 8) >> 4
    return frame[length + 10 : length + 16], sequence, signal, start, end


def elements(frame: bytes, start: int, end: int) -> bytes:
    """The information elements used for fingerprints: all but the SSID and the channel."""
    kept = bytearray()
    offset = start
    while offset < end:
        following = offset + 2 + frame[offset + 1]
        if frame[offset] != SSID and frame[offset] != DS_PARAMETERS:
            kept += frame[offset:following]
        offset = following
    return bytes(kept)


def probe_request(frame: bytes) -> Probe | None:
    """The probe request in a radiotap frame, None for any other frame; raises Malformed when broken."""
    found = header(frame)
    if found is None:
        return None
    address, sequence, _, start, end = found
    _, signal, frequency, _ = radiotap(frame)
    return Probe(bytes(address), sequence, signal, frequency, elements(frame, start, end))


def is_randomised(address: bytes) -> bool:
    """Whether an address is locally administered (the bit phones set on random addresses)."""
    return bool(address[0] & 0x02)
