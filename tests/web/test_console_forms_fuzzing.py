"""Arbitrary input to the console's new forms comes back as a page with the reason, never a server error."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freiweg.services.registry import Services
from tests.support.console import signed_in

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", " ", "1e400", "nan", "-0", "0001-01-01T00:00", "9999-12-31T23:59", "2026-13-40"]),
    st.text(max_size=20),
)
moments = st.one_of(
    st.sampled_from(
        ["0001-01-01T00:30", "9999-12-31T23:59", "2026-06-01T10:00", "2026-06-01T09:00+14:00", "", "x"]
    ),
    st.datetimes().map(lambda d: d.isoformat()),
)


def test_calibration_sessions_with_any_times_and_numbers_are_refused_or_recorded(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    sensor = next(iter(s.id for s in services.sensors.list_sensors()))
    csrf = signed_in(client, services, "editor")

    @FUZZ
    @given(start=moments, end=moments, people=numbers, session_id=st.one_of(st.just(""), numbers))
    def send(start: str, end: str, people: str, session_id: str) -> None:
        answer = client.post(
            "/console/calibration/sessions",
            data={
                "csrf": csrf,
                "sensor": sensor,
                "start": start,
                "end": end,
                "people": people,
                "session_id": session_id,
            },
        )
        assert answer.status_code < 500, answer.text[:300]

    send()


def test_places_with_any_coordinates_and_numbers_are_refused_or_saved(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    csrf = signed_in(client, services, "editor")

    @FUZZ
    @given(lon=numbers, lat=numbers, capacity=numbers, visit=numbers, hours=st.text(max_size=40))
    def send(lon: str, lat: str, capacity: str, visit: str, hours: str) -> None:
        answer = client.post(
            "/console/places",
            data={
                "csrf": csrf,
                "place_id": "dom",
                "name_de": "Dom",
                "name_en": "Cathedral",
                "category": "sight",
                "area_id": "domplatz",
                "lon": lon,
                "lat": lat,
                "opening_hours": hours,
                "capacity": capacity,
                "visit_minutes": visit,
            },
        )
        assert answer.status_code < 500, answer.text[:300]

    send()


def test_survey_items_with_any_texts_and_options_are_refused_or_added(
    client: Any, services: Services
) -> None:
    csrf = signed_in(client, services, "editor")

    @FUZZ
    @given(
        item_id=st.text(max_size=50),
        kind=st.sampled_from(["understanding", "trust", "acceptance", "page_help", "x", ""]),
        text=st.text(max_size=400),
        options=st.text(max_size=200),
        correct=numbers,
    )
    def send(item_id: str, kind: str, text: str, options: str, correct: str) -> None:
        answer = client.post(
            "/console/survey/items",
            data={
                "csrf": csrf,
                "item_id": item_id,
                "kind": kind,
                "text_de": text,
                "text_en": text,
                "options": options,
                "correct": correct,
            },
        )
        assert answer.status_code < 500, answer.text[:300]

    send()


def test_moderation_forms_with_any_numbers_and_texts_are_refused_or_taken(
    client: Any, services: Services
) -> None:
    services.transparency.access.add_purpose(
        "moderation", name_de="Moderieren", name_en="Moderate", scopes=["moderation_queue"]
    )
    csrf = signed_in(client, services, "moderator")

    @FUZZ
    @given(
        item=st.integers(min_value=-(10**30), max_value=10**30),
        action=st.sampled_from(["publish", "decline", "answer"]),
        text=st.text(max_size=100),
        status=st.text(max_size=12),
    )
    def send(item: int, action: str, text: str, status: str) -> None:
        form = {"csrf": csrf, "purpose": "moderation", "reason": status, "text": text, "status": status}
        answer = client.post(f"/console/moderation/{item}/{action}", data=form)
        assert answer.status_code < 500, answer.text[:300]
        entered = client.post(
            "/console/moderation/in-person",
            data={"csrf": csrf, "topic": text, "kind": status, "text": text, "lang": status},
        )
        assert entered.status_code < 500, entered.text[:300]

    send()


def test_a_session_at_the_first_hour_of_the_calendar_is_refused_naming_the_field(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    sensor = next(iter(s.id for s in services.sensors.list_sensors()))
    csrf = signed_in(client, services, "editor")
    form = {"csrf": csrf, "sensor": sensor, "end": "2026-06-01T10:00", "people": "12"}
    answer = client.post("/console/calibration/sessions", data={**form, "start": "0001-01-01T00:30"})
    assert answer.status_code == 422
    assert "start" in answer.text
    assert services.calibration_sessions.sessions(sensor) == []


def test_drawn_areas_with_any_outline_thresholds_and_size_are_refused_or_saved(
    client: Any, services: Services
) -> None:
    csrf = signed_in(client, services, "editor")
    coordinate = st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, width=32), st.integers(-(10**20), 10**20)
    )
    ring = st.lists(st.lists(coordinate, min_size=0, max_size=3), max_size=6)
    outline = st.one_of(
        st.lists(ring, max_size=2).map(json.dumps),
        st.text(max_size=40),
        st.just("[[[10.88,49.89],[10.89,49.89],[10.89,49.9],[10.88,49.89]]]"),
    )

    @FUZZ
    @given(rings=outline, thresholds=st.text(max_size=30), size=numbers, area_id=st.text(max_size=20))
    def send(rings: str, thresholds: str, size: str, area_id: str) -> None:
        answer = client.post(
            "/console/areas/drawn",
            data={
                "csrf": csrf,
                "area_id": area_id or "platz",
                "name_de": "<b>Platz</b>",
                "name_en": "Square",
                "category": "square",
                "rings": rings,
                "thresholds": thresholds,
                "walkable_m2": size,
            },
        )
        assert answer.status_code < 500, answer.text[:300]

    send()
