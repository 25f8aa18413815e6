"""The area, places, route, planner, kiosk and widget pages, their JSON twins and the guidance API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from freiweg.services.registry import Services
from tests.conftest import FakeClock
from tests.web.guidance_support import crowd, guided_town

PAGES = [
    "/areas/domplatz",
    "/places",
    "/route?from=bamberger-dom&to=gabelmann",
    "/planner?place=bamberger-dom&place=altes-rathaus&size=20&day=2026-06-15",
    "/kiosk",
    "/widget",
]


@pytest.fixture
def guided(services: Services) -> Services:
    """The demo town's areas, places and walking graph."""
    guided_town(services)
    return services


@pytest.mark.parametrize("page", PAGES)
def test_every_guidance_page_is_german_by_default_and_has_a_json_twin(
    client: Any, guided: Services, page: str
) -> None:
    html = client.get(page)
    assert html.status_code == 200
    assert html.headers["content-language"] == "de"
    assert '<html lang="de">' in html.text
    path, _, query = page.partition("?")
    twin = client.get(f"{path}.json" + (f"?{query}" if query else ""))
    assert twin.status_code == 200
    assert twin.headers["content-type"].startswith("application/json")


def test_the_language_switch_shows_english_and_is_remembered(client: Any, guided: Services) -> None:
    english = client.get("/places?lang=en")
    assert "Sights, museums and viewpoints" in english.text
    assert english.cookies.get("lang") == "en"
    again = client.get("/route")
    assert "On foot around the crowds" in again.text


def test_the_area_page_explains_how_the_number_is_made_with_sensor_links(
    client: Any, guided: Services, clock: FakeClock
) -> None:
    crowd(guided, client, "domplatz", people=300, now=clock())
    page = client.get("/areas/domplatz").text
    assert "So entsteht diese Zahl" in page
    assert 'href="/sensors/domplatz-s"' in page
    assert "Üblich: Median der letzten Wochen" in page  # labelled as usual until forecasts exist
    data = client.get("/areas/domplatz.json").json()
    assert data["expected"]["source"] == "usual"
    assert data["sensors"] == ["domplatz-s"]


def test_quieter_places_of_the_same_kind_are_suggested_for_a_crowded_square(
    client: Any, guided: Services, clock: FakeClock
) -> None:
    crowd(guided, client, "domplatz", people=5000, now=clock())
    crowd(guided, client, "michelsberg", people=10, now=clock())
    data = client.get("/areas/domplatz.json").json()
    suggested = {(a["instead_of"], a["place"]["id"]) for a in data["quieter_places"]}
    assert ("bamberger-dom", "michaelskirche") in suggested
    assert "Michaelskirche statt Bamberger Dom" in client.get("/areas/domplatz").text


def test_the_route_walks_around_a_crowded_bridge_within_the_detour_bound(
    client: Any, guided: Services, clock: FakeClock
) -> None:
    plain = client.get("/api/v1/route", params={"from": "bamberger-dom", "to": "gabelmann"}).json()
    assert "obere-bruecke" in plain["areas"]
    crowd(guided, client, "obere-bruecke", people=3000, now=clock())
    around = client.get("/api/v1/route", params={"from": "bamberger-dom", "to": "gabelmann"}).json()
    assert "obere-bruecke" not in around["areas"]
    assert around["length_m"] <= plain["length_m"] * 1.3 + 1
    assert "obere-bruecke" in around["avoided_areas"]
    page = client.get("/route", params={"from": "bamberger-dom", "to": "gabelmann"}).text
    assert 'class="route-line"' in page and "Obere Brücke und Altes Rathaus" in page.split("Umgangen: ")[1]


def test_a_quiet_zone_is_never_part_of_a_route(client: Any, guided: Services) -> None:
    guided.guidance.places.set_quiet_zone("karolinenstrasse", True)
    route = client.get("/api/v1/route", params={"from": "domplatz", "to": "obstmarkt"}).json()
    assert "karolinenstrasse" not in route["areas"]
    entries = (
        guided.database.engine.connect()
        .exec_driver_sql("SELECT kind, subject FROM transparency_log WHERE subject = 'area:karolinenstrasse'")
        .all()
    )
    assert ("area.changed", "area:karolinenstrasse") in [tuple(e) for e in entries]


def test_an_unknown_route_end_is_a_clear_problem(client: Any, guided: Services) -> None:
    answer = client.get("/api/v1/route", params={"from": "bamberger-dom", "to": "nowhere"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert "nowhere" in answer.json()["detail"]


def test_a_reservation_blocks_an_overlapping_one_beyond_capacity_until_cancelled(
    client: Any, guided: Services
) -> None:
    slot = {"place_id": "altes-rathaus", "starts_at": "2026-06-15T10:00:00+02:00"}
    first = client.post(
        "/api/v1/reservations", json={"group_label": "Gruppe Rot", "group_size": 50, "slots": [slot]}
    )
    assert first.status_code == 201
    overlapping = {"place_id": "altes-rathaus", "starts_at": "2026-06-15T10:10:00+02:00"}
    second = client.post(
        "/api/v1/reservations", json={"group_label": "Gruppe Blau", "group_size": 40, "slots": [overlapping]}
    )
    assert second.status_code == 409
    assert "full" in second.json()["detail"]
    reservation = first.json()["reservations"][0]["id"]
    wrong = client.post(f"/api/v1/reservations/{reservation}/cancel", json={"cancel_code": "guess"})
    assert wrong.status_code == 409
    cancel = client.post(
        f"/api/v1/reservations/{reservation}/cancel", json={"cancel_code": first.json()["cancel_code"]}
    )
    assert cancel.status_code == 204
    third = client.post(
        "/api/v1/reservations", json={"group_label": "Gruppe Blau", "group_size": 40, "slots": [overlapping]}
    )
    assert third.status_code == 201


def test_a_plan_with_one_impossible_slot_stores_nothing(client: Any, guided: Services) -> None:
    slots = [
        {"place_id": "altes-rathaus", "starts_at": "2026-06-15T10:00:00+02:00"},
        {"place_id": "historisches-museum", "starts_at": "2026-06-15T08:00:00+02:00"},  # closed on Mondays
    ]
    answer = client.post(
        "/api/v1/reservations", json={"group_label": "Gruppe", "group_size": 10, "slots": slots}
    )
    assert answer.status_code == 409
    assert client.get("/api/v1/reservations", params={"day": "2026-06-15"}).json()["reserved"] == []


def test_the_plan_counts_slots_other_guides_reserved(client: Any, guided: Services) -> None:
    query = {"place": ["altes-rathaus"], "day": "2026-06-15", "size": 50}
    before = client.get("/api/v1/plan", params=query).json()["visits"][0]["starts_at"]
    client.post(
        "/api/v1/reservations",
        json={
            "group_label": "Frühe Gruppe",
            "group_size": 50,
            "slots": [{"place_id": "altes-rathaus", "starts_at": before}],
        },
    )
    after = client.get("/api/v1/plan", params=query).json()["visits"][0]["starts_at"]
    assert after != before


def test_reservations_refuse_an_empty_label_with_a_problem(client: Any, guided: Services) -> None:
    answer = client.post(
        "/api/v1/reservations",
        json={
            "group_label": "",
            "group_size": 10,
            "slots": [{"place_id": "altes-rathaus", "starts_at": "2026-06-15T10:00:00+02:00"}],
        },
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


def test_the_planner_form_reserves_and_cancels_without_javascript(client: Any, guided: Services) -> None:
    reserved = client.post(
        "/planner/reserve",
        data={"slot": "altes-rathaus@2026-06-15T11:00:00+02:00", "size": "12", "label": "Schulklasse 7b"},
    )
    assert reserved.status_code == 200
    assert "Reserviert. Nummer 1, Stornocode" in reserved.text
    code = reserved.text.split("Stornocode ")[1].split(" ")[0]
    cancelled = client.post("/planner/cancel", data={"id": "1", "code": code})
    assert "Storniert." in cancelled.text


def test_operators_manage_places_with_clear_errors(guided: Services) -> None:
    from freiweg.domain.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        guided.guidance.places.save_place(
            {"id": "Bad Id", "name_de": "", "name_en": "x", "category": "zoo", "area_id": "nowhere",
             "lon": 200, "lat": 49.9, "opening_hours": "always"}
        )  # fmt: skip
    fields = {p.field for p in error.value.problems}
    assert {"id", "name_de", "category", "area_id", "lon", "opening_hours"} <= fields
    assert len(guided.guidance.places.places()) == 12


class StoredForecast:
    """A forecast service that has one stored run: 40 people every hour of the next two days."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.refreshed: list[bool] = []

    def for_area(self, area_id: str, *, refresh: bool = True) -> dict[str, Any]:
        self.refreshed.append(refresh)
        hours = [{"start": (self.start + timedelta(hours=h)).isoformat(), "value": 40.0} for h in range(48)]
        return {"area_id": area_id, "hours": hours}


def test_a_stored_forecast_replaces_the_usual_profile_and_is_never_trained_by_a_page(
    guided: Services, clock: FakeClock
) -> None:
    from freiweg.services.guidance_services import GuidanceServices

    forecasts = StoredForecast(clock().replace(minute=0))
    guidance = GuidanceServices.build(
        database=guided.database,
        clock=guided.clock,
        crowd=guided.crowd,
        timezone=guided.settings.timezone,
        forecasts=forecasts,
    )
    day = guidance.guide.area_day("domplatz")
    assert day["expected"]["source"] == "forecast"
    assert {row["people"] for row in day["expected"]["tomorrow"]} == {40}
    assert forecasts.refreshed and not any(forecasts.refreshed)
