"""/metrics: Prometheus text behind a token, with request latency, counts, rejections and silent sensors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from freiweg.bootstrap import create_app
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import FakeClock, bearer, presence

TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def scraper(settings: Settings, clock: FakeClock, services: Services) -> Iterator[TestClient]:
    """A client of an app with a metrics token."""
    app = create_app(settings.model_copy(update={"metrics_token": TOKEN}), clock=clock)
    with TestClient(app) as client:
        yield client
    app.state.services.database.dispose()


def test_metrics_need_the_token(scraper: TestClient) -> None:
    assert scraper.get("/metrics").status_code == 401
    assert scraper.get("/metrics", headers=bearer("wrong")).status_code == 401
    assert scraper.get("/metrics", headers=bearer(TOKEN)).status_code == 200


def test_metrics_report_counts_latency_and_a_silent_sensor_without_tokens_or_ids_in_paths(
    scraper: TestClient, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz", "obstmarkt")
    answer = scraper.post(
        "/api/v1/counts",
        json={"counts": [presence(clock.now - timedelta(minutes=5), 9)]},
        headers=bearer(tokens["domplatz-1"]),
    )
    assert answer.status_code == 200
    scraper.get("/api/v1/areas/domplatz")
    text = scraper.get("/metrics", headers=bearer(TOKEN)).text
    assert "freiweg_counts_stored_total 1.0" in text
    assert 'freiweg_sensor_silent{sensor="domplatz-1"} 0.0' in text
    assert 'freiweg_sensor_silent{sensor="obstmarkt-1"} 1.0' in text
    assert 'freiweg_request_seconds_count{method="POST",route="/api/v1/counts",status="2xx"} 1.0' in text
    assert 'route="/api/v1/areas/{area_id}"' in text
    for secret in tokens.values():
        assert secret not in text
    assert TOKEN not in text
