"""Shared fixtures: a controllable clock, databases (SQLite and a throwaway PostgreSQL), services, apps."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from freiweg.bootstrap import build_services, create_app
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.support.postgres import PostgresCluster, start_cluster
from tests.support.webhooks import Hook

TEST_SECRET = "test-secret-not-for-production-0123456789"


@dataclass
class FakeClock:
    """A clock tests move by hand."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move time forward."""
        self.now = self.now + timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    """A clock standing at a Saturday noon in Bamberg (11:00 UTC)."""
    return FakeClock(datetime(2026, 6, 13, 10, 0, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL cluster for the whole run, started from Debian's binaries."""
    url = os.environ.get("FREIWEG_TEST_POSTGRES_URL")
    if url:
        yield PostgresCluster(url=url, stop=lambda: None)
        return
    workdir = Path(tempfile.mkdtemp(prefix="freiweg-pg-"))
    cluster = start_cluster(workdir)
    if cluster is None:
        if os.environ.get("FREIWEG_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL binaries not found; install Debian's postgresql package")
        pytest.skip("PostgreSQL binaries not found")
    yield cluster
    cluster.stop()
    shutil.rmtree(workdir, ignore_errors=True)


_database_counter = 0


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'freiweg.db'}"
        return
    global _database_counter
    _database_counter += 1
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = f"freiweg_test_{os.getpid()}_{_database_counter}"
    yield cluster.create_database(name)
    cluster.drop_database(name)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings for a test installation on the parametrised database."""
    return Settings(database_url=database_url, secret_key=TEST_SECRET, demo=False)


@pytest.fixture
def services(settings: Settings, clock: FakeClock) -> Iterator[Services]:
    """Services on a migrated, empty database."""
    built = build_services(settings, clock=clock)
    yield built
    built.database.dispose()


@pytest.fixture
def client(settings: Settings, clock: FakeClock, services: Services) -> Iterator[Any]:
    """An HTTP client for the app on the same database and clock as `services`."""
    from fastapi.testclient import TestClient

    app = create_app(settings, clock=clock)
    with TestClient(app) as test_client:
        yield test_client
    app.state.services.database.dispose()


def square(lon: float, lat: float, size: float = 0.001) -> list[list[list[float]]]:
    """A closed square ring of size degrees with its south-west corner at lon, lat."""
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


def area_feature(
    area_id: str, *, walkable_m2: float = 1000.0, lon: float = 10.88, lat: float = 49.89, **properties: Any
) -> dict[str, Any]:
    """A GeoJSON Feature for an area."""
    return {
        "type": "Feature",
        "properties": {
            "id": area_id,
            "name_de": f"{area_id.title()} (de)",
            "name_en": f"{area_id.title()} (en)",
            "category": "square",
            "walkable_m2": walkable_m2,
            **properties,
        },
        "geometry": {"type": "Polygon", "coordinates": square(lon, lat)},
    }


def feature_collection(*features: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def town(services: Services) -> Callable[..., dict[str, str]]:
    """Create areas with one sensor each; returns sensor id -> token."""

    def make(
        *area_ids: str, kind: str = "wifi", interval: int = 300, walkable_m2: float = 1000.0
    ) -> dict[str, str]:
        features = [
            area_feature(a, walkable_m2=walkable_m2, lon=10.88 + i * 0.002) for i, a in enumerate(area_ids)
        ]
        services.areas.import_areas(feature_collection(*features))
        tokens = {}
        for area_id in area_ids:
            issued = services.sensors.add(
                f"{area_id}-1", area_id=area_id, kind=kind, interval_seconds=interval
            )
            tokens[issued.id] = issued.token
        return tokens

    return make


def presence(start: datetime, value: int, *, minutes: int = 5) -> dict[str, Any]:
    """A presence count in the push format."""
    return {
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=minutes)).isoformat(),
        "kind": "presence",
        "value": value,
    }


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a sensor token."""
    return {"Authorization": f"Bearer {token}"}


def count_rows(url: str) -> int:
    """How many counts the database holds, read directly."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as connection:
        value = int(connection.execute(text("SELECT count(*) FROM counts")).scalar_one())
    engine.dispose()
    return value


__all__ = ["FakeClock", "area_feature", "bearer", "count_rows", "feature_collection", "json", "presence"]


@pytest.fixture
def hook() -> Iterator[Hook]:
    """A running webhook receiver on loopback."""
    receiver = Hook()
    yield receiver
    receiver.stop()
