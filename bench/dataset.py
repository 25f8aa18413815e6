"""The benchmark datasets: 50 areas, 200 one-minute Wi-Fi sensors and their counts.

Areas and sensors are created through freiweg's own command line and services, so the schema,
the transparency log and the revision are what a real installation has. The counts themselves
(a year of one-minute windows for the full dataset, 105,120,000 rows) are written directly into
the database, because pushing them through HTTP would take hours: on SQLite with the sqlite3
module in large transactions, on PostgreSQL with generate_series on the server. The matching
`count_hourly` sums and `sensor_latest` rows are written alongside, as the intake would.

Every value is a pure integer function of sensor and minute, so both databases hold identical
data. A generated dataset is kept under bench/results/data/ and reused by later runs; before the
areas benchmark it is topped up to the current minute so that every area is live.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import psycopg

from bench.postgres import Cluster

AREAS = 50
SENSORS_PER_AREA = 4
SENSOR_INTERVAL = 60
YEAR_MINUTES = 525_600
SMALL_MINUTES = 2 * 1440
SECRET = "bench-secret-not-for-production-7b2f1c9e4d"
KIND = "presence"

CountsFn = Callable[[int, np.ndarray], np.ndarray]


def daily_profile() -> np.ndarray:
    """Devices seen per minute of the UTC day before scaling: quiet nights, a peak mid-afternoon."""
    minutes = np.arange(1440)
    local_hour = (minutes / 60 + 1) % 24
    curve = 3 + 57 * np.exp(-(((local_hour - 14.5) / 4.0) ** 2))
    return curve.astype(np.int64)


PROFILE = daily_profile()


def sensor_scale(pk: int) -> int:
    """Per-sensor size of the crowd in per cent of the profile (50 to 150)."""
    return 50 + (pk * 37) % 101


def count_values(pk: int, starts: np.ndarray) -> np.ndarray:
    """The presence value of each one-minute window starting at starts (epoch seconds)."""
    minute = starts // 60
    weekend = ((starts // 86400) + 3) % 7 >= 5
    factor = np.where(weekend, 13, 10)
    noise = (minute * 7919 + pk * 104729) % 9 - 4
    values: np.ndarray = np.maximum(0, PROFILE[minute % 1440] * sensor_scale(pk) * factor // 1000 + noise)
    return values


# The same function in SQL, for generate_series on PostgreSQL (integer arithmetic only).
PG_VALUE = (
    "greatest(0, (%(profile)s::int[])[((t / 60) %% 1440) + 1] * %(scale)s"
    " * (CASE WHEN ((t / 86400) + 3) %% 7 >= 5 THEN 13 ELSE 10 END) / 1000"
    " + ((t / 60) * 7919 + %(pk)s * 104729) %% 9 - 4)"
)


def areas_document() -> dict[str, Any]:
    """50 square areas in a 10 x 5 grid around Bamberg's old town."""
    features = []
    for number in range(1, AREAS + 1):
        column, row = (number - 1) % 10, (number - 1) // 10
        lon, lat = 10.880 + column * 0.0012, 49.888 + row * 0.0012
        size = 0.001
        ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": area_id(number),
                    "name_de": f"Messfläche {number}",
                    "name_en": f"Bench area {number}",
                    "category": "square" if number % 3 == 0 else "street",
                    "walkable_m2": 1500.0 + (number * 131) % 5000,
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def area_id(number: int) -> str:
    """Id of the numbered area."""
    return f"bench-area-{number:02d}"


def sensor_id(number: int) -> str:
    """Id of the numbered sensor."""
    return f"bench-sensor-{number:03d}"


# -- progress --------------------------------------------------------------------------------


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal, progress lines otherwise (e.g. when output goes to a file)."""
    started = time.monotonic()
    if sys.stdout.isatty():
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        ) as bar:
            task = bar.add_task(label, total=total)
            yield lambda step: bar.advance(task, step)
        return
    done = 0
    last_print = 0.0

    def advance(step: int) -> None:
        nonlocal done, last_print
        done += step
        now = time.monotonic()
        if done == total or now - last_print >= 10:
            last_print = now
            elapsed = now - started
            remaining = elapsed / done * (total - done) if done else 0.0
            print(
                f"  {label}: {done}/{total} ({100 * done / total:.0f} %), "
                f"{elapsed:.0f} s elapsed, about {remaining:.0f} s to go",
                flush=True,
            )

    yield advance


# -- direct database access --------------------------------------------------------------------


class Store(Protocol):
    """Direct access to a benchmark database, bypassing freiweg for bulk work and inspection."""

    def add_minutes(self, pk: int, first: int, minutes: int) -> int:
        """Insert one-minute counts from first on, with their hourly sums; return rows."""

    def set_latest(self, pk: int, window_start: int, window_end: int, value: int) -> None:
        """Make this window the sensor's newest presence count."""

    def sensor_keys(self) -> dict[str, int]:
        """Sensor id -> key."""

    def latest_ends(self) -> dict[int, int]:
        """Newest window end per sensor key."""

    def oldest_start(self, pks: Iterable[int]) -> int | None:
        """The oldest window start among these sensors' counts."""

    def bump_revision(self) -> None:
        """Tell the servers that the read models changed."""

    def commit(self) -> None:
        """Commit the open transaction."""

    def bulk_mode(self) -> None:
        """Trade safety for speed while a new dataset is generated."""

    def finish_bulk(self) -> None:
        """Back to normal operation and fresh planner statistics after a bulk load."""

    def count_rows(self) -> int:
        """Rows in counts (the highest id; ids are never reused or skipped by the loaders)."""

    def size_bytes(self) -> int:
        """Bytes the database takes on disk."""

    def close(self) -> None:
        """Close the connection."""


class SqliteStore:
    """A benchmark SQLite database opened with the sqlite3 module."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._c = sqlite3.connect(path, timeout=60, isolation_level=None)
        self._c.execute("PRAGMA busy_timeout=60000")
        self._c.execute("PRAGMA cache_size=-1000000")
        self._in_tx = False

    def _begin(self) -> None:
        if not self._in_tx:
            self._c.execute("BEGIN IMMEDIATE")
            self._in_tx = True

    def add_minutes(self, pk: int, first: int, minutes: int) -> int:
        if minutes <= 0:
            return 0
        starts = first + 60 * np.arange(minutes, dtype=np.int64)
        values = count_values(pk, starts)
        self._begin()
        starts_list = starts.tolist()
        self._c.executemany(
            "INSERT INTO counts (sensor_pk, kind, window_start, window_end, direction, value, quality,"
            " received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            zip(
                repeat(pk),
                repeat(KIND),
                starts_list,
                (starts + 60).tolist(),
                repeat(""),
                values.tolist(),
                repeat(0),
                (starts + 65).tolist(),
                strict=False,
            ),
        )
        hours, totals, windows = hourly_sums(starts, values)
        self._c.executemany(
            "INSERT INTO count_hourly (sensor_pk, kind, direction, hour_start, total, windows)"
            " VALUES (?, ?, '', ?, ?, ?) ON CONFLICT (sensor_pk, kind, direction, hour_start)"
            " DO UPDATE SET total = total + excluded.total, windows = windows + excluded.windows",
            zip(repeat(pk), repeat(KIND), hours, totals, windows, strict=False),
        )
        return minutes

    def set_latest(self, pk: int, window_start: int, window_end: int, value: int) -> None:
        self._begin()
        self._c.execute(
            "INSERT INTO sensor_latest (sensor_pk, window_start, window_end, value) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (sensor_pk) DO UPDATE SET window_start = excluded.window_start,"
            " window_end = excluded.window_end, value = excluded.value"
            " WHERE excluded.window_end > sensor_latest.window_end",
            (pk, window_start, window_end, value),
        )

    def sensor_keys(self) -> dict[str, int]:
        return {str(s): int(pk) for s, pk in self._c.execute("SELECT id, pk FROM sensors").fetchall()}

    def latest_ends(self) -> dict[int, int]:
        return dict(self._c.execute("SELECT sensor_pk, window_end FROM sensor_latest").fetchall())

    def oldest_start(self, pks: Iterable[int]) -> int | None:
        oldest = None
        for pk in pks:
            row = self._c.execute(
                "SELECT window_start FROM counts WHERE sensor_pk = ? AND kind = ?"
                " ORDER BY window_start LIMIT 1",
                (pk, KIND),
            ).fetchone()
            if row is not None and (oldest is None or row[0] < oldest):
                oldest = int(row[0])
        return oldest

    def bump_revision(self) -> None:
        self._begin()
        self._c.execute("UPDATE read_model_revision SET value = value + 1 WHERE id = 1")

    def commit(self) -> None:
        if self._in_tx:
            self._c.execute("COMMIT")
            self._in_tx = False

    def bulk_mode(self) -> None:
        self._c.execute("PRAGMA journal_mode=OFF")
        self._c.execute("PRAGMA synchronous=OFF")

    def finish_bulk(self) -> None:
        self.commit()
        self._c.execute("ANALYZE")
        self._c.execute("PRAGMA journal_mode=WAL")
        self._c.execute("PRAGMA synchronous=NORMAL")

    def count_rows(self) -> int:
        return int(self._c.execute("SELECT coalesce(max(id), 0) FROM counts").fetchone()[0])

    def size_bytes(self) -> int:
        return sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if p.exists()
        )

    def close(self) -> None:
        self.commit()
        self._c.close()


BULK_TABLES = ("counts", "count_hourly")


class PostgresStore:
    """A benchmark PostgreSQL database opened with psycopg."""

    def __init__(self, dsn: str) -> None:
        self._c = psycopg.connect(dsn)
        self._profile = [int(v) for v in PROFILE]

    def add_minutes(self, pk: int, first: int, minutes: int) -> int:
        if minutes <= 0:
            return 0
        last = first + 60 * (minutes - 1)
        params = {"pk": pk, "first": first, "last": last, "scale": sensor_scale(pk), "profile": self._profile}
        self._c.execute(
            "INSERT INTO counts (sensor_pk, kind, window_start, window_end, direction, value, quality,"
            f" received_at) SELECT %(pk)s, 'presence', t, t + 60, '', {PG_VALUE}, 0, t + 65"
            " FROM generate_series(%(first)s::bigint, %(last)s::bigint, 60) AS t",
            params,
        )
        self._c.execute(
            "INSERT INTO count_hourly (sensor_pk, kind, direction, hour_start, total, windows)"
            " SELECT sensor_pk, kind, direction, window_start - window_start %% 3600, sum(value), count(*)"
            " FROM counts WHERE sensor_pk = %(pk)s AND kind = 'presence' AND direction = ''"
            " AND window_start BETWEEN %(first)s AND %(last)s GROUP BY 1, 2, 3, 4"
            " ON CONFLICT (sensor_pk, kind, direction, hour_start) DO UPDATE SET"
            " total = count_hourly.total + excluded.total, windows = count_hourly.windows + excluded.windows",
            params,
        )
        return minutes

    def set_latest(self, pk: int, window_start: int, window_end: int, value: int) -> None:
        self._c.execute(
            "INSERT INTO sensor_latest (sensor_pk, window_start, window_end, value) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (sensor_pk) DO UPDATE SET window_start = excluded.window_start,"
            " window_end = excluded.window_end, value = excluded.value"
            " WHERE excluded.window_end > sensor_latest.window_end",
            (pk, window_start, window_end, value),
        )

    def sensor_keys(self) -> dict[str, int]:
        rows = self._c.execute("SELECT id, pk FROM sensors").fetchall()
        self._c.commit()
        return {str(s): int(pk) for s, pk in rows}

    def latest_ends(self) -> dict[int, int]:
        rows = self._c.execute("SELECT sensor_pk, window_end FROM sensor_latest").fetchall()
        self._c.commit()
        return {int(pk): int(end) for pk, end in rows}

    def oldest_start(self, pks: Iterable[int]) -> int | None:
        oldest = None
        for pk in pks:
            row = self._c.execute(
                "SELECT window_start FROM counts WHERE sensor_pk = %s AND kind = %s"
                " ORDER BY window_start LIMIT 1",
                (pk, KIND),
            ).fetchone()
            if row is not None and (oldest is None or row[0] < oldest):
                oldest = int(row[0])
        self._c.commit()
        return oldest

    def bump_revision(self) -> None:
        self._c.execute("UPDATE read_model_revision SET value = value + 1 WHERE id = 1")

    def commit(self) -> None:
        self._c.commit()

    def bulk_mode(self) -> None:
        # Commits of the loader need not wait for the disk; the data is regenerated if lost. An
        # autovacuum of the growing table would only compete with the load for the same core.
        self._c.execute("SET synchronous_commit = off")
        for table in BULK_TABLES:
            self._c.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        self._c.commit()

    def finish_bulk(self) -> None:
        for table in BULK_TABLES:
            self._c.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
        self._c.commit()
        self._c.autocommit = True
        for table in ("counts", "count_hourly", "sensor_latest"):
            self._c.execute(f"VACUUM (ANALYZE) {table}")
        self._c.execute("ANALYZE")
        self._c.execute("CHECKPOINT")
        self._c.autocommit = False
        self._c.execute("SET synchronous_commit = on")

    def count_rows(self) -> int:
        value = self._c.execute("SELECT coalesce(max(id), 0) FROM counts").fetchone()
        self._c.commit()
        return int(value[0]) if value else 0

    def sessions(self) -> int:
        """Connections ever opened to this database (PostgreSQL 14 and later)."""
        value = self._c.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
        self._c.commit()
        return int(value[0]) if value else 0

    def size_bytes(self) -> int:
        value = self._c.execute("SELECT pg_database_size(current_database())").fetchone()
        self._c.commit()
        return int(value[0]) if value else 0

    def close(self) -> None:
        self._c.commit()
        self._c.close()


def hourly_sums(starts: np.ndarray, values: np.ndarray) -> tuple[list[int], list[int], list[int]]:
    """Hour starts with the sum of values and the number of windows in each hour."""
    hours = starts - starts % 3600
    keys, inverse = np.unique(hours, return_inverse=True)
    totals = np.bincount(inverse, weights=values).round().astype(np.int64)
    windows = np.bincount(inverse)
    return keys.tolist(), totals.tolist(), windows.tolist()


# -- the datasets ------------------------------------------------------------------------------


@dataclass
class Dataset:
    """A prepared benchmark database and what the load generator needs to use it."""

    backend: str
    name: str
    url: str
    tokens: dict[str, str]
    pks: dict[str, int]
    meta: dict[str, Any] = field(default_factory=dict)
    dsn: str = ""
    log_key: str = ""

    def store(self) -> Store:
        """Direct access to the database."""
        if self.backend == "sqlite":
            return SqliteStore(Path(self.url.removeprefix("sqlite:///")))
        return PostgresStore(self.dsn)

    def environment(self) -> dict[str, str]:
        """Environment for freiweg commands on this database."""
        return {
            **os.environ,
            "FREIWEG_DATABASE_URL": self.url,
            "FREIWEG_SECRET_KEY": SECRET,
            "FREIWEG_DEMO": "0",
            "FREIWEG_LOG_LEVEL": "warning",
            "FREIWEG_LOG_KEY": self.log_key,
        }


def log_key(data_dir: Path) -> str:
    """The file holding the benchmark's checkpoint signing key, made with `freiweg log keygen` once."""
    path = data_dir / "log.key"
    if not path.exists():
        made = subprocess.run(
            [sys.executable, "-m", "freiweg", "log", "keygen", "freiweg-bench"],
            check=True,
            capture_output=True,
            text=True,
        )
        path.write_text(made.stdout.strip() + "\n")
        path.chmod(0o600)
    return str(path)


def now_minute() -> int:
    """The start of the current minute in epoch seconds."""
    return int(time.time()) // 60 * 60


def prepare(
    backend: str,
    *,
    full: bool,
    workdir: Path,
    cluster: Cluster | None = None,
    log: Callable[[str], None] = print,
) -> Dataset:
    """The dataset of this backend and size, generated now unless an earlier run left it complete."""
    name = "year" if full else "small"
    minutes = YEAR_MINUTES if full else SMALL_MINUTES
    data_dir = workdir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    meta_path = data_dir / f"{backend}-{name}.json"
    if backend == "sqlite":
        db_path = data_dir / f"sqlite-{name}.db"
        url, dsn = f"sqlite:///{db_path}", ""
    else:
        assert cluster is not None
        url, dsn = cluster.url(f"freiweg_{name}"), cluster.dsn(f"freiweg_{name}")
    meta: dict[str, Any] = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if meta.get("complete"):
        if backend == "sqlite" and not db_path.exists():
            raise SystemExit(f"{meta_path} describes a dataset but {db_path} is missing; remove {meta_path}")
        if backend == "postgresql":
            assert cluster is not None
            if cluster.ensure_database(f"freiweg_{name}"):
                raise SystemExit(f"{meta_path} describes a dataset the cluster lacks; remove {meta_path}")
        log(f"{backend}: reusing the {name} dataset of {meta['generated_at']} ({meta['rows']:,} counts)")
        return Dataset(backend, name, url, meta["tokens"], meta["pks"], meta, dsn, log_key(data_dir))

    log(
        f"{backend}: generating the {name} dataset ({AREAS} areas, {AREAS * SENSORS_PER_AREA} sensors, "
        f"{minutes:,} one-minute counts each)"
    )
    # Only the files of an unfinished earlier generation of this same dataset are removed.
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    else:
        assert cluster is not None
        cluster.drop_database(f"freiweg_{name}")
        cluster.ensure_database(f"freiweg_{name}")
    dataset = Dataset(backend, name, url, {}, {}, {}, dsn, log_key(data_dir))
    timings: dict[str, float] = {}

    started = time.monotonic()
    env = dataset.environment()
    geojson = data_dir / "areas.geojson"
    geojson.write_text(json.dumps(areas_document(), ensure_ascii=False))
    for command in (["db", "upgrade"], ["area", "import", str(geojson)]):
        subprocess.run(
            [sys.executable, "-m", "freiweg", *command], env=env, check=True, stdout=subprocess.DEVNULL
        )
    dataset.tokens = register_sensors(url, dataset.log_key)
    timings["schema_areas_sensors_s"] = round(time.monotonic() - started, 1)

    store = dataset.store()
    dataset.pks = store.sensor_keys()
    store.bulk_mode()
    end = now_minute()
    first = end - minutes * 60
    started = time.monotonic()
    with progress(f"{backend} {name}: counts per sensor", len(dataset.pks)) as advance:
        for pk in sorted(dataset.pks.values()):
            store.add_minutes(pk, first, minutes)
            last = end - 60
            store.set_latest(pk, last, end, int(count_values(pk, np.array([last]))[0]))
            store.commit()
            advance(1)
    store.bump_revision()
    store.commit()
    timings["counts_s"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    store.finish_bulk()
    timings["analyze_s"] = round(time.monotonic() - started, 1)
    rows = len(dataset.pks) * minutes
    dataset.meta = {
        "complete": True,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "areas": AREAS,
        "sensors": len(dataset.pks),
        "minutes_per_sensor": minutes,
        "rows": rows,
        "first_window_start": first,
        "end": end,
        "timings": timings,
        "size_bytes_after_generation": store.size_bytes(),
        "tokens": dataset.tokens,
        "pks": dataset.pks,
    }
    store.close()
    meta_path.write_text(json.dumps(dataset.meta, indent=1))
    size_gb = dataset.meta["size_bytes_after_generation"] / 1e9
    log(
        f"{backend}: {rows:,} counts generated in {timings['counts_s']:.0f} s "
        f"(+ {timings['analyze_s']:.0f} s analyze), {size_gb:.1f} GB"
    )
    return dataset


def register_sensors(url: str, signing_key: str) -> dict[str, str]:
    """Register the sensors through freiweg's services and calibrate each; return id -> token."""
    from freiweg.bootstrap import build_services
    from freiweg.settings import Settings

    services = build_services(Settings(database_url=url, secret_key=SECRET, log_key=signing_key))
    tokens = {}
    try:
        for number in range(1, AREAS * SENSORS_PER_AREA + 1):
            sid = sensor_id(number)
            issued = services.sensors.add(
                sid,
                area_id=area_id((number - 1) // SENSORS_PER_AREA + 1),
                kind="wifi",
                interval_seconds=SENSOR_INTERVAL,
            )
            tokens[sid] = issued.token
            services.sensors.calibrate(
                sid,
                factor=1.4,
                low=0.9,
                high=2.1,
                valid_from=datetime(2020, 1, 1, tzinfo=UTC),
                method="benchmark: assumed factor",
            )
    finally:
        services.database.dispose()
    return tokens


def top_up(dataset: Dataset) -> tuple[int, int]:
    """Add the counts from each sensor's newest window up to the current minute.

    Returns the rows added and the end of every sensor's newest window (the current minute).

    The areas are live only while their sensors' newest counts are younger than two intervals,
    so this runs right before the areas are measured.
    """
    store = dataset.store()
    try:
        ends = store.latest_ends()
        end = now_minute()
        added = 0
        for pk in sorted(dataset.pks.values()):
            since = ends.get(pk, end)
            minutes = max(0, (end - since) // 60)
            if minutes:
                added += store.add_minutes(pk, since, minutes)
                last = end - 60
                store.set_latest(pk, last, end, int(count_values(pk, np.array([last]))[0]))
        store.bump_revision()
        store.commit()
    finally:
        store.close()
    return added, end


def intake_cursor(dataset: Dataset) -> int:
    """A minute boundary before every stored window: the intake benchmarks send windows before it."""
    store = dataset.store()
    try:
        oldest = store.oldest_start(dataset.pks.values())
    finally:
        store.close()
    base = oldest if oldest is not None else now_minute()
    return math.floor(base / 60) * 60
