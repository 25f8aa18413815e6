"""The area, places, route, planner, kiosk and widget pages, their JSON twins and the guidance API."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

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


def form_token_of(page: str) -> str:
    """The hidden form token of a page's first public form."""
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, "the form carries no token"
    return found.group(1)


def test_the_planner_form_reserves_and_cancels_without_javascript(client: Any, guided: Services) -> None:
    token = form_token_of(client.get("/planner").text)
    reserved = client.post(
        "/planner/reserve",
        data={
            "slot": "altes-rathaus@2026-06-15T11:00:00+02:00",
            "size": "12",
            "label": "Schulklasse 7b",
            "form_token": token,
        },
    )
    assert reserved.status_code == 200
    assert "Reserviert. Nummer 1, Stornocode" in reserved.text
    code = reserved.text.split("Stornocode ")[1].split(" ")[0]
    cancelled = client.post("/planner/cancel", data={"id": "1", "code": code, "form_token": token})
    assert "Storniert." in cancelled.text


def test_the_form_token_is_a_random_strict_same_site_cookie_and_nothing_else(
    client: Any, guided: Services
) -> None:
    first = client.get("/planner")
    cookie = first.headers["set-cookie"]
    token = form_token_of(first.text)
    assert cookie.startswith(f"freiweg_form={token};")
    assert "SameSite=strict" in cookie and "HttpOnly" in cookie
    assert "expires" not in cookie.lower() and "max-age" not in cookie.lower()  # ends with the browser
    again = client.get("/planner")
    assert form_token_of(again.text) == token and "set-cookie" not in again.headers
    other = TestClient(client.app)
    assert form_token_of(other.get("/planner").text) != token


@pytest.mark.parametrize(
    ("sent_field", "sent_cookie"),
    [(False, True), (True, False), ("forged", True)],
    ids=["without the field", "without the cookie", "with a field that differs from the cookie"],
)
def test_a_public_form_without_a_matching_token_is_refused_and_changes_nothing(
    client: Any, guided: Services, sent_field: bool | str, sent_cookie: bool
) -> None:
    token = form_token_of(client.get("/planner").text)
    if not sent_cookie:
        client.cookies.clear()
    sent = {"form_token": token if sent_field is True else "x" * 43} if sent_field else {}
    fields = {"slot": "altes-rathaus@2026-06-15T11:00:00+02:00", "size": "12", "label": "Klasse 7b", **sent}
    refused = client.post("/planner/reserve", data=fields)
    assert refused.status_code == 403
    assert "Das Formular wurde nicht angenommen" in refused.text
    assert client.get("/api/v1/reservations", params={"day": "2026-06-15"}).json()["reserved"] == []
    cancel = client.post("/planner/cancel", data={"id": "1", "code": "x", **sent})
    assert cancel.status_code == 403


def test_planner_problems_are_said_in_the_pages_language(client: Any, guided: Services) -> None:
    token = form_token_of(client.get("/planner").text)
    slot = "altes-rathaus@2026-06-15T10:00:00+02:00"
    first = client.post(
        "/planner/reserve", data={"slot": slot, "size": "50", "label": "Rot", "form_token": token}
    )
    assert first.status_code == 200
    full = client.post(
        "/planner/reserve", data={"slot": slot, "size": "50", "label": "Blau", "form_token": token}
    )
    assert full.status_code == 409
    assert "Altes Rathaus ist um 10:00 Uhr voll: 50 von" in full.text and "full" not in full.text
    english = client.post(
        "/planner/reserve?lang=en", data={"slot": slot, "size": "50", "label": "Blau", "form_token": token}
    )
    assert "Old Town Hall is full at 10:00: 50 of" in english.text
    closed = client.post(
        "/planner/reserve?lang=de",
        data={
            "slot": "historisches-museum@2026-06-15T10:00:00+02:00",
            "size": "5",
            "label": "G",
            "form_token": token,
        },
    )
    assert "Historisches Museum ist nicht während des ganzen Besuchs geöffnet" in closed.text
    no_label = client.post(
        "/planner/reserve", data={"slot": slot, "size": "5", "label": " ", "form_token": token}
    )
    assert "Bitte einen Gruppennamen mit 1 bis 80 Zeichen angeben" in no_label.text
    wrong = client.post("/planner/cancel", data={"id": "1", "code": "geraten", "form_token": token})
    assert "Der Stornocode passt nicht zu dieser Reservierung." in wrong.text
    unknown = client.post("/planner/cancel", data={"id": "99", "code": "x", "form_token": token})
    assert "Es gibt keine aktive Reservierung mit der Nummer 99." in unknown.text


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


def test_forecast_reasons_are_said_in_words_and_grouped_into_runs_of_hours() -> None:
    from zoneinfo import ZoneInfo

    from freiweg.web.area_chart import forecast_chart, reason_text

    assert reason_text("event: Sandkerwa", "de") == "Veranstaltung: Sandkerwa"
    assert reason_text("public holiday: Fronleichnam", "en") == "public holiday: Fronleichnam"
    assert reason_text("school holidays", "de") == "Schulferien"
    assert reason_text("something new", "de") == "something new"  # unknown reasons pass unchanged

    def row(hour: int, reasons: list[str]) -> dict[str, Any]:
        return {"hour": hour, "people": 100, "level": "busy", "low": 60, "high": 160, "reasons": reasons}

    data = {
        "today": [],
        "expected": {
            "source": "forecast",
            "today": [row(h, ["event: Kerwa"] if h >= 22 else []) for h in range(12, 24)],
            "tomorrow": [row(h, ["event: Kerwa"] if h < 2 else ["bridge day"]) for h in range(0, 4)],
            "usual_today": [],
            "usual_tomorrow": [],
        },
    }
    now = datetime(2026, 6, 13, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    chart = forecast_chart(data, now=now, language="de")
    assert chart["reasons"] == [
        "heute 22–24 Uhr: Veranstaltung: Kerwa",
        "morgen 0–2 Uhr: Veranstaltung: Kerwa",
        "morgen 2–4 Uhr: Brückentag",
    ]
    assert chart["description"].startswith(
        "Vorhersage: am vollsten heute 12:00 mit etwa 100 Personen (60–160)"
    )
    assert len(chart["marks"]) == 6


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_the_reservation_api_refuses_bodies_a_cross_site_form_could_send(
    client: Any, guided: Services, content_type: str
) -> None:
    body = json.dumps(
        {
            "group_label": "Gruppe",
            "group_size": 5,
            "slots": [{"place_id": "altes-rathaus", "starts_at": "2026-06-15T10:00:00+02:00"}],
        }
    )
    answer = client.post("/api/v1/reservations", content=body, headers={"content-type": content_type})
    assert answer.status_code == 422
    assert client.get("/api/v1/reservations", params={"day": "2026-06-15"}).json()["reserved"] == []


def test_the_widget_says_when_its_data_is_from_and_whether_it_is_demo(
    client: Any, guided: Services, clock: Any
) -> None:
    crowd(guided, client, "domplatz", people=40, now=clock.now)
    data = client.get("/widget.json").json()
    assert data["demo"] is False
    assert datetime.fromisoformat(data["data_until"]) == clock.now
    domplatz = next(a for a in data["areas"] if a["id"] == "domplatz")
    assert domplatz["status"] != "no_data" and domplatz["updated_at"] == data["data_until"]
    silent = next(a for a in data["areas"] if a["id"] != "domplatz")
    assert silent["people"] is None and silent["level"] is None
    page = client.get("/widget").text
    assert "Neueste Daten: 12:00" in page
    assert "Demo" not in page


def test_the_widget_of_a_demo_installation_is_labelled_demo(database_url: str, clock: Any) -> None:
    from freiweg.bootstrap import create_app
    from freiweg.settings import Settings
    from tests.conftest import TEST_SECRET

    app = create_app(Settings(database_url=database_url, secret_key=TEST_SECRET, demo=True), clock=clock)
    with TestClient(app) as demo_client:
        assert demo_client.get("/widget.json").json()["demo"] is True
        assert "Demo: simulierte Daten" in demo_client.get("/widget").text
    app.state.services.database.dispose()
