"""Real `freiweg serve` processes for tests that need a server to kill or to run twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

import httpx

from tests.support.log_keys import TEST_LOG_KEY
from tests.support.postgres import free_port

TEST_SECRET = "test-secret-not-for-production-0123456789"


@dataclass
class ServerProcess:
    """A running server and its address."""

    process: subprocess.Popen[bytes]
    base_url: str
    log: IO[bytes]

    def log_text(self) -> str:
        """Everything the server wrote to stderr so far (read before stop or kill)."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; as if the power went."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self) -> None:
        """Terminate gracefully."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def start_server(
    database_url: str,
    *,
    port: int | None = None,
    timeout: float = 60,
    demo: bool = False,
    environment_extra: dict[str, str] | None = None,
) -> ServerProcess:
    """Start `freiweg serve` on a free loopback port and wait until it answers."""
    port = port or free_port()
    environment = dict(os.environ)
    environment.update(
        FREIWEG_DATABASE_URL=database_url,
        FREIWEG_SECRET_KEY=TEST_SECRET,
        FREIWEG_LOG_KEY=TEST_LOG_KEY,
        FREIWEG_DEMO="1" if demo else "0",
        FREIWEG_LOG_LEVEL="warning",
    )
    environment.update(environment_extra or {})
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "freiweg", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    server = ServerProcess(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            message = log.read().decode(errors="replace")
            log.close()
            raise RuntimeError(f"server exited: {message}")
        try:
            if httpx.get(f"{server.base_url}/api/v1/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("server did not start in time")


@contextmanager
def running_server(database_url: str) -> Iterator[ServerProcess]:
    """A server for the duration of a with-block."""
    server = start_server(database_url)
    try:
        yield server
    finally:
        server.stop()
