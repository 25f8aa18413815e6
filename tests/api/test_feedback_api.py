"""The feedback API and forms: moderation first, fields named on bad input, floods and robots held off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from freiweg.domain.errors import InvalidInput
from freiweg.services.registry import Services
from tests.conftest import FakeClock
from tests.support.public_forms import with_token

QUESTION = "Warum hängt an der Oberen Brücke ein Kasten?"


def item(
    topic: str = "sensor:domplatz-1", kind: str = "question", body: str = QUESTION, **extra: Any
) -> dict[str, Any]:
    """A feedback submission."""
    return {"topic": topic, "kind": kind, "text": body, "lang": "de", **extra}


def stored_items(services: Services) -> list[Any]:
    """Every stored feedback row, read directly."""
    engine = create_engine(services.settings.database_url)
    with engine.connect() as connection:
        rows = list(connection.execute(text("SELECT * FROM feedback_items ORDER BY id")))
    engine.dispose()
    return rows


def published(client: Any, topic: str) -> list[dict[str, Any]]:
    """The public list of a topic."""
    answer = client.get("/api/v1/feedback", params={"topic": topic})
    assert answer.status_code == 200
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def test_a_question_waits_for_moderation_then_shows_with_its_answer(
    client: Any, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    answer = client.post("/api/v1/feedback", json=item())
    assert answer.status_code == 202
    assert answer.json()["message"] == "Danke. Ihr Beitrag wartet auf die Moderation."
    item_id = answer.json()["id"]
    assert published(client, "sensor:domplatz-1") == []
    services.feedback.publish(item_id)
    clock.advance(hours=3)
    services.feedback.answer(item_id, text="Ein Zähler, er zählt nur.", status="answered", language="de")
    [shown] = published(client, "sensor:domplatz-1")
    assert shown["text"] == QUESTION
    assert shown["status"] == "answered"
    assert [a["text"] for a in shown["answers"]] == ["Ein Zähler, er zählt nur."]
    # The clock stands at 10:00 UTC = 12:00 in Bamberg; only the hour is kept.
    assert shown["received_hour"] == "2026-06-13T12:00:00+02:00"


def test_only_text_topic_hour_language_and_channel_are_stored(
    client: Any, services: Services, town: Callable[..., dict[str, str]], clock: FakeClock
) -> None:
    town("domplatz")
    clock.advance(minutes=37, seconds=12)
    client.post("/api/v1/feedback", json=item(), headers={"User-Agent": "Distinctive/1.0"})
    [row] = stored_items(services)
    assert set(row._mapping) == {
        "id", "topic", "kind", "text", "language", "channel", "status", "decline_reason",
        "received_hour", "published", "has_link",
    }  # fmt: skip
    assert row.received_hour % 3600 == 0
    assert row.channel == "online"


def test_bad_input_names_each_field_and_stores_nothing(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    answer = client.post(
        "/api/v1/feedback", json={"topic": "street:x", "kind": "rant", "text": "\x00\x01\x02", "lang": "fr"}
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in answer.json()["errors"]] == ["topic", "kind", "text", "lang"]
    missing = client.post("/api/v1/feedback", json={"topic": "project", "kind": "idea"})
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["text"]
    oversized = client.post("/api/v1/feedback", json=item(body="x" * 2001))
    assert [e["field"] for e in oversized.json()["errors"]] == ["text"]
    unknown = client.post("/api/v1/feedback", json=item(topic="area:nowhere"))
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "topic"
    assert "nowhere" in unknown.json()["errors"][0]["message"]
    assert stored_items(services) == []


def test_a_flood_from_one_source_gets_429_and_stores_no_more(
    client: Any, services: Services, clock: FakeClock
) -> None:
    clock.advance(minutes=20, seconds=15)
    limit = services.flood_guard.limit_of("feedback")
    for n in range(limit):
        assert (
            client.post("/api/v1/feedback", json=item(topic="project", body=f"Frage {n}")).status_code == 202
        )
    refused = client.post("/api/v1/feedback", json=item(topic="project", body="noch eine"))
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert "within the hour" in refused.json()["detail"]
    assert refused.headers["retry-after"] == "2385"  # seconds to 11:00, when the guard forgets
    assert len(stored_items(services)) == limit
    clock.advance(hours=1)
    assert (
        client.post("/api/v1/feedback", json=item(topic="project", body="nächste Stunde")).status_code == 202
    )


def test_a_filled_honeypot_gets_202_and_nothing_is_stored(client: Any, services: Services) -> None:
    answer = client.post("/api/v1/feedback", json=item(topic="project", website="http://spam.example"))
    assert answer.status_code == 202
    assert answer.json()["id"] is None
    form = client.post(
        "/feedback",
        data=with_token(
            client, "/participate", {"topic": "project", "kind": "idea", "text": "Kauf jetzt", "website": "x"}
        ),
        follow_redirects=False,
    )
    assert form.status_code == 303
    assert stored_items(services) == []


def test_a_declined_item_never_appears_in_public(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    kept = client.post("/api/v1/feedback", json=item(body="Sinnvolle Frage?")).json()["id"]
    insult = client.post("/api/v1/feedback", json=item(body="Beleidigung gegen Herrn X")).json()["id"]
    services.feedback.publish(kept)
    services.feedback.publish(insult)
    services.feedback.decline(insult, "insulting")
    assert [i["id"] for i in published(client, "sensor:domplatz-1")] == [kept]
    page = client.get("/sensors/domplatz-1").text
    assert "Sinnvolle Frage?" in page
    assert "Herrn X" not in page
    assert "Herrn X" not in client.get("/sensors/domplatz-1.json").text
    assert client.post(f"/api/v1/feedback/{insult}/support", json={}).status_code == 404
    [row] = [r for r in stored_items(services) if r.id == insult]
    assert (row.status, row.decline_reason, row.published) == ("declined", "insulting", False)


def test_a_decline_needs_a_reason_from_the_fixed_list(client: Any, services: Services) -> None:
    item_id = client.post("/api/v1/feedback", json=item(topic="project")).json()["id"]
    with pytest.raises(InvalidInput) as refused:
        services.feedback.decline(item_id, "I don't like it")
    assert [p.field for p in refused.value.problems] == ["reason"]
    assert stored_items(services)[0].status == "new"


def test_support_is_for_published_ideas_only_and_limited_per_source(
    client: Any, services: Services, clock: FakeClock
) -> None:
    idea = client.post("/api/v1/feedback", json=item(topic="project", kind="idea", body="Mehr Bänke")).json()[
        "id"
    ]
    question = client.post("/api/v1/feedback", json=item(topic="project")).json()["id"]
    assert client.post(f"/api/v1/feedback/{idea}/support", json={}).status_code == 404  # not published yet
    services.feedback.publish(idea)
    services.feedback.publish(question)
    assert client.post(f"/api/v1/feedback/{question}/support", json={}).status_code == 409
    first = client.post(f"/api/v1/feedback/{idea}/support", json={})
    assert first.status_code == 202
    assert first.json()["support"] == {"count": None, "fewer_than": 5}
    limit = services.flood_guard.limit_of("support")
    clock.advance(minutes=45)
    answers = [client.post(f"/api/v1/feedback/{idea}/support", json={}) for _ in range(limit)]
    assert [a.status_code for a in answers] == [202] * (limit - 1) + [429]
    assert answers[-1].headers["retry-after"] == "900"
    assert "retry-after" not in answers[0].headers
    [shown] = [i for i in published(client, "project") if i["id"] == idea]
    assert shown["support"] == {"count": limit, "fewer_than": None}


def test_html_and_scripts_are_kept_as_text_and_escaped_on_every_page(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for topic in ("area:domplatz", "sensor:domplatz-1", "project"):
        item_id = client.post("/api/v1/feedback", json=item(topic=topic, body=attack)).json()["id"]
        services.feedback.publish(item_id)
    for path in ("/areas/domplatz", "/sensors/domplatz-1", "/participate"):
        page = client.get(path).text
        assert "&lt;script&gt;alert(" in page, path
        assert "<script>alert(" not in page and "<img src=x" not in page, path


def test_links_are_flagged_in_the_moderation_queue(client: Any, services: Services) -> None:
    client.post("/api/v1/feedback", json=item(topic="project", body="Mehr unter www.example.com"))
    [row] = stored_items(services)
    assert row.has_link


def test_the_no_script_form_stores_through_the_same_rules_and_returns_to_the_page(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    token = with_token(client, "/areas/domplatz", {})
    sent = client.post(
        "/feedback",
        data={"topic": "area:domplatz", "kind": "concern", "text": "Zu viele Kästen", "lang": "de", **token},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/areas/domplatz?feedback=sent#feedback"
    assert "wartet auf die Moderation" in client.get(sent.headers["location"]).text
    bad = client.post("/feedback", data={"topic": "area:domplatz", "kind": "concern", "text": "<i", **token})
    assert bad.status_code == 422
    assert "text: needs at least 3 characters" in bad.text
    assert "&lt;i</textarea>" in bad.text
    elsewhere = client.post(
        "/feedback",
        data={"topic": "https://evil.example", "kind": "idea", "text": "hallo", **token},
        follow_redirects=False,
    )
    assert elsewhere.status_code == 422
    assert 'href="/participate"' in elsewhere.text
    assert len(stored_items(services)) == 1


def test_answer_statistics_count_received_and_answered_per_month(
    client: Any, services: Services, clock: FakeClock
) -> None:
    first = client.post("/api/v1/feedback", json=item(topic="project")).json()["id"]
    client.post("/api/v1/feedback", json=item(topic="project", kind="objection", body="Ich widerspreche"))
    client.post("/api/v1/feedback", json=item(topic="project", kind="idea", body="Idee ohne Antwort"))
    services.feedback.publish(first)
    clock.advance(hours=5, minutes=30)
    services.feedback.answer(first, text="Antwort", status="planned", language="de")
    [month] = services.feedback.monthly_answer_statistics()
    assert (month.month, month.questions, month.answered, month.median_hours_to_answer) == (
        "2026-06",
        2,
        1,
        5.5,
    )
    assert client.get("/participate.json").json()["answer_statistics"] == [
        {"month": "2026-06", "questions": 2, "answered": 1, "median_hours_to_answer": 5.5}
    ]


def test_the_project_and_opt_out_pages_have_json_twins_and_name_the_privacy_contact(client: Any) -> None:
    page = client.get("/opt-out")
    assert page.status_code == 200
    assert "Nicht gezählt werden" in page.text
    twin = client.get("/opt-out.json").json()
    assert twin["contact"]["privacy_officer"] in page.text
    assert any("WLAN" in line["de"] for line in twin["how"])
    assert 'name="kind"' in page.text and '<option value="objection" selected>' in page.text
    english = client.get("/participate?lang=en")
    assert "Have your say" in english.text
    assert client.get("/participate.json").json()["topic"] == "project"
    home = client.get("/").text
    assert 'href="/participate"' in home and 'href="/opt-out"' in home


def test_a_flood_through_the_forms_gets_a_429_page_with_the_reason_and_the_seconds_to_wait(
    client: Any, services: Services, clock: FakeClock
) -> None:
    clock.advance(minutes=30)
    form = with_token(client, "/participate", {"topic": "project", "kind": "idea", "lang": "de"})
    limit = services.flood_guard.limit_of("feedback")
    for n in range(limit):
        sent = client.post("/feedback", data={**form, "text": f"Idee {n}"}, follow_redirects=False)
        assert sent.status_code == 303
    flooded = client.post("/feedback", data={**form, "text": "Noch eine Idee"}, follow_redirects=False)
    assert flooded.status_code == 429
    assert flooded.headers["retry-after"] == "1800"
    assert "within the hour" in flooded.text and "Noch eine Idee</textarea>" in flooded.text
    assert "Bitte versuchen Sie es in der nächsten Stunde noch einmal." in flooded.text
    assert len(stored_items(services)) == limit
    idea = stored_items(services)[0].id
    services.feedback.publish(idea)
    for _ in range(services.flood_guard.limit_of("support")):
        client.post(f"/feedback/{idea}/support", data=form, follow_redirects=False)
    refused = client.post(f"/feedback/{idea}/support", data=form, follow_redirects=False)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1800"
    assert 'href="/participate"' in refused.text
