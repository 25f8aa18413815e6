"""Starting and stopping one `freiweg serve` process pinned to the server core."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx
from tests.support.postgres import free_port

SERVER_CORE = "0"


class Server:
    """`freiweg serve` on loopback in a subprocess; use as a context manager."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._env = env
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """Process id of the server."""
        assert self._process is not None
        return self._process.pid

    def start(self) -> None:
        """Start the server and wait until /api/v1/health answers."""
        log = self._log_path.open("ab")
        command = [
            "taskset",
            "-c",
            SERVER_CORE,
            sys.executable,
            "-m",
            "freiweg",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        self._process = subprocess.Popen(command, env=self._env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"freiweg serve exited with {self._process.returncode}; see {self._log_path}"
                )
            try:
                if httpx.get(f"{self.base_url}/api/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"freiweg serve did not answer within 120 s; see {self._log_path}")

    def cpu_seconds(self) -> float:
        """CPU time the server process (all its threads) has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, *, busy_below: float = 0.05, timeout: float = 120) -> None:
        """Wait until the server uses less than busy_below of a core, e.g. after wrk was stopped.

        wrk drops its connections when its time is up, but requests whose body had arrived are
        still processed; they must not eat into the next measurement.
        """
        deadline = time.monotonic() + timeout
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.cpu_seconds()
            if now - before < busy_below * 0.5:
                return
            before = now

    def check_alive(self) -> None:
        """Raise when the server has exited on its own."""
        if self._process is None or self._process.poll() is not None:
            code = None if self._process is None else self._process.returncode
            raise RuntimeError(f"freiweg serve has exited (status {code}); see {self._log_path}")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 20 s)."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop()
