"""Calibration over the API: sessions by operators, a fitted factor that is logged and used from its start."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, FakeClock, bearer, presence

OPERATOR = "operator-token-for-tests"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, demo=False, operator_token=OPERATOR)


def session(start: datetime, people: int) -> dict[str, Any]:
    return {"start": start.isoformat(), "end": (start + timedelta(minutes=15)).isoformat(), "people": people}


def feed(client: Any, token: str, start: datetime, devices: int, windows: int = 3) -> None:
    counts = [presence(start + timedelta(minutes=5 * i), devices) for i in range(windows)]
    assert client.post("/api/v1/counts", json={"counts": counts}, headers=bearer(token)).status_code == 200


def test_a_sensor_is_uncalibrated_until_enough_sessions_are_fitted_and_then_estimates_use_the_factor(
    client: Any, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    token = town("domplatz", interval=300)["domplatz-1"]
    url = "/api/v1/sensors/domplatz-1/calibration"
    status = client.get(url).json()
    assert status["calibrated"] is False and status["current"]["method"] == "uncalibrated"
    morning = clock.now.replace(hour=6)
    feed(client, token, morning - timedelta(hours=1), 10)  # before any session: stays uncalibrated
    plan = [(0, 10, 15), (1, 20, 30), (2, 30, 45), (3, 40, 300)]  # the last one: a tour group walked by
    for hour, devices, people in plan:
        feed(client, token, morning + timedelta(hours=hour), devices)
        answer = client.post(
            f"{url}/sessions", json=session(morning + timedelta(hours=hour), people), headers=bearer(OPERATOR)
        )
        assert answer.status_code == 201, answer.text
    fitted = client.post(f"{url}/fit", json={}, headers=bearer(OPERATOR))
    assert fitted.status_code == 200, fitted.text
    assert fitted.json()["factor"] == pytest.approx(1.5)
    assert fitted.json()["stored"]["valid_from"] == morning.isoformat()
    status = client.get(url).json()
    assert status["calibrated"] is True and status["sessions"] == 4 and len(status["versions"]) == 1
    feed(client, token, clock.now - timedelta(minutes=15), 10)
    area = client.get("/api/v1/areas").json()["areas"][0]
    assert area["people"]["estimate"] == 15
    log = client.app.state.services.database
    with log.reading() as reader:
        kinds = [kind for _seq, kind, _body in reader.log.about("sensor:domplatz-1")]
    assert kinds.count("calibration.session_recorded") == 4 and kinds[-1] == "calibration.added"


def test_a_fit_needs_enough_sessions(
    client: Any, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    url = "/api/v1/sensors/domplatz-1/calibration"
    client.post(f"{url}/sessions", json=session(clock.now - timedelta(hours=1), 20), headers=bearer(OPERATOR))
    answer = client.post(f"{url}/fit", json={}, headers=bearer(OPERATOR))
    assert answer.status_code == 422
    assert "at least 3" in answer.json()["errors"][0]["message"]


def test_sessions_need_the_operator_token_and_sane_times(
    client: Any, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    url = "/api/v1/sensors/domplatz-1/calibration/sessions"
    body = session(clock.now - timedelta(hours=1), 20)
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers=bearer("guess")).status_code == 401
    backwards = {**body, "end": (clock.now - timedelta(hours=2)).isoformat()}
    assert client.post(url, json=backwards, headers=bearer(OPERATOR)).status_code == 422
    future = session(clock.now + timedelta(hours=1), 20)
    assert client.post(url, json=future, headers=bearer(OPERATOR)).status_code == 422
    unknown = client.post("/api/v1/sensors/nowhere/calibration/sessions", json=body, headers=bearer(OPERATOR))
    assert unknown.status_code == 404
    assert client.get(url, headers=bearer(OPERATOR)).json() == []
    client.app.state.services.settings.operator_token = None
    assert client.post(url, json=body, headers=bearer(OPERATOR)).status_code == 503


def test_a_newer_fit_takes_over_from_its_start_and_the_older_version_is_kept(
    client: Any, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    token = town("domplatz", interval=300)["domplatz-1"]
    url = "/api/v1/sensors/domplatz-1/calibration"
    morning = clock.now.replace(hour=5)
    for hour, people in ((0, 15), (1, 15), (2, 15), (3, 30), (4, 30), (4.5, 30)):
        start = morning + timedelta(hours=hour)
        feed(client, token, start, 10)
        client.post(f"{url}/sessions", json=session(start, people), headers=bearer(OPERATOR))
    first = client.post(f"{url}/fit", json={"since": morning.isoformat()}, headers=bearer(OPERATOR))
    later = morning + timedelta(hours=3)
    second = client.post(f"{url}/fit", json={"since": later.isoformat()}, headers=bearer(OPERATOR))
    assert second.json()["factor"] == pytest.approx(3.0)
    assert first.json()["sessions_used"] == [1, 2, 3, 4, 5, 6]
    versions = client.get(url).json()["versions"]
    assert [v["valid_from"] for v in versions] == [morning.isoformat(), later.isoformat()]
    assert versions[0]["in_use_until"] == later.isoformat() and versions[1]["in_use_until"] is None
    assert client.get(url).json()["current"]["factor"] == pytest.approx(3.0)
