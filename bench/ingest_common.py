"""A throwaway installation with registered Paxcounters, shared by the ingest benchmarks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.support.log_keys import TEST_LOG_KEY

from freiweg.bootstrap import build_services
from freiweg.services.lorawan import LorawanService
from freiweg.settings import Settings

SECRET_KEY = "bench-secret-not-for-production-0123456789"
TTN_SECRET = "bench-ttn-webhook-secret"


def prepare(workdir: Path, *, sensors: int) -> tuple[str, list[str]]:
    """A migrated SQLite database with one area and `sensors` Paxcounters; returns its URL and DevEUIs."""
    url = f"sqlite:///{workdir / 'bench.db'}"
    built = build_services(Settings(database_url=url, secret_key=SECRET_KEY))
    ring = [[10.88, 49.89], [10.881, 49.89], [10.881, 49.891], [10.88, 49.891], [10.88, 49.89]]
    built.areas.import_areas(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "id": "domplatz",
                        "name_de": "Domplatz",
                        "name_en": "Cathedral Square",
                        "category": "square",
                        "walkable_m2": 4000,
                    },
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            ],
        }
    )
    lorawan = LorawanService(database=built.database, clock=built.clock)
    euis = []
    for number in range(sensors):
        sensor_id = f"pax-{number}"
        built.sensors.add(sensor_id, area_id="domplatz", kind="paxcounter", interval_seconds=60)
        euis.append(lorawan.register_device(sensor_id, dev_eui=f"70B3D57ED0{number:06X}"))
    built.database.dispose()
    return url, euis


def server_env(url: str) -> dict[str, str]:
    """Environment of a `freiweg serve` (or subscriber) process on the bench database."""
    return {
        **os.environ,
        "FREIWEG_DATABASE_URL": url,
        "FREIWEG_SECRET_KEY": SECRET_KEY,
        "FREIWEG_TTN_SECRET": TTN_SECRET,
        "FREIWEG_LOG_LEVEL": "warning",
        "FREIWEG_LOG_KEY": TEST_LOG_KEY,
    }


def machine_load() -> str:
    """`uptime` now, to record next to the figures."""
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
