"""Helpers for edge tests: simulated captures, hand-built frames, and a recording HTTP proxy."""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dpkt
import httpx

from freiweg.edge import simulator

START = 1_781_000_000 // 300 * 300


def simulated(
    tmp_path: Path, scenario: str = "shopping-street", minutes: int = 10, share: float = 0.6, seed: int = 3
) -> tuple[Path, Path]:
    """A small simulated capture and its truth file."""
    return simulator.write(
        simulator.SCENARIOS[scenario],
        tmp_path,
        start=START,
        minutes=minutes,
        seed=seed,
        randomising_share=share,
    )


def radiotap(present: int, fields: bytes) -> bytes:
    """A radiotap header with the given present word and field bytes."""
    return struct.pack("<BBHI", 0, 0, 8 + len(fields), present) + fields


def probe(address: bytes = b"\x02\x11\x22\x33\x44\x55", sequence: int = 7, elements: bytes = b"") -> bytes:
    """An 802.11 probe request (no radiotap header)."""
    return (
        b"\x40\x00\x00\x00"
        + b"\xff" * 6
        + address
        + b"\xff" * 6
        + struct.pack("<H", sequence << 4)
        + b"\x00\x00"
        + elements
    )


def dpkt_probes(capture: Path) -> list[tuple[bytes, int, int]]:
    """(address, sequence number, signal) of every probe request, read with dpkt."""
    found = []
    with capture.open("rb") as stream:
        for _, buffer in dpkt.pcap.Reader(stream):
            tap = dpkt.radiotap.Radiotap(buffer)
            frame = tap.data
            if frame.type == dpkt.ieee80211.MGMT_TYPE and frame.subtype == dpkt.ieee80211.M_PROBE_REQ:
                signal = next(f.db for f in tap.fields if isinstance(f, dpkt.radiotap.Radiotap.AntennaSignal))
                found.append((bytes(frame.mgmt.src), frame.mgmt.sequence_number, signal))
    return found


@dataclass
class Recorder:
    """Every request and response body that passed the proxy."""

    bodies: list[bytes] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)


@contextmanager
def recording_proxy(target: str) -> Iterator[tuple[str, Recorder]]:
    """A loopback HTTP proxy that forwards to target and records every body both ways."""
    recorder = Recorder()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {
                k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")
            }
            answer = httpx.post(target + self.path, content=body, headers=headers, timeout=30)
            with lock:
                recorder.bodies += [body, answer.content, str(self.headers).encode()]
                recorder.statuses.append(answer.status_code)
            self.send_response(answer.status_code)
            self.send_header("Content-Type", answer.headers.get("content-type", "application/json"))
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", recorder
    finally:
        server.shutdown()
        server.server_close()


SIGNAL_ONLY_FRAME = radiotap(1 << 5, b"\xc4") + probe(b"\x3c\x28\x6d\x00\x00\x01")
