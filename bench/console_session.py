"""What a staff session costs per request: a signed-in console JSON page against the public health route.

Run by hand: python -m bench.console_session [--requests 2000]. In-process (TestClient) on a
temporary SQLite database; the baseline is measured in the same run, interleaved, so machine load
hits both alike. Also times one argon2 password check (the cost of every sign-in).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from freiweg.bootstrap import create_app
from freiweg.services.staff import HASHER, StaffService
from freiweg.settings import Settings


def timed(client: TestClient, path: str) -> float:
    """Seconds for one GET that must answer 200."""
    start = time.perf_counter()
    answer = client.get(path)
    elapsed = time.perf_counter() - start
    assert answer.status_code == 200, answer.text
    return elapsed


def main() -> None:
    """Measure and print medians and p99 in milliseconds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'bench.db'}", demo=True)
        app = create_app(settings)
        services = app.state.services
        password = (
            StaffService(database=services.database, clock=services.clock).add("bench", role="admin").password
        )
        with TestClient(app) as client:
            page = client.get("/console/login")
            csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
            client.post("/console/login", data={"name": "bench", "password": password, "csrf": csrf})
            baseline, console = [], []
            for _ in range(arguments.requests):
                baseline.append(timed(client, "/api/v1/health"))
                console.append(timed(client, "/console.json"))
        hash_value = HASHER.hash("a password of some length")
        checks = []
        for _ in range(20):
            start = time.perf_counter()
            HASHER.verify(hash_value, "a password of some length")
            checks.append(time.perf_counter() - start)
        services.database.dispose()
    for name, values in (
        ("GET /api/v1/health (baseline)", baseline),
        ("GET /console.json (session)", console),
    ):
        ordered = sorted(values)
        print(
            f"{name}: median {statistics.median(values) * 1000:.2f} ms, "
            f"p99 {ordered[int(len(ordered) * 0.99) - 1] * 1000:.2f} ms"
        )
    print(f"argon2 verify: median {statistics.median(checks) * 1000:.1f} ms over {len(checks)}")


if __name__ == "__main__":
    main()
