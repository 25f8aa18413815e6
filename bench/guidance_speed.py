"""Speed of the guidance pages and of routing, each against a baseline measured in the same run.

    .venv/bin/python -m bench.guidance_speed [--days 29] [--requests 200] [--routes 300]
        [--screenshots docs/screenshots [--screenshots-only]]

1. Routing: quietest routes on a synthetic 5,000-edge walking grid with random crowd penalties
   (plan_route, up to five Dijkstra runs) against one plain shortest-path Dijkstra on the same graph.
2. Pages: the demo town with `--days` of simulated history served by uvicorn on loopback; each
   guidance page and its JSON twin is requested `--requests` times, against the live page `/` and
   /api/v1/areas as the baseline. Times are wall-clock per request seen by a client in the same
   process, so they are an upper bound of the server time; "cpu" is the process's CPU time per
   request (client and server together, so again an upper bound), which waiting for a busy
   machine's cores does not inflate.
3. Screenshots (`--screenshots`): the public pages at phone and desktop width; with
   `--screenshots-only` the timing runs are skipped (the demo town is still fed `--days` of history).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import networkx as nx

from freiweg.guidance.graph import Footway, Junction, WalkingGraph
from freiweg.guidance.routing import plan_route

PAGES = [
    "/",
    "/api/v1/areas",
    "/areas/domplatz",
    "/areas/domplatz.json",
    "/places",
    "/route?from=bamberger-dom&to=gabelmann",
    "/route.json?from=bamberger-dom&to=gabelmann",
    "/planner?place=bamberger-dom&place=altes-rathaus&place=michaelskirche&size=25",
    "/planner.json?place=bamberger-dom&place=altes-rathaus&place=michaelskirche&size=25",
    "/kiosk",
    "/widget.json",
]


def percentile(values: list[float], share: float) -> float:
    """The share-quantile of values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def grid(side_x: int, side_y: int, *, seed: int = 1) -> WalkingGraph:
    """A street grid of about 5 m per 0.00005 degrees, blocks of 5x5 junctions forming areas."""
    rng = random.Random(seed)
    junctions = [
        Junction(f"{x}-{y}", 10.88 + x * 0.0007, 49.89 + y * 0.00045)
        for x in range(side_x)
        for y in range(side_y)
    ]
    footways = []
    for x in range(side_x):
        for y in range(side_y):
            area = f"block-{x // 5}-{y // 5}"
            if x + 1 < side_x:
                footways.append(Footway(f"{x}-{y}", f"{x + 1}-{y}", 50 * rng.uniform(0.9, 1.1), "", area))
            if y + 1 < side_y:
                footways.append(Footway(f"{x}-{y}", f"{x}-{y + 1}", 50 * rng.uniform(0.9, 1.1), "", area))
    return WalkingGraph(junctions, footways)


def bench_routing(count: int) -> None:
    """Time plan_route against a plain Dijkstra on a 5,000-edge grid."""
    graph = grid(51, 50)
    rng = random.Random(2)
    areas = {w.area_id for w in graph.footways if w.area_id}
    penalties = {a: rng.choice([1.0, 1.4, 2.2, 4.0, 8.0]) for a in areas}
    quiet = frozenset(rng.sample(sorted(areas), 3))
    ids = list(graph.junctions)
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(count)]
    plain, quietest = [], []
    for a, b in pairs:
        started = time.perf_counter()
        nx.dijkstra_path(graph.graph, a, b, weight="length")
        plain.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        plan_route(graph, a, b, penalties=penalties, quiet_zones=quiet)
        quietest.append((time.perf_counter() - started) * 1000)
    print(f"routing on {len(graph)} edges, {len(graph.junctions)} junctions, {count} random pairs")
    for name, values in (("baseline dijkstra", plain), ("plan_route", quietest)):
        print(
            f"  {name:18} p50 {percentile(values, 0.5):7.1f} ms  "
            f"p99 {percentile(values, 0.99):7.1f} ms  max {max(values):7.1f} ms"
        )


SCREENSHOTS = {
    "live-map": "/",
    "area-domplatz": "/areas/domplatz",
    "places": "/places",
    "route": "/route?from=bamberger-dom&to=gabelmann",
    "planner": "/planner?place=bamberger-dom&place=altes-rathaus&place=michaelskirche&size=25",
    "kiosk": "/kiosk",
    "widget": "/widget",
    "participate": "/participate",
    "opt-out": "/opt-out",
    "survey": "/survey",
    "trust": "/trust",
    # The demo's published question with its answer, and the check; then the check answered wrongly.
    "sensor-obere-bruecke-1": "/sensors/obere-bruecke-1",
    "sensor-check-answered": "/sensors/obere-bruecke-1?check=wrong",
}


def first_load(context: Any, base: str) -> tuple[int, int]:
    """Requests and bytes (headers and compressed bodies) of a first visit to the live page."""
    page = context.new_page()
    finished: list[Any] = []

    def keep(request: Any) -> None:
        finished.append(request)

    page.on("requestfinished", keep)  # Playwright wants a Python function here
    page.goto(base + "/", wait_until="networkidle")
    sizes = [request.sizes() for request in finished]
    page.close()
    return len(sizes), sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)


def take_screenshots(base: str, folder: str) -> None:
    """Each page at phone and desktop width in German, with map tiles refused (offline)."""
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    Path(folder).mkdir(parents=True, exist_ok=True)
    sizes = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for size, viewport in sizes.items():
            context = browser.new_context(locale="de-DE", viewport=viewport)
            context.route(lambda url: not url.startswith(base), lambda route: route.abort())
            page = context.new_page()
            if size == "phone":
                count, total = first_load(context, base)
                print(f"first load of / on a phone: {count} requests, {total / 1000:.1f} kB transferred")
            for name, path in SCREENSHOTS.items():
                page.goto(base + path, wait_until="networkidle")
                page.wait_for_timeout(300)
                page.screenshot(path=f"{folder}/{name}-{size}.png", full_page=True)
            context.close()
        browser.close()
    print(f"screenshots saved in {folder}")


def forecast_with_an_event(services: Any, zone: ZoneInfo) -> None:
    """A demo event on the Domplatz tomorrow afternoon and a forecast run, as a running town has them."""
    from freiweg.services.events import EventInput

    if services.forecasts is None:
        print("forecast extra not installed: the area page shows the usual profile")
        return
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), zone).replace(hour=14)
    services.events.add(EventInput("Weinfest (Demo)", start, start + timedelta(hours=4), ("domplatz",), 1.8))
    started = time.perf_counter()
    services.forecasts.refresh()
    print(f"forecast run made in {time.perf_counter() - started:.0f} s")


def bench_pages(days: int, requests: int, screenshots: str | None = None, *, timing: bool = True) -> None:
    """Serve the demo town with history and time every page (unless timing is off)."""
    import uvicorn

    from freiweg.bootstrap import create_app
    from freiweg.demo.runner import DemoFeeder, prepare_town
    from freiweg.settings import Settings

    folder = tempfile.mkdtemp(prefix="freiweg-bench-")
    settings = Settings(
        database_url=f"sqlite:///{folder}/freiweg.db", demo=True, secret_key="bench-secret-" + "x" * 32
    )
    app = create_app(settings)
    tokens = prepare_town(app.state.services)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    started = time.perf_counter()
    fed = DemoFeeder(base, tokens, ZoneInfo(settings.timezone)).feed(now - timedelta(days=days), now)
    print(f"fed {fed} counts of {days} days in {time.perf_counter() - started:.0f} s")
    forecast_with_an_event(app.state.services, ZoneInfo(settings.timezone))
    with httpx.Client(base_url=base, timeout=30) as client:
        paths = PAGES if timing else []
        for path in PAGES:
            client.get(path).raise_for_status()  # warm the caches as a running server has them
        if paths:
            print(f"pages: {requests} requests each, one client, uvicorn in the same process")
        for path in paths:
            times, cpu = [], []
            for _ in range(requests):
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(path).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            print(
                f"  {path[:60]:60} p50 {statistics.median(times):6.1f} ms"
                f"  p99 {percentile(times, 0.99):6.1f} ms"
                f"  cpu p50 {statistics.median(cpu):5.1f} ms  p99 {percentile(cpu, 0.99):5.1f} ms"
            )
    if screenshots:
        take_screenshots(base, screenshots)
    server.should_exit = True
    thread.join(timeout=10)


def main() -> None:
    """Run both benchmarks and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=29)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--routes", type=int, default=300)
    parser.add_argument("--screenshots", help="also save screenshots of every page into this folder")
    parser.add_argument(
        "--screenshots-only", action="store_true", help="only the screenshots: no routing or page timing"
    )
    args = parser.parse_args()
    if args.screenshots_only and not args.screenshots:
        parser.error("--screenshots-only needs --screenshots FOLDER")
    print(f"load before: {os.getloadavg()}")
    if not args.screenshots_only:
        bench_routing(args.routes)
    bench_pages(args.days, args.requests, args.screenshots, timing=not args.screenshots_only)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
