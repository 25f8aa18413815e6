"""TTN webhook throughput: `python -m bench.ingest_ttn [--seconds 15]` (by hand, not part of the tests).

One `freiweg serve` process on SQLite (pinned to core 0) takes TTN v3 uplink messages from wrk in
a separate process (pinned to core 1): each request is a new uplink of one of 200 registered
Paxcounters, stored as one count before the 200 answer. GET /api/v1/health with the same wrk
settings, before and after, is the baseline of what the machine and the HTTP stack can do at that
moment; the spread of the two baselines shows how noisy the machine was.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import wrk
from bench.ingest_common import TTN_SECRET, machine_load, prepare, server_env
from bench.server import Server
from bench.wrk import WrkSettings

TARGET = 1000.0


def main() -> None:
    """Run the benchmark and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sensors", type=int, default=200)
    options = parser.parse_args()
    settings = WrkSettings(threads=2, connections=options.connections, duration=options.seconds)
    with tempfile.TemporaryDirectory(prefix="freiweg-bench-ttn-") as folder:
        workdir = Path(folder)
        url, euis = prepare(workdir, sensors=options.sensors)
        eui_file = workdir / "euis.txt"
        eui_file.write_text("\n".join(euis) + "\n")
        load_before = machine_load()
        with Server(server_env(url), workdir / "server.log") as server:
            before = wrk.run(f"{server.base_url}/api/v1/health", settings)
            server.wait_idle()
            base = int(time.time()) - 60
            args = [str(eui_file), str(base), str(settings.threads), TTN_SECRET]
            uplinks = wrk.run(server.base_url, settings, script="ttn_uplink.lua", args=args)
            server.wait_idle()
            after = wrk.run(f"{server.base_url}/api/v1/health", settings)
        engine = create_engine(url)
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT count(*) FROM counts")).scalar_one()
        engine.dispose()
    baselines = [before.requests_per_second, after.requests_per_second]
    report = {
        "benchmark": "ttn webhook, SQLite, one server process",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_before": load_before,
        "load_after": machine_load(),
        "command": uplinks.command,
        "uplinks_per_second": uplinks.requests_per_second,
        "target": TARGET,
        "p99_ms": uplinks.p99_ms,
        "stored_new": uplinks.new,
        "duplicates": uplinks.known,
        "failed": uplinks.failed,
        "counts_in_database": stored,
        "health_baseline_rps": baselines,
        "baseline_spread_percent": round(100 * abs(baselines[0] - baselines[1]) / max(baselines), 1),
        "uplinks_vs_baseline": round(uplinks.requests_per_second / (sum(baselines) / 2), 3),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
