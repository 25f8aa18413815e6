"""Console places and calibration pages: the same services as the CLI and API, nothing partial stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from freiweg.services.registry import Services
from tests.conftest import FakeClock, bearer, presence
from tests.support.console import signed_in

PLACE = {
    "place_id": "bamberger-dom",
    "name_de": "Bamberger Dom",
    "name_en": "Bamberg Cathedral",
    "category": "church",
    "area_id": "domplatz",
    "lat": "49,8908",
    "lon": "10.8826",
    "opening_hours": "Mo-Sa 09:00-18:00; Su 13:00-18:00",
    "capacity": "80",
    "visit_minutes": "40",
}


def test_an_editor_adds_edits_and_removes_a_place_seen_on_the_public_page(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    added = client.post("/console/places", data={**PLACE, "csrf": csrf}, headers={"accept-language": "en"})
    assert added.status_code == 201 and "Place bamberger-dom created." in added.text
    public = client.get("/places.json").json()
    assert "bamberger-dom" in str(public)
    form = client.get("/console/places?edit=bamberger-dom").text
    assert 'value="Bamberg Cathedral"' in form and "Mo-Sa 09:00-18:00" in form
    changed = client.post("/console/places", data={**PLACE, "capacity": "120", "csrf": csrf})
    assert changed.status_code == 200
    listed = client.get("/console/places.json").json()["places"]
    assert [(p["id"], p["capacity"], p["lat"]) for p in listed] == [("bamberger-dom", 120, 49.8908)]
    removed = client.post("/console/places/bamberger-dom/remove", data={"csrf": csrf}, follow_redirects=False)
    assert removed.status_code == 303
    assert client.get("/console/places.json").json()["places"] == []
    assert client.post("/console/places/bamberger-dom/remove", data={"csrf": csrf}).status_code == 404


def test_a_bad_place_names_each_field_keeps_the_form_and_stores_nothing(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    bad = {**PLACE, "lat": "149", "opening_hours": "always", "area_id": "nowhere", "csrf": csrf}
    answer = client.post("/console/places", data=bad)
    assert answer.status_code == 422
    for field in ("lat", "opening_hours", "area_id"):
        assert field in answer.text
    assert 'value="Bamberger Dom"' in answer.text
    assert services.guidance.places.places() == []
    assert client.post("/console/places", data={**PLACE}).status_code == 403


def feed(client: Any, token: str, start: Any, devices: int) -> None:
    counts = [presence(start + timedelta(minutes=5 * i), devices) for i in range(3)]
    assert client.post("/api/v1/counts", json={"counts": counts}, headers=bearer(token)).status_code == 200


def test_an_editor_records_corrects_and_fits_count_sessions_in_the_console(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    token = town("domplatz", interval=300)["domplatz-1"]
    csrf = signed_in(client, services, "editor")
    zone = ZoneInfo(services.settings.timezone)
    morning = clock.now.replace(hour=6)
    for hour, devices, people in [(0, 10, 15), (1, 20, 30), (2, 30, 99)]:
        start = morning + timedelta(hours=hour)
        feed(client, token, start, devices)
        local = start.astimezone(zone)
        answer = client.post(
            "/console/calibration/sessions",
            data={
                "csrf": csrf,
                "sensor": "domplatz-1",
                "start": local.strftime("%Y-%m-%dT%H:%M"),
                "end": (local + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M"),
                "people": str(people),
            },
        )
        assert answer.status_code == 201, answer.text
    sessions = client.get("/console/calibration.json?sensor=domplatz-1").json()["sessions"]
    assert [(s["people"], s["devices"]) for s in sessions] == [(15, 10.0), (30, 20.0), (99, 30.0)]
    last = sessions[-1]
    assert (
        f'value="{last["start"]}"'
        in client.get(f"/console/calibration?sensor=domplatz-1&edit={last['id']}").text
    )
    corrected = client.post(
        "/console/calibration/sessions",
        data={"csrf": csrf, "sensor": "domplatz-1", "session_id": str(last["id"]), "start": last["start"],
              "end": last["end"], "people": "45"},
    )  # fmt: skip
    assert corrected.status_code == 200, corrected.text
    preview = client.post(
        "/console/calibration/fit",
        data={"csrf": csrf, "sensor": "domplatz-1"},
        headers={"accept-language": "en"},
    )
    assert "Preview: factor 1.5" in preview.text
    assert client.get("/console/calibration.json?sensor=domplatz-1").json()["status"]["calibrated"] is False
    stored = client.post(
        "/console/calibration/fit", data={"csrf": csrf, "sensor": "domplatz-1", "store": "true"}
    )
    assert stored.status_code == 200
    status = client.get("/console/calibration.json?sensor=domplatz-1").json()["status"]
    assert status["calibrated"] is True and status["current"]["factor"] == pytest.approx(1.5)
    with services.database.reading() as reader:
        kinds = [kind for _, kind, _ in reader.log.about("sensor:domplatz-1")]
    assert kinds.count("calibration.session_recorded") == 3
    assert "calibration.session_changed" in kinds and kinds[-1] == "calibration.added"


def test_a_session_in_the_future_or_ending_before_it_starts_is_refused_by_field(
    client: TestClient, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")
    data = {"csrf": csrf, "sensor": "domplatz-1", "start": "2026-05-02T12:00", "end": "2026-05-02T11:00"}
    backwards = client.post("/console/calibration/sessions", data={**data, "people": "10"})
    assert (
        backwards.status_code == 422 and "end" in backwards.text and "must be after start" in backwards.text
    )
    not_a_number = client.post("/console/calibration/sessions", data={**data, "people": "many"})
    assert not_a_number.status_code == 422 and "people" in not_a_number.text
    assert client.get("/console/calibration.json").json()["sessions"] == []
