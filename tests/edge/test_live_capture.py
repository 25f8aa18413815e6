"""Live capture through a raw packet socket (on loopback: frames arrive, non-radiotap ones are skipped)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from freiweg.edge.capture import live
from freiweg.edge.estimator import WindowCounter
from freiweg.privacy.windows import Window


def test_frames_arrive_from_a_raw_socket_and_ethernet_frames_are_counted_as_malformed() -> None:
    try:
        frames = live("lo")
        first = next(frames)
    except PermissionError:
        pytest.skip("raw packet sockets need CAP_NET_RAW")
    counter = WindowCounter(Window(0, 10**10))

    def send() -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            for _ in range(20):
                sender.sendto(b"freiweg-edge-test", ("127.0.0.1", 9))
                time.sleep(0.01)

    sender = threading.Thread(target=send)
    sender.start()
    seen = [first]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and sum(1 for _, f in seen if b"freiweg-edge-test" in f) < 5:
        seen.append(next(frames))
    sender.join()
    frames.close()
    for moment, frame in seen:
        if frame:
            counter.observe(moment, frame)
    count = counter.close()
    assert any(b"freiweg-edge-test" in f for _, f in seen)
    assert count.frames > 0 and count.devices == 0
