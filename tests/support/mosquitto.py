"""A private Mosquitto broker from Debian's package, on a free loopback port, for MQTT tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.postgres import free_port

MOSQUITTO_PATHS = ("/usr/sbin/mosquitto", "/usr/bin/mosquitto")


@dataclass(frozen=True)
class Broker:
    """A running broker's address."""

    host: str
    port: int


def mosquitto_binary() -> str | None:
    """The mosquitto executable, or None when the package is not installed."""
    for path in MOSQUITTO_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("mosquitto")


@contextmanager
def running_broker() -> Iterator[Broker]:
    """Start mosquitto with a tiny config (loopback only, anonymous) and stop it afterwards."""
    binary = mosquitto_binary()
    if binary is None:
        raise FileNotFoundError("mosquitto is not installed (Debian package 'mosquitto')")
    workdir = Path(tempfile.mkdtemp(prefix="freiweg-mqtt-"))
    port = free_port()
    config = workdir / "mosquitto.conf"
    config.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "max_queued_messages 100000\nmax_inflight_messages 0\n",
        encoding="utf-8",
    )
    log = (workdir / "mosquitto.log").open("wb")
    process = subprocess.Popen([binary, "-c", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = (workdir / "mosquitto.log").read_text()
                    raise RuntimeError(f"mosquitto did not start: {output}") from None
                time.sleep(0.05)
        yield Broker("127.0.0.1", port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)
