"""Console moderation: purpose-bound and logged queue, publish, decline, answer, in-person items, CSRF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from freiweg.services.registry import Services
from tests.support.console import signed_in


def moderation_purpose(services: Services) -> None:
    """Register the purpose that opens the moderation queue."""
    services.transparency.access.add_purpose(
        "moderation", name_de="Beiträge moderieren", name_en="Moderate items", scopes=["moderation_queue"]
    )


def submit(client: Any, topic: str, body: str, kind: str = "question") -> int:
    """Send an item through the public API; return its id."""
    answer = client.post("/api/v1/feedback", json={"topic": topic, "kind": kind, "text": body, "lang": "de"})
    assert answer.status_code == 202
    item_id: int = answer.json()["id"]
    return item_id


def test_the_queue_opens_only_for_a_registered_purpose_and_each_opening_is_logged(
    client: Any, services: Services
) -> None:
    moderation_purpose(services)
    services.transparency.access.add_purpose(
        "fault", name_de="Störung", name_en="Fault", scopes=["minute_counts"]
    )
    submit(client, "project", "Wer liest das?")
    signed_in(client, services, "moderator")
    form = client.get("/console/moderation.json").json()
    assert [p["id"] for p in form["purposes"]] == ["moderation"]
    assert form["queue"] is None
    assert client.get("/console/moderation.json", params={"purpose": "none"}).status_code == 403
    assert client.get("/console/moderation.json", params={"purpose": "fault"}).status_code == 403
    opened = client.get("/console/moderation.json", params={"purpose": "moderation"})
    assert opened.status_code == 200
    assert [i["text"] for i in opened.json()["queue"]["waiting"]] == ["Wer liest das?"]
    logged = services.transparency.access.recent()
    assert [(r["role"], r["purpose"], r["scope"]) for r in logged] == [
        ("moderator", "moderation", "moderation_queue")
    ]


def test_other_roles_and_anonymous_callers_cannot_moderate(client: Any, services: Services) -> None:
    moderation_purpose(services)
    item_id = submit(client, "project", "Frage an die Stadt")
    assert client.get("/console/moderation.json", params={"purpose": "moderation"}).status_code == 401
    csrf = signed_in(client, services, "editor")
    assert client.get("/console/moderation.json", params={"purpose": "moderation"}).status_code == 403
    refused = client.post(f"/console/moderation/{item_id}/publish", data={"csrf": csrf})
    assert refused.status_code == 403
    assert client.get("/api/v1/feedback", params={"topic": "project"}).json()["items"] == []


def test_a_form_without_the_csrf_token_changes_nothing(client: Any, services: Services) -> None:
    item_id = submit(client, "project", "Frage an die Stadt")
    signed_in(client, services, "moderator")
    assert client.post(f"/console/moderation/{item_id}/publish", data={}).status_code == 403
    assert client.post(f"/console/moderation/{item_id}/publish", data={"csrf": "forged"}).status_code == 403
    assert client.get("/api/v1/feedback", params={"topic": "project"}).json()["items"] == []


def test_a_moderator_publishes_declines_and_answers_through_the_console(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    moderation_purpose(services)
    good = submit(client, "area:domplatz", "Wann ist es hier ruhig?")
    spam = submit(client, "area:domplatz", "Billige Uhren unter www.example.com")
    csrf = signed_in(client, services, "moderator")
    page = client.get("/console/moderation", params={"purpose": "moderation"})
    assert page.status_code == 200
    assert "enthält einen Link" in page.text
    assert 'name="csrf"' in page.text
    published = client.post(
        f"/console/moderation/{good}/publish",
        data={"csrf": csrf, "purpose": "moderation"},
        follow_redirects=False,
    )
    assert published.status_code == 303
    assert published.headers["location"] == "/console/moderation?purpose=moderation"
    declined = client.post(
        f"/console/moderation/{spam}/decline",
        data={"csrf": csrf, "purpose": "moderation", "reason": "advertising"},
        follow_redirects=False,
    )
    assert declined.status_code == 303
    wrong = client.post(
        f"/console/moderation/{good}/answer",
        data={"csrf": csrf, "purpose": "moderation", "text": "Morgens.", "status": "declined"},
    )
    assert wrong.status_code == 422
    answered = client.post(
        f"/console/moderation/{good}/answer",
        data={
            "csrf": csrf,
            "purpose": "moderation",
            "text": "Morgens vor zehn.",
            "status": "answered",
            "lang": "de",
        },
        follow_redirects=False,
    )
    assert answered.status_code == 303
    [shown] = client.get("/api/v1/feedback", params={"topic": "area:domplatz"}).json()["items"]
    assert (shown["id"], shown["status"], shown["answers"][0]["text"]) == (
        good,
        "answered",
        "Morgens vor zehn.",
    )
    assert "Morgens vor zehn." in client.get("/areas/domplatz").text
    kinds = [
        e["kind"] for e in client.get("/api/v1/log/entries", params={"start": 0, "end": 50}).json()["entries"]
    ]
    assert {"feedback.published", "feedback.declined", "feedback.answered"} <= set(kinds)


def test_staff_enter_items_received_in_person_which_are_moderated_like_any_other(
    client: Any, services: Services
) -> None:
    moderation_purpose(services)
    csrf = signed_in(client, services, "moderator")
    entered = client.post(
        "/console/moderation/in-person",
        data={
            "csrf": csrf,
            "topic": "project",
            "kind": "concern",
            "text": "In der Sprechstunde gefragt",
            "lang": "de",
        },
        follow_redirects=False,
    )
    assert entered.status_code == 303
    queue = client.get("/console/moderation.json", params={"purpose": "moderation"}).json()["queue"]
    [waiting] = queue["waiting"]
    assert (waiting["channel"], waiting["kind"]) == ("in person", "concern")
    bad = client.post(
        "/console/moderation/in-person",
        data={"csrf": csrf, "topic": "area:nowhere", "kind": "idea", "text": "x"},
    )
    assert bad.status_code == 422
