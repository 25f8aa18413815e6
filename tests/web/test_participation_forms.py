"""Participation forms take a post only with the page's form token; the sensor check says right or wrong."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from freiweg.api.public_routes import PUBLIC_WRITES
from freiweg.services.registry import Services
from freiweg.storage.participation_tables import feedback_items, feedback_support
from freiweg.storage.survey_tables import survey_answers, survey_checks
from tests.support.public_forms import form_token_of, with_token

REFUSED_DE = "Das Formular wurde nicht angenommen"
REFUSED_EN = "The form was not accepted"
# The public HTML forms that write; JSON endpoints and the console's own forms are covered elsewhere.
FORM_WRITES = sorted(
    path for method, path in PUBLIC_WRITES if method == "POST" and not path.startswith(("/api/", "/console/"))
)


def stored(services: Services, table: Any) -> list[dict[str, Any]]:
    """Every row of a table."""
    with services.database.reading() as reader:
        return [dict(r._mapping) for r in reader.connection.execute(select(table))]


def support_count(services: Services) -> int:
    """The support stored for all ideas together."""
    with services.database.reading() as reader:
        total = reader.connection.execute(select(func.sum(feedback_support.c.supporters))).scalar_one()
    return int(total or 0)


@pytest.fixture
def idea(client: Any, services: Services, town: Callable[..., dict[str, str]]) -> int:
    """A published idea on the sensor page of domplatz-1."""
    town("domplatz")
    sent = client.post(
        "/api/v1/feedback",
        json={"topic": "sensor:domplatz-1", "kind": "idea", "text": "Eine Anzeige am Rathaus", "lang": "de"},
    )
    item_id: int = sent.json()["id"]
    services.feedback.publish(item_id)
    return item_id


@pytest.mark.parametrize("path", FORM_WRITES)
def test_every_public_html_form_that_writes_refuses_a_post_without_the_form_token(
    client: Any, idea: int, path: str
) -> None:
    concrete = path.replace("{item_id}", str(idea)).replace("{sensor_id}", "domplatz-1")
    refused = client.post(concrete, data={"topic": "project", "text": "Hallo?"}, follow_redirects=False)
    assert refused.status_code == 403
    assert REFUSED_DE in refused.text


@pytest.mark.parametrize(
    "page", ["/participate", "/opt-out", "/survey", "/areas/domplatz", "/sensors/domplatz-1"]
)
def test_every_post_form_on_the_participation_pages_carries_the_token_of_the_cookie(
    client: Any, idea: int, page: str
) -> None:
    answer = client.get(page)
    token = answer.cookies.get("freiweg_form") or client.cookies.get("freiweg_form")
    forms = re.findall(r'<form method="post".*?</form>', answer.text, re.S)
    assert forms
    for form in forms:
        assert f'name="form_token" value="{token}"' in form, form[:80]


def test_a_feedback_form_without_a_token_is_refused_in_plain_words_kept_for_resending_and_not_stored(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    fields = {"topic": "area:domplatz", "kind": "concern", "text": "Zu viele Kästen", "lang": "de"}
    refused = client.post("/feedback", data=fields, follow_redirects=False)
    assert refused.status_code == 403
    assert REFUSED_DE in refused.text and "laden Sie die Seite neu" in refused.text
    assert "Zu viele Kästen</textarea>" in refused.text and 'href="/areas/domplatz"' in refused.text
    assert stored(services, feedback_items) == []
    english = client.post("/feedback", data={**fields, "lang": "en"}, follow_redirects=False)
    assert english.status_code == 403 and REFUSED_EN in english.text
    # The refused page hands out a token with the cookie: sending its form again works.
    resent = client.post(
        "/feedback", data={**fields, "form_token": form_token_of(refused.text)}, follow_redirects=False
    )
    assert (
        resent.status_code == 303 and resent.headers["location"] == "/areas/domplatz?feedback=sent#feedback"
    )
    assert [row["text"] for row in stored(services, feedback_items)] == ["Zu viele Kästen"]


def test_a_token_from_another_visitor_or_a_made_up_one_is_refused(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    mine = with_token(client, "/areas/domplatz", {"topic": "project", "kind": "idea", "text": "Mehr Bänke"})
    other = TestClient(client.app)
    assert other.post("/feedback", data=mine, follow_redirects=False).status_code == 403  # its own cookie
    form_token_of(other.get("/participate").text)
    assert other.post("/feedback", data=mine, follow_redirects=False).status_code == 403
    assert client.post("/feedback", data={**mine, "form_token": "x" * 43}).status_code == 403
    assert stored(services, feedback_items) == []
    assert client.post("/feedback", data=mine, follow_redirects=False).status_code == 303
    assert len(stored(services, feedback_items)) == 1


def test_supporting_an_idea_needs_the_token_of_the_page(client: Any, services: Services, idea: int) -> None:
    refused = client.post(
        f"/feedback/{idea}/support", data={"topic": "sensor:domplatz-1", "lang": "en"}, follow_redirects=False
    )
    assert refused.status_code == 403 and REFUSED_EN in refused.text
    assert 'href="/sensors/domplatz-1"' in refused.text
    assert support_count(services) == 0
    fields = with_token(client, "/sensors/domplatz-1", {"topic": "sensor:domplatz-1"})
    supported = client.post(f"/feedback/{idea}/support", data=fields, follow_redirects=False)
    assert supported.status_code == 303
    assert supported.headers["location"] == f"/sensors/domplatz-1?feedback=supported#item-{idea}"
    assert support_count(services) == 1


def test_the_survey_without_a_token_comes_back_with_the_reason_and_the_choices_and_stores_nothing(
    client: Any, services: Services
) -> None:
    refused = client.post("/survey", data={"lang": "de", "trust-honest": "4"}, follow_redirects=False)
    assert refused.status_code == 403 and REFUSED_DE in refused.text
    assert re.search(r'name="trust-honest" value="4"\s+checked', refused.text)
    assert stored(services, survey_answers) == []
    english = client.post("/survey?lang=en", data={"trust-honest": "4"}, follow_redirects=False)
    assert english.status_code == 403 and REFUSED_EN in english.text
    resent = client.post(
        "/survey",
        data={"lang": "de", "trust-honest": "4", "form_token": form_token_of(refused.text)},
        follow_redirects=False,
    )
    assert resent.status_code == 303
    assert [row["value"] for row in stored(services, survey_answers)] == [4]


def test_the_sensor_check_without_a_token_is_refused_offers_the_check_again_and_stores_nothing(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    refused = client.post(
        "/sensors/domplatz-1/check?lang=de", data={"answer": "counts"}, follow_redirects=False
    )
    assert refused.status_code == 403 and REFUSED_DE in refused.text
    assert 'action="/sensors/domplatz-1/check?lang=de"' in refused.text
    assert 'href="/sensors/domplatz-1"' in refused.text
    english = client.post("/sensors/domplatz-1/check?lang=en", data={"answer": "counts"})
    assert english.status_code == 403 and REFUSED_EN in english.text
    assert stored(services, survey_checks) == []
    resent = client.post(
        "/sensors/domplatz-1/check?lang=de",
        data={"answer": "counts", "form_token": form_token_of(refused.text)},
        follow_redirects=False,
    )
    assert resent.status_code == 303
    assert len(stored(services, survey_checks)) == 1


@pytest.mark.parametrize(
    ("answer", "outcome", "german", "english", "correct"),
    [
        ("counts", "right", "Ihre Antwort ist richtig", "Your answer is right", True),
        ("identifiers", "wrong", "Ihre Antwort stimmt leider nicht", "Your answer is not right", False),
        ("photos", "wrong", "Ihre Antwort stimmt leider nicht", "Your answer is not right", False),
    ],
)
def test_after_the_check_the_sensor_page_says_whether_the_answer_was_right_and_gives_the_right_one(
    client: Any,
    services: Services,
    town: Callable[..., dict[str, str]],
    answer: str,
    outcome: str,
    german: str,
    english: str,
    correct: bool,
) -> None:
    town("domplatz")
    fields = with_token(client, "/sensors/domplatz-1", {"answer": answer, "helped": "yes"})
    sent = client.post("/sensors/domplatz-1/check?lang=de", data=fields, follow_redirects=False)
    assert sent.headers["location"] == f"/sensors/domplatz-1?check={outcome}&lang=de#check"
    assert answer not in sent.headers["location"].split("#")[0].replace("domplatz-1", "")
    page = client.get(sent.headers["location"]).text
    assert german in page and "Nur Zählwerte verlassen den Kasten" in page
    assert english in client.get(f"/sensors/domplatz-1?check={outcome}&lang=en").text
    # Stored exactly as before: sensor, month, right or wrong, helped or not.
    [row] = stored(services, survey_checks)
    assert {k: v for k, v in row.items() if k != "check_id"} == {
        "sensor_id": "domplatz-1",
        "month": "2026-06",
        "correct": correct,
        "helped": True,
        "demo": False,
    }


def test_a_check_that_only_says_whether_the_page_helped_gets_thanks_and_the_right_answer(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    fields = with_token(client, "/sensors/domplatz-1", {"helped": "no"})
    sent = client.post("/sensors/domplatz-1/check", data=fields, follow_redirects=False)
    assert sent.headers["location"] == "/sensors/domplatz-1?check=thanks#check"
    page = client.get(sent.headers["location"]).text
    assert "Danke! Richtig ist: Nur Zählwerte" in page and "Ihre Antwort" not in page
    assert [row["correct"] for row in stored(services, survey_checks)] == [None]
