"""GET /api/v1/areas and /api/v1/areas/{id}: honest crowd figures with interval, time and freshness."""

from __future__ import annotations

from datetime import timedelta

from freiweg.services.registry import Services
from tests.conftest import FakeClock, bearer, presence


def send(client, token: str, clock: FakeClock, value: int, *, minutes_ago: int = 0) -> None:
    start = clock.now - timedelta(minutes=minutes_ago + 5)
    answer = client.post("/api/v1/counts", json={"counts": [presence(start, value)]}, headers=bearer(token))
    assert answer.status_code == 200, answer.text


def test_every_area_has_names_geometry_level_estimate_interval_density_and_time(client, town, clock) -> None:
    token = town("domplatz", walkable_m2=1000)["domplatz-1"]
    send(client, token, clock, 300)
    area = client.get("/api/v1/areas").json()["areas"][0]
    assert area["name"] == {"de": "Domplatz (de)", "en": "Domplatz (en)"}
    assert area["geometry"]["type"] == "Polygon"
    assert area["status"] == "live"
    # uncalibrated: one device is one person, interval 0.5-2x
    assert area["people"] == {"estimate": 300, "low": 150, "high": 600, "interval": 0.8}
    assert area["density"] == 0.3
    assert area["level"] == "busy"
    assert area["updated_at"] == "2026-06-13T12:00:00+02:00"


def test_a_calibration_turns_devices_into_people(client, town, clock, services: Services) -> None:
    token = town("domplatz")["domplatz-1"]
    services.sensors.calibrate(
        "domplatz-1",
        factor=0.8,
        low=0.7,
        high=0.9,
        valid_from=clock.now - timedelta(days=1),
        method="manual count",
    )
    send(client, token, clock, 100)
    assert client.get("/api/v1/areas").json()["areas"][0]["people"] == {
        "estimate": 80,
        "low": 70,
        "high": 90,
        "interval": 0.8,
    }


def test_a_silent_sensor_turns_its_area_to_no_data_with_the_time_of_the_last_count(
    client, town, clock
) -> None:
    token = town("domplatz", interval=300)["domplatz-1"]
    send(client, token, clock, 300)
    clock.advance(minutes=11)
    area = client.get("/api/v1/areas").json()["areas"][0]
    assert area["status"] == "no_data"
    assert area["people"] is None and area["level"] is None and area["density"] is None
    assert area["last_data_at"] == "2026-06-13T12:00:00+02:00"


def test_an_area_page_has_todays_series_in_quarter_hours(client, town, clock) -> None:
    token = town("domplatz")["domplatz-1"]
    for minutes_ago in (0, 5, 10, 15, 20):
        send(client, token, clock, 100 + minutes_ago, minutes_ago=minutes_ago)
    detail = client.get("/api/v1/areas/domplatz").json()
    starts = [point["start"] for point in detail["today"]]
    assert starts == ["2026-06-13T11:30:00+02:00", "2026-06-13T11:45:00+02:00"]
    assert detail["today"][1]["people"]["estimate"] == round((110 + 105 + 100) / 3)
    assert detail["people"]["estimate"] == 100


def test_an_unknown_area_is_a_404_problem(client) -> None:
    answer = client.get("/api/v1/areas/atlantis")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_busier_than_usual_appears_once_four_weeks_of_history_exist(client, town, clock) -> None:
    token = town("domplatz")["domplatz-1"]
    for weeks in (1, 2, 3):
        send(client, token, clock, 100, minutes_ago=weeks * 7 * 24 * 60 - 10)
    send(client, token, clock, 200)
    assert client.get("/api/v1/areas").json()["areas"][0]["usual"] is None
    send(client, token, clock, 100, minutes_ago=4 * 7 * 24 * 60 - 10)
    usual = client.get("/api/v1/areas").json()["areas"][0]["usual"]
    assert usual == {"comparison": "busier", "usual_people": 100}


def test_an_unchanged_answer_is_not_sent_again(client, town, clock) -> None:
    token = town("domplatz")["domplatz-1"]
    send(client, token, clock, 10)
    first = client.get("/api/v1/areas")
    again = client.get("/api/v1/areas", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    send(client, token, clock, 20, minutes_ago=-5)
    changed = client.get("/api/v1/areas", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200
    assert changed.json()["areas"][0]["people"]["estimate"] == 20


def test_the_answer_changes_when_time_alone_makes_a_sensor_silent(client, town, clock) -> None:
    token = town("domplatz", interval=300)["domplatz-1"]
    send(client, token, clock, 10)
    first = client.get("/api/v1/areas")
    clock.advance(minutes=11)
    later = client.get("/api/v1/areas", headers={"If-None-Match": first.headers["etag"]})
    assert later.status_code == 200
    assert later.json()["areas"][0]["status"] == "no_data"


def test_the_list_of_areas_is_documented_in_openapi(client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/areas" in paths and "/api/v1/areas/{area_id}" in paths


def test_a_client_that_accepts_gzip_gets_the_same_answer_compressed(client, town, clock) -> None:
    token = town("domplatz")["domplatz-1"]
    send(client, token, clock, 42)
    plain = client.get("/api/v1/areas", headers={"Accept-Encoding": "identity"})
    compressed = client.get("/api/v1/areas", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert compressed.headers["content-encoding"] == "gzip"
    assert compressed.json() == plain.json()
    assert compressed.headers["etag"] == plain.headers["etag"]
