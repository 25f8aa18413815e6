"""Bad input to the participation forms and APIs: each case gets a clear answer and nothing is kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from freiweg.services.registry import Services
from freiweg.storage.participation_tables import feedback_items
from freiweg.storage.survey_tables import survey_answers
from tests.support.console import signed_in
from tests.support.public_forms import with_token

ATTACK = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def stored(services: Services, table: Any = feedback_items) -> int:
    """How many rows the table holds."""
    with services.database.reading() as reader:
        return int(reader.connection.execute(select(func.count()).select_from(table)).scalar_one())


def form(client: Any, text: str | bytes, *, topic: str = "project") -> Any:
    """Post the no-script feedback form with text, as a browser encodes it (or raw bytes)."""
    token = with_token(client, "/participate", {})["form_token"]
    body = b"form_token=" + token.encode() + b"&topic=" + topic.encode() + b"&kind=question&lang=de&text="
    body += text if isinstance(text, bytes) else text.encode().replace(b"%", b"%25").replace(b"&", b"%26")
    return client.post(
        "/feedback",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "text: needs at least 3 characters"),
        (" \n\t  ", "text: needs at least 3 characters"),
        ("x" * 2001, "text: may have at most 2000 characters (has 2001)"),
        (b"%FF%FE%FD%FC", "text: is not valid UTF-8 text"),
        (b"\xff\xfe\xfd\xfc", "text: is not valid UTF-8 text"),
        (b"PNG%00%01%02%1B", "text: contains control characters; send plain text"),
    ],
    ids=["empty", "blank", "oversized", "binary-escaped", "binary-raw", "control-characters"],
)
def test_empty_oversized_and_binary_text_in_the_form_is_refused_with_the_reason_and_not_stored(
    client: Any, services: Services, text: str | bytes, reason: str
) -> None:
    refused = form(client, text)
    assert refused.status_code == 422
    assert reason in refused.text
    assert "Der Beitrag wurde nicht gespeichert" in refused.text
    assert "Der Text muss 3 bis 2.000 Zeichen lang sein" in refused.text  # what to change, in plain words
    assert stored(services) == 0


def test_binary_json_and_blank_text_to_the_api_are_refused_naming_the_field(
    client: Any, services: Services
) -> None:
    binary = client.post(
        "/api/v1/feedback",
        content=b'{"topic": "project", "kind": "idea", "text": "\xff\xfe\xfd\xfc", "lang": "de"}',
        headers={"content-type": "application/json"},
    )
    assert binary.status_code in (400, 422)
    assert binary.headers["content-type"] == "application/problem+json"
    blank = client.post(
        "/api/v1/feedback", json={"topic": "project", "kind": "idea", "text": "   ", "lang": "de"}
    )
    assert blank.status_code == 422 and [e["field"] for e in blank.json()["errors"]] == ["text"]
    huge = client.post("/api/v1/feedback", json={"topic": "project", "kind": "idea", "text": "x" * 50_000})
    assert huge.status_code == 422 and [e["field"] for e in huge.json()["errors"]] == ["text"]
    assert stored(services) == 0


def test_oversized_and_binary_survey_answers_are_refused_and_nothing_is_stored(
    client: Any, services: Services
) -> None:
    many = client.post(
        "/api/v1/survey/responses",
        json={"answers": [{"item": "trust-honest", "value": 3}] * 101, "lang": "de"},
    )
    assert many.status_code == 422 and many.json()["errors"][0]["field"] == "answers"
    token = with_token(client, "/survey", {})["form_token"]
    binary = client.post(
        "/survey",
        content=b"form_token=%s&lang=de&trust-honest=%%FF%%FE&acceptance-continue=\xff\x00" % token.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert binary.status_code == 422
    assert "Bitte wählen Sie eine der angebotenen Antworten." in binary.text
    assert stored(services, survey_answers) == 0


def test_markup_from_residents_and_moderators_is_shown_as_text_on_every_page_and_in_the_console(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    services.transparency.access.add_purpose(
        "moderation", name_de="Beiträge moderieren", name_en="Moderate items", scopes=["moderation_queue"]
    )
    waiting = client.post(
        "/api/v1/feedback",
        json={"topic": "project", "kind": "idea", "text": ATTACK + " wartet", "lang": "de"},
    )
    published = client.post(
        "/api/v1/feedback", json={"topic": "project", "kind": "question", "text": ATTACK, "lang": "de"}
    ).json()["id"]
    services.feedback.publish(published)
    services.feedback.answer(published, text="<b>Antwort</b>" + ATTACK, status="answered", language="de")
    for path in ("/participate", "/opt-out"):
        page = client.get(path).text
        assert "&lt;script&gt;alert(" in page and "&lt;b&gt;Antwort&lt;/b&gt;" in page, path
        assert "<script>alert(" not in page and "<img src=x" not in page and "<b>Antwort" not in page, path
    signed_in(client, services, "moderator")
    queue = client.get("/console/moderation", params={"purpose": "moderation"})
    assert queue.status_code == 200 and waiting.status_code == 202
    assert "&lt;script&gt;alert(" in queue.text and " wartet" in queue.text
    assert "<script>alert(" not in queue.text and "<img src=x" not in queue.text


def test_markup_in_a_survey_item_added_by_staff_is_shown_as_text(client: Any, services: Services) -> None:
    services.survey.add_item(item_id="trust-markup", kind="trust", text_de=ATTACK, text_en=ATTACK)
    for path in ("/survey", "/survey?lang=en"):
        page = client.get(path).text
        assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page and "<img src=x" not in page
