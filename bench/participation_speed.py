"""Speed of the participation pages with the demo town's data, against a baseline in the same run.

    .venv/bin/python -m bench.participation_speed [--requests 300] [--responses 0]

The demo town (`prepare_town`: areas, sensors, published feedback with answers, six months of
simulated survey answers) is served by uvicorn on loopback in this process. Each page and its
JSON twin is requested `--requests` times by one client, interleaved with `GET /api/v1/health` as
the baseline, so that machine load hits both alike. `--responses N` adds N more simulated responses
(spread over the demo months) to see how /trust grows with the answers behind it.

/trust memoises its figures while no answer, check or item is added; the last row therefore times
/trust right after a new answer was stored (not timed), when the figures are computed again.

Two times per request: the server time, from the moment the application receives the request to
its last body byte (an ASGI wrapper around the app), and the wall-clock time a client in the same
process sees, an upper bound that includes the client and the loopback.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import threading
import time
from collections import defaultdict
from typing import Any

import httpx

PAGES = [
    "/api/v1/health",
    "/trust",
    "/trust.json",
    "/trust.csv",
    "/survey",
    "/survey.json",
    "/participate",
    "/participate.json",
    "/opt-out",
    "/opt-out.json",
    "/sensors/obere-bruecke-1",
    "/sensors/obere-bruecke-1.json",
]


class ServerTimer:
    """ASGI wrapper: the time from receiving a request to sending its last body byte, per path."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.times: dict[str, list[float]] = defaultdict(list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Pass the request on and record how long the application took."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def sending(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                self.times[scope["path"]].append((time.perf_counter() - started) * 1000)

        await self.app(scope, receive, sending)


def percentile(values: list[float], share: float) -> float:
    """The share-quantile of values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def more_responses(services: Any, count: int) -> None:
    """count more simulated responses, spread over the demo months (marked demo, like the seed)."""
    from freiweg.demo.survey import DEMO_MONTHS, months_back, simulated_month

    if count <= 0:
        return
    rng = random.Random(7)
    today = services.clock().date()
    names = months_back(today, DEMO_MONTHS)
    added = 0
    while added < count:
        for index, month in enumerate(names):
            responses, checks = simulated_month(rng, index / max(len(names) - 1, 1))
            services.survey.record_demo(month, responses[: count - added], checks)
            added += len(responses[: count - added])
            if added >= count:
                break


def bench_pages(requests: int, extra_responses: int) -> None:
    """Serve the demo town and time every page against the health baseline."""
    import uvicorn

    from freiweg.bootstrap import create_app
    from freiweg.demo.runner import prepare_town
    from freiweg.settings import Settings

    folder = tempfile.mkdtemp(prefix="freiweg-bench-")
    settings = Settings(
        database_url=f"sqlite:///{folder}/freiweg.db", demo=True, secret_key="bench-secret-" + "x" * 32
    )
    app = create_app(settings)
    services = app.state.services
    prepare_town(services)
    more_responses(services, extra_responses)
    stored = services.survey.counts()
    print(
        f"survey: {stored['responses']} responses, {stored['answers']} answers, {stored['checks']} checks; "
        f"feedback months: {len(services.feedback.monthly_answer_statistics())}"
    )
    timer = ServerTimer(app)
    server = uvicorn.Server(
        uvicorn.Config(timer, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    client_times: dict[str, list[float]] = defaultdict(list)
    with httpx.Client(base_url=base, timeout=30) as client:
        for path in PAGES:
            client.get(path).raise_for_status()  # warm the templates and caches
        timer.times.clear()
        for _ in range(requests):
            for path in PAGES:
                started = time.perf_counter()
                client.get(path).raise_for_status()
                client_times[path].append((time.perf_counter() - started) * 1000)
        fresh_label = "/trust after a new answer"
        timed = dict(timer.times)
        timer.times.clear()
        month = services.survey.month()
        for _ in range(requests):
            services.survey.record_demo(month, [[("trust-honest", random.randint(1, 5))]])
            started = time.perf_counter()
            client.get("/trust").raise_for_status()
            client_times[fresh_label].append((time.perf_counter() - started) * 1000)
        timed[fresh_label] = timer.times["/trust"]
    server.should_exit = True
    thread.join(timeout=10)
    services.database.dispose()
    print(f"{requests} requests per page, one client, uvicorn in the same process (SQLite)")
    print(f"  {'path':34} {'server p50':>10} {'server p99':>10} {'client p50':>10} {'client p99':>10}  (ms)")
    for path in [*PAGES, fresh_label]:
        server_ms, seen = timed[path], client_times[path]
        print(
            f"  {path:34} {percentile(server_ms, 0.5):10.1f} {percentile(server_ms, 0.99):10.1f} "
            f"{percentile(seen, 0.5):10.1f} {percentile(seen, 0.99):10.1f}"
        )


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--responses", type=int, default=0, help="simulated responses to add to the demo's")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()}")
    bench_pages(args.requests, args.responses)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
