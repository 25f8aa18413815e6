"""Frames from pcap and pcapng files (radiotap link type) and live from a monitor-mode interface."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

RADIOTAP = 127
ETH_P_ALL = 0x0003
PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
PCAPNG_SECTION = b"\x0a\x0d\x0d\x0a"

Frame = tuple[float, bytes]


class CaptureError(ValueError):
    """A capture file freiweg cannot read, with what to do about it."""


def read_capture(path: Path) -> Iterator[Frame]:
    """(time, frame) for every record of a pcap or pcapng file with radiotap headers."""
    with path.open("rb") as stream:
        magic = stream.read(4)
        if magic in PCAP_MAGICS:
            yield from _pcap(stream, magic)
        elif magic == PCAPNG_SECTION:
            yield from _pcapng(stream)
        else:
            raise CaptureError(f"{path} is neither pcap nor pcapng")


def _pcap(stream: BinaryIO, magic: bytes) -> Iterator[Frame]:
    order, unit = PCAP_MAGICS[magic]
    header = stream.read(20)
    if len(header) < 20:
        raise CaptureError("pcap file header truncated")
    link = struct.unpack(order + "HHiIII", header)[5] & 0x0FFFFFFF
    if link != RADIOTAP:
        raise CaptureError(f"link type {link} is not radiotap (127); capture in monitor mode")
    record = struct.Struct(order + "IIII")
    read = stream.read
    while True:
        head = read(16)
        if len(head) < 16:
            return
        seconds, fraction, included, _ = record.unpack(head)
        data = read(included)
        if len(data) < included:
            return
        yield seconds + fraction * unit, data


def _pcapng(stream: BinaryIO) -> Iterator[Frame]:
    order = "<"
    links: list[tuple[int, float]] = []
    block_type = 0x0A0D0D0A
    first = True
    while True:
        if first:
            head = PCAPNG_SECTION + stream.read(4)
            first = False
        else:
            head = stream.read(8)
        if len(head) < 8:
            return
        if head[:4] == PCAPNG_SECTION:
            order_mark = stream.read(4)
            order = "<" if order_mark == b"\x4d\x3c\x2b\x1a" else ">"
            block_type = 0x0A0D0D0A
            length = struct.unpack(order + "I", head[4:])[0]
            body = stream.read(length - 12)
            links = []
            continue
        block_type, length = struct.unpack(order + "II", head)
        if length < 12:
            raise CaptureError("pcapng block length too small")
        body = stream.read(length - 8)
        if len(body) < length - 8:
            return
        if block_type == 1:
            link = struct.unpack(order + "H", body[:2])[0]
            links.append((link, _resolution(body[8:-4], order)))
        elif block_type == 6:
            interface, high, low, included = struct.unpack(order + "IIII", body[:16])
            if interface >= len(links):
                raise CaptureError("pcapng packet names an unknown interface")
            link, unit = links[interface]
            if link == RADIOTAP:
                yield ((high << 32) | low) * unit, body[20 : 20 + included]
        elif block_type == 3 and links and links[0][0] == RADIOTAP:
            yield time.time(), body[4:-4]


def _resolution(options: bytes, order: str) -> float:
    """Seconds per timestamp unit from an interface block's if_tsresol option (default microseconds)."""
    offset = 0
    while offset + 4 <= len(options):
        code, size = struct.unpack(order + "HH", options[offset : offset + 4])
        if code == 0:
            break
        if code == 9 and size >= 1:
            value = options[offset + 4]
            return 2.0 ** -(value & 0x7F) if value & 0x80 else 10.0**-value
        offset += 4 + ((size + 3) & ~3)
    return 1e-6


def live(interface: str, *, buffer_bytes: int = 4 << 20) -> Iterator[Frame]:
    """(time, frame) from a monitor-mode interface (Linux, needs CAP_NET_RAW)."""
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer_bytes)
        sock.bind((interface, 0))
        sock.settimeout(1.0)
        while True:
            try:
                data = sock.recv(65536)
            except TimeoutError:
                yield time.time(), b""
                continue
            yield time.time(), data
    finally:
        sock.close()


def write_pcap(path: Path, frames: Iterator[Frame] | list[Frame]) -> int:
    """Write frames as a radiotap pcap (microsecond timestamps); returns how many were written."""
    written = 0
    with path.open("wb") as stream:
        stream.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, RADIOTAP))
        for moment, data in frames:
            seconds = int(moment)
            micros = round((moment - seconds) * 1e6)
            if micros >= 1_000_000:
                seconds, micros = seconds + 1, micros - 1_000_000
            stream.write(struct.pack("<IIII", seconds, micros, len(data), len(data)))
            stream.write(data)
            written += 1
    return written
