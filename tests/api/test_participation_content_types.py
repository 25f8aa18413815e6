"""The participation APIs take JSON only, so a form on another site cannot write through them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from freiweg.services.registry import Services
from freiweg.storage.participation_tables import feedback_items, feedback_support
from freiweg.storage.survey_tables import survey_answers, survey_checks

# What a cross-site form (or a no-cors fetch) can send without asking the server first.
CROSS_SITE = {
    "form": "application/x-www-form-urlencoded",
    "multipart": "multipart/form-data; boundary=x",
    "plain text": "text/plain",
    "no type": None,
}
WRITES = {
    "/api/v1/feedback": (
        {"topic": "project", "kind": "idea", "text": "Mehr Bänke", "lang": "de"},
        feedback_items,
    ),
    "/api/v1/survey/responses": (
        {"answers": [{"item": "trust-honest", "value": 4}], "lang": "de"},
        survey_answers,
    ),
    "/api/v1/survey/checks": ({"sensor_id": "domplatz-1", "answer": "counts", "helped": True}, survey_checks),
}


def rows(services: Services, table: Any) -> int:
    """How many rows a table holds."""
    with services.database.reading() as reader:
        return int(reader.connection.execute(select(func.count()).select_from(table)).scalar_one())


def supporters(services: Services) -> int:
    """The support stored for all ideas together."""
    with services.database.reading() as reader:
        total = reader.connection.execute(select(func.sum(feedback_support.c.supporters))).scalar_one()
    return int(total or 0)


def post_as(client: Any, path: str, body: bytes, content_type: str | None) -> Any:
    """Post body under content_type, or with no Content-Type header at all."""
    headers = {} if content_type is None else {"content-type": content_type}
    return client.post(path, content=body, headers=headers)


@pytest.mark.parametrize("path", sorted(WRITES))
@pytest.mark.parametrize("kind", sorted(CROSS_SITE))
def test_a_json_body_sent_as_a_cross_site_form_would_send_it_is_refused_and_not_stored(
    client: Any, services: Services, town: Callable[..., dict[str, str]], path: str, kind: str
) -> None:
    town("domplatz")
    body, table = WRITES[path]
    refused = post_as(client, path, json.dumps(body).encode(), CROSS_SITE[kind])
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert rows(services, table) == 0
    assert client.post(path, json=body).status_code == 202
    assert rows(services, table) >= 1


@pytest.mark.parametrize("kind", sorted(CROSS_SITE))
def test_supporting_an_idea_through_the_api_needs_a_json_request(
    client: Any, services: Services, kind: str
) -> None:
    idea = client.post("/api/v1/feedback", json=WRITES["/api/v1/feedback"][0]).json()["id"]
    services.feedback.publish(idea)
    refused = post_as(client, f"/api/v1/feedback/{idea}/support", b"", CROSS_SITE[kind])
    assert refused.status_code == 415
    assert refused.headers["content-type"] == "application/problem+json"
    assert "application/json" in refused.json()["title"]
    assert supporters(services) == 0
    supported = client.post(f"/api/v1/feedback/{idea}/support", headers={"content-type": "application/json"})
    assert supported.status_code == 202
    assert supported.json()["support"] == {"count": None, "fewer_than": 5}
    assert supporters(services) == 1
