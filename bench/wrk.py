"""Running wrk pinned to the load-generator core and reading its report."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).parent / "scripts"
LOAD_CORE = "1"

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_DURATION = re.compile(r"^\s*([\d.]+)(us|ms|s|m)\s*$")


@dataclass
class WrkSettings:
    """How wrk loads the server; the health baseline of a scenario uses the same settings."""

    threads: int
    connections: int
    duration: int
    timeout: int = 10


@dataclass
class WrkResult:
    """One wrk run: throughput, latency in milliseconds and anything that went wrong."""

    requests: int
    requests_per_second: float
    latency_ms: dict[str, float]
    non_2xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    new: int = 0
    known: int = 0
    unexpected: int = 0
    duration_s: float = 0.0
    command: str = ""

    @property
    def p99_ms(self) -> float:
        """The 99th percentile of latency."""
        return self.latency_ms["p99"]

    @property
    def failed(self) -> int:
        """Requests that did not end in an expected answer."""
        return self.non_2xx + sum(self.socket_errors.values()) + self.unexpected

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def milliseconds(text: str) -> float:
    """wrk's '1.23ms', '850.00us' or '2.01s' in milliseconds."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse(output: str) -> WrkResult:
    """Requests/s, the latency distribution (incl. p99) and error counts from wrk --latency output."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in ", output, re.MULTILINE)
    if not rps or not total:
        raise ValueError(f"unexpected wrk output:\n{output}")
    latency: dict[str, float] = {}
    distribution = output.split("Latency Distribution", 1)
    if len(distribution) == 2:
        for percent, value in re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", distribution[1], re.MULTILINE):
            latency[f"p{percent}"] = milliseconds(value)
    average = re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", output, re.MULTILINE)
    if average:
        latency["mean"] = milliseconds(average.group(1))
        latency["max"] = milliseconds(average.group(3))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result = WrkResult(
        requests=int(total.group(1)),
        requests_per_second=float(rps.group(1)),
        latency_ms=latency,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=(
            dict(zip(("connect", "read", "write", "timeout"), map(int, socket.groups()), strict=True))
            if socket
            else {}
        ),
    )
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            extra = json.loads(line.removeprefix("BENCH_JSON "))
            result.new = int(extra["new"])
            result.known = int(extra["known"])
            result.unexpected = int(extra["unexpected"])
            result.duration_s = extra["duration_us"] / 1e6
            result.latency_ms["p99.9"] = extra["latency_us"]["p999"] / 1000
    return result


def run(
    url: str,
    settings: WrkSettings,
    *,
    script: str = "health.lua",
    args: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """Run wrk on the load-generator core against url and return its parsed report."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed; `make bench` installs it with apt-get")
    command = [
        "taskset",
        "-c",
        LOAD_CORE,
        wrk,
        f"--threads={settings.threads}",
        f"--connections={settings.connections}",
        f"--duration={settings.duration}s",
        f"--timeout={settings.timeout}s",
        "--latency",
        f"--script={SCRIPTS / script}",
        *(f"--header={name}: {value}" for name, value in (headers or {}).items()),
        url,
    ]
    if args:
        command += ["--", *args]
    env = {**os.environ, "LUA_PATH": f"{SCRIPTS}/?.lua;;"}
    finished = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=settings.duration + 120, check=False
    )
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}):\n{finished.stdout}\n{finished.stderr}")
    result = parse(finished.stdout)
    result.command = " ".join(command[3:]).replace(str(SCRIPTS.parent.parent) + "/", "")
    return result
