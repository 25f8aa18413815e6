"""The survey API on SQLite and PostgreSQL: 202 for answers, 422 naming the field, 429 floods, honeypot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from freiweg.services.registry import Services
from freiweg.storage.survey_tables import survey_answers, survey_checks
from tests.conftest import FakeClock
from tests.support.public_forms import with_token

USER_AGENT = "survey-test-agent/1.0 (distinct marker)"


def answer(*pairs: tuple[str, int], lang: str = "de", **extra: Any) -> dict[str, Any]:
    """A response body."""
    return {"answers": [{"item": i, "value": v} for i, v in pairs], "lang": lang, **extra}


def stored_answers(services: Services) -> list[dict[str, Any]]:
    """Every stored answer row."""
    with services.database.reading() as reader:
        return [dict(r._mapping) for r in reader.connection.execute(select(survey_answers))]


def stored_checks(services: Services) -> list[dict[str, Any]]:
    """Every stored check row."""
    with services.database.reading() as reader:
        return [dict(r._mapping) for r in reader.connection.execute(select(survey_checks))]


def test_the_instrument_lists_items_in_both_languages_with_the_threshold(client: Any) -> None:
    instrument = client.get("/api/v1/survey").json()
    assert instrument["threshold"] == 10
    ids = [item["id"] for item in instrument["items"]]
    assert "understanding-phone-id" in ids and "page-help" in ids
    first = instrument["items"][0]
    assert first["text"]["de"].startswith("Speichert der Sensor") and first["text"]["en"]
    assert instrument["check"]["question"]["de"] == "Was verlässt diesen Kasten?"


def test_a_response_is_accepted_with_202_and_stored_by_month_only(client: Any, services: Services) -> None:
    sent = client.post(
        "/api/v1/survey/responses",
        json=answer(("trust-honest", 4), ("understanding-key", 1), lang="en"),
        headers={"user-agent": USER_AGENT},
    )
    assert sent.status_code == 202, sent.text
    assert sent.json()["results"] == "/trust"
    rows = stored_answers(services)
    assert sorted((r["item_id"], r["value"]) for r in rows) == [("trust-honest", 4), ("understanding-key", 1)]
    assert {r["month"] for r in rows} == {"2026-06"} and {r["language"] for r in rows} == {"en"}
    assert len({r["response_id"] for r in rows}) == 1
    assert set(rows[0]) == {"response_id", "item_id", "month", "language", "value", "demo"}
    stored = repr(rows)
    assert "testclient" not in stored and USER_AGENT not in stored


def test_a_bad_response_is_refused_naming_item_and_field_and_nothing_is_stored(
    client: Any, services: Services
) -> None:
    refused = client.post(
        "/api/v1/survey/responses",
        json=answer(("trust-honest", 4), ("acceptance-useful", 9), ("gone", 1), ("trust-honest", 5)),
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    errors = [(e["index"], e["field"]) for e in refused.json()["errors"]]
    assert errors == [(1, "value"), (2, "item"), (3, "item")]
    assert "acceptance-useful" in refused.json()["errors"][0]["message"]
    assert stored_answers(services) == []
    typed = client.post(
        "/api/v1/survey/responses", json={"answers": [{"item": "trust-honest", "value": "x"}]}
    )
    assert typed.status_code == 422 and typed.json()["errors"][0]["field"] == "value"
    empty = client.post("/api/v1/survey/responses", json=answer())
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "answers"


def test_a_fourth_response_from_one_source_within_the_hour_gets_429_and_the_next_hour_is_open(
    client: Any, services: Services, clock: FakeClock
) -> None:
    limit = services.flood_guard.limit_of("survey")
    for _ in range(limit):
        assert client.post("/api/v1/survey/responses", json=answer(("trust-honest", 3))).status_code == 202
    flooded = client.post("/api/v1/survey/responses", json=answer(("trust-honest", 3)))
    assert flooded.status_code == 429
    assert flooded.headers["content-type"] == "application/problem+json"
    assert flooded.headers["retry-after"] == "3600"  # the clock stands on the hour
    assert len(stored_answers(services)) == limit
    clock.advance(hours=1)
    assert client.post("/api/v1/survey/responses", json=answer(("trust-honest", 3))).status_code == 202


def test_a_filled_honeypot_is_answered_like_success_and_nothing_is_stored(
    client: Any, services: Services
) -> None:
    trapped = client.post(
        "/api/v1/survey/responses", json=answer(("trust-honest", 5), website="http://spam.example")
    )
    assert trapped.status_code == 202
    assert stored_answers(services) == []
    check = client.post(
        "/api/v1/survey/checks", json={"sensor_id": "x", "answer": "counts", "website": "spam"}
    )
    assert check.status_code == 422  # an unknown sensor is named before anything else


def test_a_sensor_page_check_is_stored_for_a_known_sensor_and_refused_for_an_unknown_one(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    sent = client.post(
        "/api/v1/survey/checks", json={"sensor_id": "domplatz-1", "answer": "identifiers", "helped": True}
    )
    assert sent.status_code == 202, sent.text
    assert (
        client.post("/api/v1/survey/checks", json={"sensor_id": "domplatz-1", "helped": False}).status_code
        == 202
    )
    rows = sorted(stored_checks(services), key=lambda r: r["correct"] is None)
    assert [(r["sensor_id"], r["correct"], r["helped"], r["month"]) for r in rows] == [
        ("domplatz-1", False, True, "2026-06"),
        ("domplatz-1", None, False, "2026-06"),
    ]
    unknown = client.post("/api/v1/survey/checks", json={"sensor_id": "nowhere-1", "answer": "counts"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "sensor_id"
    bad = client.post("/api/v1/survey/checks", json={"sensor_id": "domplatz-1", "answer": "fingerprints"})
    assert [e["field"] for e in bad.json()["errors"]] == ["answer"]
    nothing = client.post("/api/v1/survey/checks", json={"sensor_id": "domplatz-1"})
    assert nothing.status_code == 422
    assert len(stored_checks(services)) == 2


def test_an_added_item_joins_the_instrument_and_the_public_log(client: Any, services: Services) -> None:
    services.survey.add_item(
        item_id="trust-data-safe",
        kind="trust",
        text_de="Meine Daten sind sicher.",
        text_en="My data are safe.",
    )
    ids = [item["id"] for item in client.get("/api/v1/survey").json()["items"]]
    assert ids[-1] == "trust-data-safe"
    assert client.post("/api/v1/survey/responses", json=answer(("trust-data-safe", 2))).status_code == 202
    with services.database.reading() as reader:
        assert [k for _, k, _ in reader.log.about("survey-item:trust-data-safe")] == ["survey.item_added"]


def test_a_flood_of_sensor_page_checks_gets_429_with_the_seconds_to_the_next_hour(
    client: Any, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    clock.advance(minutes=50)
    check = {"sensor_id": "domplatz-1", "answer": "counts", "helped": True}
    limit = services.flood_guard.limit_of("check")
    assert [client.post("/api/v1/survey/checks", json=check).status_code for _ in range(limit)] == [
        202
    ] * limit
    flooded = client.post("/api/v1/survey/checks", json=check)
    assert flooded.status_code == 429
    assert flooded.headers["content-type"] == "application/problem+json"
    assert flooded.headers["retry-after"] == "600"
    assert len(stored_checks(services)) == limit
    form = client.post(
        "/sensors/domplatz-1/check",
        data=with_token(client, "/sensors/domplatz-1", {"answer": "counts"}),
        follow_redirects=False,
    )
    assert form.headers["location"] == "/sensors/domplatz-1?check=later#check"
    assert len(stored_checks(services)) == limit
    clock.advance(minutes=10)
    assert client.post("/api/v1/survey/checks", json=check).status_code == 202
