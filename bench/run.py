"""Speed benchmarks of the foundation: `make bench` or `python -m bench.run --help`.

One `freiweg serve` process (pinned to core 0) is loaded by wrk from a separate process (pinned
to core 1) on loopback, on SQLite and on PostgreSQL:

  A. intake   POST /api/v1/counts with 1,000 new counts per request
  B. single   POST /api/v1/counts with one new count per request
  C. areas    GET /api/v1/areas with 50 areas and a year of one-minute counts of 200 sensors
     gzip     the same with `Accept-Encoding: gzip`, as browsers send it
     live     the same while 200 sensors push a count a minute each (for information)

Next to each figure, GET /api/v1/health (a trivial endpoint through the same stack) is measured
with the same wrk settings as a baseline of what the machine can do at that moment. Results are
printed as a table and written to bench/results/run-<time>.json and .md. Speed is never a test:
these figures are reported, not asserted. docs/benchmarks.md explains the method.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from tests.support.postgres import postgres_bin

from bench import dataset as datasets
from bench import noise, postgres, profile, wrk
from bench.feeder import Feeder
from bench.server import SERVER_CORE, Server
from bench.wrk import WrkResult, WrkSettings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WARMUP_SECONDS = 3
COMPUTE_SAMPLES = 15
# Processes of this benchmark (with their children); everything else is a neighbour.
OURS: set[int] = set()
# The PostgreSQL postmaster of this benchmark, whose children are the database's processes.
POSTMASTER: set[int] = set()
# Set from the command line in main(): how long to wait for quiet neighbours, and whether the
# cluster shares the server's core (then that core's other busy time is the database's).
QUIET_TIMEOUT = [60.0]
DATABASE_ON_SERVER_CORE = [True]


@dataclass(frozen=True)
class Scenario:
    """One target: what is loaded, how, and the figure it must reach."""

    key: str
    title: str
    path: str
    connections: int
    batch: int = 0
    min_rate: float = 0.0
    max_p99_ms: float | None = None
    unit: str = "req/s"
    has_target: bool = True
    headers: tuple[tuple[str, str], ...] = ()

    def target(self) -> str:
        """The target in words."""
        if not self.has_target:
            return "(none; for information)"
        text = f">= {self.min_rate:,.0f} {self.unit}"
        if self.max_p99_ms is not None:
            text += f", p99 < {self.max_p99_ms:g} ms"
        return text


SCENARIOS = {
    "intake": Scenario(
        "intake",
        "A. intake, 1,000 counts per request",
        "/api/v1/counts",
        # Few connections: a request takes tens of milliseconds, and the work still in flight
        # when wrk stops is lost to the figure, so more connections would only lower it.
        connections=8,
        batch=1000,
        min_rate=50_000,
        unit="counts/s",
    ),
    "single": Scenario(
        "single",
        "B. intake, one count per request",
        "/api/v1/counts",
        connections=32,
        batch=1,
        min_rate=1_500,
        max_p99_ms=50,
    ),
    "areas": Scenario(
        "areas",
        "C. GET /api/v1/areas",
        "/api/v1/areas",
        connections=32,
        min_rate=2_000,
        max_p99_ms=25,
    ),
    "gzip": Scenario(
        "gzip",
        "C. GET /api/v1/areas, gzip accepted",
        "/api/v1/areas",
        connections=32,
        min_rate=2_000,
        max_p99_ms=25,
        headers=(("Accept-Encoding", "gzip"),),
    ),
    "live": Scenario(
        "live",
        "C+. GET /api/v1/areas, sensors pushing",
        "/api/v1/areas",
        connections=32,
        has_target=False,
    ),
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=(
            "Speed benchmarks of freiweg: intake (A), single counts (B) and the areas list (C), "
            "each next to a /api/v1/health baseline, on SQLite and PostgreSQL. The server runs on "
            "core 0 and wrk on core 1. Results go to bench/results/."
        ),
    )
    parser.add_argument(
        "--only",
        default="intake,single,areas,gzip,live",
        help=(
            "comma-separated scenarios out of intake (A), single (B), areas (C), gzip (C with "
            "'Accept-Encoding: gzip', as browsers send it) and live (C while 200 sensors push one "
            "count a minute each, which invalidates the cached answer 3.3 times a second; no "
            "target) (default: all)"
        ),
    )
    parser.add_argument(
        "--database", choices=("sqlite", "postgresql", "both"), default="both", help="default: both"
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per measurement (default 20)")
    parser.add_argument(
        "--skip-year",
        action="store_true",
        help="use a small dataset (two days of counts) instead of a year, for a quick smoke run",
    )
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument(
        "--connections",
        type=int,
        default=None,
        help="wrk connections for every scenario (default: per scenario)",
    )
    parser.add_argument(
        "--postgres-cores",
        default="0",
        help="cores PostgreSQL may use (taskset list; default 0, the server's core, so wrk keeps core 1)",
    )
    parser.add_argument(
        "--wait-quiet",
        type=int,
        default=60,
        help="before each measurement, wait up to this many seconds for other programs to go quiet",
    )
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="only generate (or check) the datasets; measure nothing",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the server with py-spy during each measurement and summarise where time goes",
    )
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown or not chosen:
        parser.error(
            f"unknown scenario(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(SCENARIOS)}"
        )
    args.scenarios = [SCENARIOS[s] for s in SCENARIOS if s in chosen]
    if args.duration < 1:
        parser.error("--duration must be at least 1 second")
    return args


def command_output(*command: str) -> str:
    """A command's output, or '' when it is missing."""
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import sqlite3

    import freiweg

    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    pg = postgres_bin()
    return {
        "nproc": command_output("nproc", "--all"),
        "cpu": cpu,
        "memory": command_output("free", "-h"),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": command_output(str(pg / "postgres"), "--version") if pg else "",
        "wrk": command_output("wrk", "-v").splitlines()[0] if command_output("wrk", "-v") else "",
        "freiweg": freiweg.__version__,
    }


def measure_intake(
    scenario: Scenario,
    data: datasets.Dataset,
    server: Server,
    settings: WrkSettings,
    tokens_file: Path,
    tag: str,
    want_profile: bool,
) -> dict[str, Any]:
    """A or B: POST new counts, then check every count was new and stored."""
    url = server.base_url + scenario.path

    def intake_args() -> list[str]:
        return [
            str(tokens_file),
            str(datasets.intake_cursor(data)),
            str(scenario.batch),
            str(settings.threads),
        ]

    warmup = WrkSettings(settings.threads, settings.connections, WARMUP_SECONDS)
    wrk.run(url, warmup, script="intake.lua", args=intake_args())
    server.wait_idle()
    args = intake_args()
    store = data.store()
    before = store.count_rows()
    sessions_before = sessions(data)

    def load() -> WrkResult:
        return wrk.run(url, settings, script="intake.lua", args=args)

    run = measure(server, lambda: profiled(load, server, settings, tag, want_profile))
    result = run.result
    server.wait_idle()
    stored = store.count_rows() - before
    store.close()
    opened = opened_since(data, sessions_before)
    counts_per_second = result.new / (result.duration_s or settings.duration)
    figure = counts_per_second if scenario.batch > 1 else result.requests_per_second
    problems = []
    if result.known:
        problems.append(f"{result.known} counts were already stored")
    if result.failed:
        problems.append(f"{result.failed} requests failed")
    if result.requests == 0:
        problems.append("no request completed within the measurement")
    if stored < result.new:
        problems.append(f"only {stored} rows were added for {result.new} new counts")
    return {
        "figure": figure,
        "counts_per_second": counts_per_second,
        "rows_added": stored,
        "db_connections_opened": opened,
        "server_cpu_ms_per_request": run.cpu_ms_per_request,
        "database_cpu_ms_per_request": run.database_cpu_ms_per_request,
        "neighbours": run.neighbours,
        "result": result,
        "problems": problems,
    }


def measure_areas(
    data: datasets.Dataset,
    server: Server,
    settings: WrkSettings,
    tag: str,
    want_profile: bool,
    *,
    live: bool,
    headers: dict[str, str],
) -> dict[str, Any]:
    """C: GET the areas list while every area is live, plus the cost of one uncached answer.

    With live, a feeder meanwhile pushes one new count per sensor and minute through the intake.
    """
    url = server.base_url + "/api/v1/areas"
    tokens = [data.tokens[s] for s in sorted(data.tokens)]
    topped = 0
    feeder: Feeder | None = None

    def prepare() -> None:
        # Areas are live for two sensor intervals after their newest count: top up just before.
        nonlocal topped, feeder
        topped, latest_end = datasets.top_up(data)
        wrk.run(url, WrkSettings(settings.threads, settings.connections, WARMUP_SECONDS), headers=headers)
        if live:
            feeder = Feeder(server.base_url, tokens, latest_end)

    def load() -> WrkResult:
        if feeder is not None:
            feeder.start()
        try:
            return profiled(
                lambda: wrk.run(url, settings, headers=headers), server, settings, tag, want_profile
            )
        finally:
            if feeder is not None:
                feeder.stop()

    sessions_before = sessions(data)
    run = measure(server, load, prepare=prepare)
    result = run.result
    opened = opened_since(data, sessions_before)
    # One kept connection, as wrk has: a new httpx client per request would add its own setup time.
    client = httpx.Client(headers={"Accept-Encoding": "identity", **headers}, timeout=60)
    answer = client.get(url).json()
    statuses: dict[str, int] = {}
    for area in answer["areas"]:
        statuses[area["status"]] = statuses.get(area["status"], 0) + 1
    # The answer is cached per data revision: after any new count the next request recomputes it.
    store = data.store()
    compute_ms = []
    for _ in range(0 if live else COMPUTE_SAMPLES):
        store.bump_revision()
        store.commit()
        started = time.perf_counter()
        client.get(url).raise_for_status()
        compute_ms.append((time.perf_counter() - started) * 1000)
    store.close()
    client.close()
    problems = []
    if result.failed:
        problems.append(f"{result.failed} requests failed")
    if result.requests == 0:
        problems.append("no request completed within the measurement")
    if statuses.get("live", 0) != len(answer["areas"]):
        problems.append(f"not every area was live after the run: {statuses}")
    extra: dict[str, Any] = {}
    if feeder is not None:
        fed = feeder.stats
        if fed.failed or fed.stored != fed.sent:
            problems.append(f"the feeder sent {fed.sent} counts, {fed.stored} stored, {fed.failed} failed")
        extra["feeder"] = {"counts_per_second": round(feeder.per_second, 2), **asdict(fed)}
    if compute_ms:
        extra["uncached_ms"] = {
            "median": round(statistics.median(compute_ms), 1),
            "max": round(max(compute_ms), 1),
            "samples": len(compute_ms),
        }
    return {
        "figure": result.requests_per_second,
        "result": result,
        "rows_topped_up": topped,
        "db_connections_opened": opened,
        "server_cpu_ms_per_request": run.cpu_ms_per_request,
        "database_cpu_ms_per_request": run.database_cpu_ms_per_request,
        "neighbours": run.neighbours,
        "area_status_after_run": statuses,
        "areas": len(answer["areas"]),
        "body_bytes": len(json.dumps(answer)),
        **extra,
        "problems": problems,
    }


@dataclass
class Run:
    """One measurement with the CPU time it cost and what other programs used meanwhile."""

    result: WrkResult
    server_cpu_seconds: float
    database_cpu_seconds: float
    neighbours: dict[str, object]

    @property
    def cpu_ms_per_request(self) -> float | None:
        """Server CPU milliseconds per completed request (work still in flight at the end included)."""
        return self._per_request(self.server_cpu_seconds)

    @property
    def database_cpu_ms_per_request(self) -> float | None:
        """PostgreSQL CPU ms per completed request: the server core's other busy time (0 on SQLite)."""
        return self._per_request(self.database_cpu_seconds)

    def _per_request(self, seconds: float) -> float | None:
        if not self.result.requests:
            return None
        return round(seconds * 1000 / self.result.requests, 3)


def measure(
    server: Server, load: Callable[[], WrkResult], *, prepare: Callable[[], None] | None = None
) -> Run:
    """Wait for an idle server and quiet neighbours, prepare, then run load and account for it."""
    server.wait_idle()
    waited = noise.wait_quiet(OURS, timeout=QUIET_TIMEOUT[0])
    if prepare is not None:
        prepare()
        server.wait_idle()
    before = noise.snapshot()
    cpu_before = server.cpu_seconds()
    result = load()
    cpu = server.cpu_seconds() - cpu_before
    after = noise.snapshot()
    used = noise.foreign(before, after, OURS)
    if used.cores > 0.05:
        names = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in used.top)
        print(f"  note: other programs used {used.cores:.2f} cores meanwhile ({names})")
    database = 0.0
    if POSTMASTER:
        # With the cluster on the server's core, that core's busy time minus the server's is the
        # database's (exact even when backends come and go); otherwise count its live processes.
        if DATABASE_ON_SERVER_CORE[0]:
            database = max(0.0, noise.core_busy(before, after, int(SERVER_CORE)) - cpu)
        else:
            database = noise.used_by(before, after, POSTMASTER)
    server_core_busy = noise.core_busy(before, after, int(SERVER_CORE)) / (after.at - before.at)
    neighbours = {
        **used.as_dict(),
        "cores_before": round(waited.cores, 3),
        "server_core_busy": round(server_core_busy, 3),
    }
    return Run(result, cpu, database, neighbours)


def sessions(data: datasets.Dataset) -> int | None:
    """Connections PostgreSQL has opened to the database so far (None on SQLite)."""
    if data.backend != "postgresql":
        return None
    store = datasets.PostgresStore(data.dsn)
    try:
        return store.sessions()
    finally:
        store.close()


def opened_since(data: datasets.Dataset, before: int | None) -> int | None:
    """Connections opened since before, on PostgreSQL."""
    after = sessions(data)
    return None if after is None or before is None else after - before


def profiled(
    measure: Callable[[], WrkResult], server: Server, settings: WrkSettings, tag: str, want_profile: bool
) -> WrkResult:
    """Run measure, sampling the server with py-spy meanwhile when asked to."""
    if not want_profile:
        return measure()
    output = RESULTS / "profiles" / f"{tag}.txt"
    output.parent.mkdir(parents=True, exist_ok=True)
    sampler = profile.start(server.pid, max(1, settings.duration - 2), output)
    result = measure()
    if sampler is not None:
        sampler.wait(timeout=120)
        if output.exists():
            summary = profile.summarise(output)
            output.with_suffix(".summary.txt").write_text(summary)
            print(f"  profile: {output.relative_to(ROOT)} (summary next to it)")
    return result


def verdict(scenario: Scenario, figure: float, result: WrkResult, problems: list[str]) -> bool | None:
    """Whether the target is met by an honest run (None without a target)."""
    if not scenario.has_target:
        return None
    if problems:
        return False
    if figure < scenario.min_rate:
        return False
    return scenario.max_p99_ms is None or result.p99_ms < scenario.max_p99_ms


def run_database(backend: str, args: argparse.Namespace, stamp: str) -> dict[str, Any]:
    """Prepare the dataset of one database, start the server and measure the chosen scenarios."""
    cluster = postgres.start(RESULTS / "pg", cores=args.postgres_cores) if backend == "postgresql" else None
    try:
        data = datasets.prepare(backend, full=not args.skip_year, workdir=RESULTS, cluster=cluster)
        if args.prepare_only:
            return {"dataset": dataset_facts(data), "scenarios": {}}
        tokens_file = RESULTS / "data" / f"{backend}-{data.name}-tokens.txt"
        tokens_file.write_text("\n".join(data.tokens[s] for s in sorted(data.tokens)) + "\n")
        logs = RESULTS / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        outcome: dict[str, Any] = {"dataset": dataset_facts(data), "scenarios": {}}
        OURS.clear()
        OURS.add(os.getpid())
        POSTMASTER.clear()
        if cluster is not None and cluster.postmaster_pid():
            POSTMASTER.add(cluster.postmaster_pid() or 0)
            OURS.update(POSTMASTER)
        with Server(data.environment(), logs / f"{stamp}-{backend}-server.log") as server:
            for scenario in args.scenarios:
                settings = WrkSettings(args.threads, args.connections or scenario.connections, args.duration)
                print(
                    f"{backend}: {scenario.title} ({settings.connections} connections, {args.duration} s)",
                    flush=True,
                )
                health = server.base_url + "/api/v1/health"
                headers = dict(scenario.headers)
                baseline = measure(server, lambda: wrk.run(health, settings, headers=headers))  # noqa: B023
                tag = f"{stamp}-{backend}-{scenario.key}"
                if scenario.key in ("areas", "gzip", "live"):
                    measured = measure_areas(
                        data,
                        server,
                        settings,
                        tag,
                        args.profile,
                        live=scenario.key == "live",
                        headers=headers,
                    )
                else:
                    measured = measure_intake(
                        scenario, data, server, settings, tokens_file, tag, args.profile
                    )
                result: WrkResult = measured.pop("result")
                met = verdict(scenario, measured["figure"], result, measured["problems"])
                outcome["scenarios"][scenario.key] = {
                    "title": scenario.title,
                    "target": scenario.target(),
                    "unit": scenario.unit,
                    "met": met,
                    **measured,
                    "wrk": result.as_dict(),
                    "baseline": {
                        **baseline.result.as_dict(),
                        "server_cpu_ms_per_request": baseline.cpu_ms_per_request,
                        "database_cpu_ms_per_request": baseline.database_cpu_ms_per_request,
                        "neighbours": baseline.neighbours,
                    },
                }
                for problem in measured["problems"]:
                    print(f"  WARNING: {problem}")
                server.check_alive()
        store = data.store()
        outcome["dataset"]["rows_at_end"] = store.count_rows()
        outcome["dataset"]["size_bytes_at_end"] = store.size_bytes()
        store.close()
        return outcome
    finally:
        if cluster is not None:
            cluster.stop()


def dataset_facts(data: datasets.Dataset) -> dict[str, Any]:
    """The dataset as reported."""
    meta = data.meta
    return {
        "name": data.name,
        "areas": meta.get("areas"),
        "sensors": meta.get("sensors"),
        "minutes_per_sensor": meta.get("minutes_per_sensor"),
        "generated_rows": meta.get("rows"),
        "generated_at": meta.get("generated_at"),
        "generation_timings_s": meta.get("timings"),
        "size_bytes_after_generation": meta.get("size_bytes_after_generation"),
    }


MET = {True: "yes", False: "NO", None: "-"}


def table(results: dict[str, Any]) -> str:
    """The figures as a text table."""
    header = (
        f"{'database':<11} {'scenario':<38} {'figure':>17} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'health req/s':>12} {'h. p99 ms':>9}  {'target':<28} met"
    )
    lines = [header, "-" * len(header)]
    for backend, outcome in results["databases"].items():
        for entry in outcome["scenarios"].values():
            w, b = entry["wrk"], entry["baseline"]
            lines.append(
                f"{backend:<11} {entry['title']:<38} {entry['figure']:>9,.0f} {entry['unit']:<7}"
                f" {w['latency_ms'].get('p50', 0):>7.1f} {w['latency_ms'].get('p99', 0):>7.1f}"
                f" {b['requests_per_second']:>12,.0f} {b['latency_ms'].get('p99', 0):>9.1f}"
                f"  {entry['target']:<28} {MET[entry['met']]}"
            )
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    """The figures as a Markdown table, with the server and database CPU time per request."""
    lines = [
        "| Database | Scenario | Figure | p50 ms | p99 ms | CPU ms/request (server + database)"
        " | Health req/s (p99 ms) | Target | Met |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for backend, outcome in results["databases"].items():
        for entry in outcome["scenarios"].values():
            w, b = entry["wrk"], entry["baseline"]
            cpu = entry.get("server_cpu_ms_per_request")
            database = entry.get("database_cpu_ms_per_request") or 0.0
            cost = f"{cpu:.2f} + {database:.2f}" if cpu is not None else "-"
            lines.append(
                f"| {backend} | {entry['title']} | {entry['figure']:,.0f} {entry['unit']}"
                f" | {w['latency_ms'].get('p50', 0):.1f} | {w['latency_ms'].get('p99', 0):.1f} | {cost}"
                f" | {b['requests_per_second']:,.0f} ({b['latency_ms'].get('p99', 0):.1f})"
                f" | {entry['target']} | {MET[entry['met']]} |"
            )
    return "\n".join(lines) + "\n"


def stop_on_sigterm(_signum: int, _frame: object) -> None:
    """Turn SIGTERM into SystemExit so that the server and the cluster are stopped on the way out."""
    raise SystemExit(143)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; the exit status is 0 even when a target is missed (they are not tests)."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    # This process (dataset work, the live feeder) keeps off the server's core, like wrk.
    os.sched_setaffinity(0, {int(wrk.LOAD_CORE)})
    QUIET_TIMEOUT[0] = args.wait_quiet
    DATABASE_ON_SERVER_CORE[0] = args.postgres_cores.strip() == SERVER_CORE
    os.chdir(ROOT)
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "command": "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": machine(),
        "settings": {
            "duration_s": args.duration,
            "threads": args.threads,
            "warmup_s": WARMUP_SECONDS,
            "server_core": 0,
            "load_core": 1,
            "postgres_cores": args.postgres_cores,
            "dataset": "small" if args.skip_year else "year",
        },
        "databases": {},
    }
    for backend in backends:
        results["databases"][backend] = run_database(backend, args, stamp)
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    if args.prepare_only:
        for backend, outcome in results["databases"].items():
            print(f"{backend}: {json.dumps(outcome['dataset'])}")
        return 0
    output = RESULTS / f"run-{stamp}.json"
    output.write_text(json.dumps(results, indent=1))
    output.with_suffix(".md").write_text(markdown(results))
    print()
    print(table(results))
    for backend, outcome in results["databases"].items():
        for entry in outcome["scenarios"].values():
            if "uncached_ms" in entry:
                print(
                    f"{backend}: one uncached /api/v1/areas answer takes {entry['uncached_ms']['median']} ms "
                    f"(median of {entry['uncached_ms']['samples']}, max {entry['uncached_ms']['max']} ms)"
                )
    print(f"\nresults: {output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
