"""The forecast API: hourly values with intervals, model version and reasons; events for operators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, FakeClock, bearer
from tests.integration.test_forecasts import feed

OPERATOR = "operator-token-for-tests"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, demo=False, operator_token=OPERATOR)


def test_the_forecast_of_an_area_has_48_hours_with_intervals_model_and_reasons(
    client: Any, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz")
    feed(services, tokens["domplatz-1"], clock, weeks=3)
    start = clock() + timedelta(hours=2)
    event = {"name": "Sandkerwa", "start": start.isoformat(), "end": (start + timedelta(hours=4)).isoformat()}
    added = client.post("/api/v1/events", json={**event, "areas": ["domplatz"]}, headers=bearer(OPERATOR))
    assert added.status_code == 201
    body = client.get("/api/v1/areas/domplatz/forecast").json()
    assert body["model_version"] == "profile-1"
    assert body["interval"] == 0.8
    assert len(body["hours"]) == 48
    assert set(body["hours"][0]) == {"start", "value", "low", "high", "reasons"}
    assert "event: Sandkerwa" in body["hours"][2]["reasons"]
    assert client.get("/api/v1/events").json()[0]["name"] == "Sandkerwa"


def test_unknown_areas_and_areas_without_data_get_a_clear_404(
    client: Any, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    missing = client.get("/api/v1/areas/nowhere/forecast")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    empty = client.get("/api/v1/areas/domplatz/forecast")
    assert empty.status_code == 404 and "no measurements" in empty.json()["detail"]


def test_the_forecast_of_a_sensor_has_48_hours_and_unknown_sensors_get_a_404(
    client: Any, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz")
    empty = client.get("/api/v1/sensors/domplatz-1/forecast")
    assert empty.status_code == 404 and "no measurements" in empty.json()["detail"]
    feed(services, tokens["domplatz-1"], clock, weeks=3)
    body = client.get("/api/v1/sensors/domplatz-1/forecast").json()
    assert (body["sensor_id"], body["area_id"]) == ("domplatz-1", "domplatz")
    assert body["model_version"] == "profile-1"
    assert len(body["hours"]) == 48
    assert all(h["low"] <= h["value"] <= h["high"] for h in body["hours"])
    missing = client.get("/api/v1/sensors/nowhere/forecast")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert "does not exist" in missing.json()["detail"]


def test_events_need_the_operator_token_and_bad_ones_are_refused(
    client: Any, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    start = clock()
    event = {"name": "Match", "start": start.isoformat(), "end": (start - timedelta(hours=1)).isoformat()}
    assert client.post("/api/v1/events", json=event).status_code == 401
    refused = client.post("/api/v1/events", json=event, headers=bearer(OPERATOR))
    assert refused.status_code == 422
    assert client.get("/api/v1/events").json() == []
    event["end"] = (start + timedelta(hours=2)).isoformat()
    added = client.post("/api/v1/events", json=event, headers=bearer(OPERATOR)).json()
    assert client.delete(f"/api/v1/events/{added['id']}").status_code == 401
    assert client.delete(f"/api/v1/events/{added['id']}", headers=bearer(OPERATOR)).status_code == 204
    assert client.delete(f"/api/v1/events/{added['id']}", headers=bearer(OPERATOR)).status_code == 404
