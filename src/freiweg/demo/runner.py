"""`freiweg demo`: set up the demo old town, start the server and feed it through the real HTTP intake."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import orjson

from freiweg.demo.edge_wifi import edge_count
from freiweg.demo.feedback import prepare_feedback
from freiweg.demo.places import DEMO_PLACES
from freiweg.demo.sensors import DEMO_SENSORS
from freiweg.demo.simulation import SimulatedSensor, window_starts
from freiweg.demo.survey import seed_demo_survey
from freiweg.demo.walking_graph import demo_graph_document
from freiweg.domain.sensors import Location
from freiweg.services.registry import Services
from freiweg.settings import Settings

DEMO_METHOD = "demo: simulated calibration, not a real measurement"
BATCH = 1000


def town_document() -> dict[str, object]:
    """The demo old town's areas as a GeoJSON FeatureCollection."""
    text = resources.files("freiweg.demo").joinpath("town.geojson").read_text(encoding="utf-8")
    document: dict[str, object] = orjson.loads(text)
    return document


def prepare_town(services: Services, sensors: tuple[SimulatedSensor, ...] = DEMO_SENSORS) -> dict[str, str]:
    """Import the areas, register (or re-key) the simulated sensors and calibrate them; return tokens."""
    services.areas.import_areas(town_document())
    known = {s.id for s in services.sensors.list_sensors()}
    tokens = {}
    for sensor in sensors:
        if sensor.id in known:
            tokens[sensor.id] = services.sensors.rotate_token(sensor.id).token
            continue
        issued = services.sensors.add(
            sensor.id,
            area_id=sensor.area_id,
            kind=sensor.kind,
            location=Location(sensor.lon, sensor.lat),
            interval_seconds=sensor.interval_seconds,
        )
        tokens[sensor.id] = issued.token
        services.sensors.calibrate(
            sensor.id,
            factor=sensor.factor,
            low=sensor.low,
            high=sensor.high,
            valid_from=datetime(2020, 1, 1, tzinfo=UTC),
            method=DEMO_METHOD,
        )
    services.transparency.disclosures.publish_missing()  # each sensor page shows a published disclosure
    prepare_guidance(services)
    prepare_feedback(services)  # a few published questions and ideas with answers, marked demo
    seed_demo_survey(services)  # a few months of simulated survey answers, marked demo
    return tokens


def prepare_guidance(services: Services) -> None:
    """Store the demo town's real-named places and its walking graph."""
    for place in DEMO_PLACES:
        services.guidance.places.save_place(place)
    services.guidance.places.import_graph(demo_graph_document())


@dataclass
class DemoFeeder:
    """Posts the simulated sensors' counts to a running freiweg, as real sensors would."""

    base_url: str
    tokens: dict[str, str]
    zone: ZoneInfo
    sensors: tuple[SimulatedSensor, ...] = DEMO_SENSORS
    sent_until: dict[str, datetime] = field(default_factory=dict)
    # Wi-Fi sensors are edge agents on simulated traffic for windows this close to `until` (and so
    # for every live window); older history uses the profile numbers, to keep start-up short.
    edge_history: timedelta = timedelta(hours=1)

    def value(self, sensor: SimulatedSensor, begin: datetime, until: datetime) -> int:
        """The count a sensor sends for the window starting at begin."""
        if sensor.kind == "wifi" and begin >= until - self.edge_history:
            return edge_count(sensor, begin, self.zone)
        return sensor.devices(begin, self.zone)

    def feed(self, since: datetime, until: datetime, progress: Callable[[int], None] | None = None) -> int:
        """Send every window of every sensor between since and until; return how many were new."""
        new = 0
        with httpx.Client(base_url=self.base_url, timeout=30) as client:
            for sensor in self.sensors:
                start = self.sent_until.get(sensor.id, since)
                counts = [
                    {
                        "start": begin.isoformat(),
                        "end": (begin + timedelta(seconds=sensor.interval_seconds)).isoformat(),
                        "kind": "presence",
                        "value": self.value(sensor, begin, until),
                    }
                    for begin in window_starts(start, until, sensor.interval_seconds)
                    if not sensor.silent_at(
                        (begin + timedelta(seconds=sensor.interval_seconds)).astimezone(self.zone)
                    )
                ]
                for offset in range(0, len(counts), BATCH):
                    batch = counts[offset : offset + BATCH]
                    new += self._post(client, sensor.id, batch)
                    if progress:
                        progress(len(batch))
                self.sent_until[sensor.id] = until
        return new

    def _post(self, client: httpx.Client, sensor_id: str, batch: list[dict[str, object]]) -> int:
        for attempt in range(5):
            try:
                answer = client.post(
                    "/api/v1/counts",
                    content=orjson.dumps({"counts": batch}),
                    headers={
                        "Authorization": f"Bearer {self.tokens[sensor_id]}",
                        "Content-Type": "application/json",
                    },
                )
            except httpx.TransportError:
                time.sleep(0.5 * 2**attempt)
                continue
            answer.raise_for_status()
            return int(answer.json()["new"])
        raise RuntimeError(f"could not deliver counts of {sensor_id}")

    def windows_between(self, since: datetime, until: datetime) -> int:
        """How many windows feed() would send between since and until."""
        return sum(len(window_starts(since, until, s.interval_seconds)) for s in self.sensors)


def wait_until_up(base_url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait for the server's health endpoint, or fail when the server exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the freiweg server exited during start-up")
        try:
            if httpx.get(f"{base_url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the freiweg server did not come up in time")


def start_server(settings: Settings, host: str, port: int) -> subprocess.Popen[bytes]:
    """Run `freiweg serve` in demo mode as a child process."""
    environment = dict(os.environ)
    environment.update(
        FREIWEG_DEMO="1",
        FREIWEG_DATABASE_URL=settings.database_url,
        FREIWEG_HOST=host,
        FREIWEG_PORT=str(port),
        FREIWEG_PUBLIC_URL=f"http://{host}:{port}",
    )
    return subprocess.Popen([sys.executable, "-m", "freiweg", "serve"], env=environment)


def demo_settings(data_dir: Path) -> Settings:
    """Settings of the demo installation: its own SQLite file, demo labels on."""
    return Settings(database_url=f"sqlite:///{data_dir / 'demo.db'}", demo=True)


__all__ = ["DemoFeeder", "demo_settings", "prepare_town", "start_server", "wait_until_up"]
