"""Publishing, declining and answering an item need the purpose that opens the moderation queue."""

from __future__ import annotations

from typing import Any

from freiweg.services.registry import Services
from tests.support.console import signed_in
from tests.web.test_moderation_console import moderation_purpose, submit


def test_a_moderator_cannot_publish_an_unseen_item_without_naming_a_registered_purpose(
    client: Any, services: Services
) -> None:
    moderation_purpose(services)
    services.transparency.access.add_purpose(
        "fault", name_de="Störung", name_en="Fault", scopes=["minute_counts"]
    )
    item_id = submit(client, "project", "Noch nicht gelesener Beitrag")
    csrf = signed_in(client, services, "moderator")
    for purpose in ("", "unregistered", "fault"):
        refused = client.post(
            f"/console/moderation/{item_id}/publish",
            data={"csrf": csrf, "purpose": purpose},
            follow_redirects=False,
        )
        assert refused.status_code == 403, purpose
        assert "Noch nicht gelesener Beitrag" not in refused.text
    assert client.get("/api/v1/feedback", params={"topic": "project"}).json()["items"] == []


def test_declining_and_answering_without_a_purpose_change_nothing(client: Any, services: Services) -> None:
    moderation_purpose(services)
    item_id = submit(client, "project", "Frage an die Stadt")
    csrf = signed_in(client, services, "moderator")
    declined = client.post(
        f"/console/moderation/{item_id}/decline", data={"csrf": csrf, "reason": "advertising"}
    )
    assert declined.status_code == 403
    published = client.post(
        f"/console/moderation/{item_id}/publish",
        data={"csrf": csrf, "purpose": "moderation"},
        follow_redirects=False,
    )
    assert published.status_code == 303
    answered = client.post(
        f"/console/moderation/{item_id}/answer",
        data={"csrf": csrf, "text": "Eine Antwort.", "status": "answered", "lang": "de"},
    )
    assert answered.status_code == 403
    [shown] = client.get("/api/v1/feedback", params={"topic": "project"}).json()["items"]
    assert (shown["status"], shown["answers"]) == ("new", [])
