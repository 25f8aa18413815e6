"""Sensor health in the console and the public status page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from freiweg.services.registry import Services
from tests.conftest import FakeClock, bearer, presence
from tests.support.console import signed_in

CODE = "ab" * 32


def upload(
    client: TestClient, token: str, clock: FakeClock, minutes_ago: int, *, report: bool = False
) -> None:
    """One five-minute count ending minutes_ago before now, optionally with an agent report."""
    body: dict[str, object] = {"counts": [presence(clock.now - timedelta(minutes=minutes_ago + 5), 4)]}
    if report:
        body["agent"] = {
            "version": "1.0",
            "code_sha256": CODE,
            "config_sha256": "cd" * 32,
            "clock_synced": True,
            "queue_dropped": 3,
        }
    answer = client.post("/api/v1/counts", json=body, headers=bearer(token))
    assert answer.status_code == 200, answer.text


def test_a_stopped_sensor_shows_as_silent_within_two_intervals(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz", interval=300)
    upload(client, tokens["domplatz-1"], clock, 0)
    assert client.get("/status.json").json()["sensors"][0]["live"] is True
    clock.advance(minutes=9)
    assert client.get("/status.json").json()["sensors"][0]["live"] is True
    clock.advance(minutes=2)
    status = client.get("/status.json").json()
    assert status["sensors"][0]["live"] is False
    assert (status["live"], status["total"]) == (0, 1)


def test_the_public_status_shows_no_internal_detail(
    client: TestClient, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz")
    upload(client, tokens["domplatz-1"], clock, 0, report=True)
    status = client.get("/status.json").json()
    assert set(status["sensors"][0]) == {"id", "area", "live", "last_count_end"}
    page = client.get("/status")
    assert page.status_code == 200 and "domplatz-1" in page.text
    assert CODE not in page.text and "queue" not in page.text.lower()
    assert "Which sensors" in client.get("/status?lang=en").text


def test_staff_health_shows_gaps_software_clock_and_queue_drops(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    tokens = town("domplatz")
    clock.advance(hours=2)
    upload(client, tokens["domplatz-1"], clock, 60, report=True)
    upload(client, tokens["domplatz-1"], clock, 0, report=True)
    signed_in(client, services, "analyst")
    sensor = client.get("/console/health.json").json()["sensors"][0]
    assert sensor["live"] is True
    assert sensor["gaps_7d"] == 2  # before the first count and between the two
    assert sensor["software"] == {"state": "not_in_log", "reported_sha256": CODE, "release": None}
    services.transparency.releases.add("1.0", CODE)
    sensor = client.get("/console/health.json").json()["sensors"][0]
    assert sensor["software"]["state"] == "logged"
    assert (sensor["clock_synced"], sensor["queue_dropped"]) == (True, 3)
    assert "domplatz-1" in client.get("/console/health").text
