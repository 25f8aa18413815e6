"""The survey form without script, the sensor-page check, /trust with its twin and CSV, the console page."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

from freiweg.domain.feedback import MonthlyAnswers
from freiweg.services.registry import Services
from freiweg.services.survey import SurveyService
from tests.conftest import FakeClock
from tests.support.console import csrf_of, signed_in
from tests.support.public_forms import form_token_of


def respond(services: Services, count: int, *answers: tuple[str, int]) -> None:
    """count responses from count different sources, through the service."""
    for i in range(count):
        services.survey.submit(answers=list(answers), language="de", address=f"192.0.2.{i}")


def test_the_trust_page_says_too_few_answers_until_ten_responses_then_shows_the_figure_once_the_month_ended(
    client: Any, services: Services, clock: FakeClock
) -> None:
    respond(services, 9, ("trust-honest", 4), ("understanding-phone-id", 3))
    page = client.get("/trust").text
    assert "zu wenige Antworten" in page and "75.0" not in page
    twin = client.get("/trust.json").json()
    assert twin["months"][0]["trust"] == {
        "published": False,
        "answers": None,
        "note": "not enough answers yet: n < 10",
    }
    respond(services, 1, ("trust-honest", 4), ("understanding-phone-id", 3))
    assert (
        '<td class="figure-trust"><span class="open-month">Monat läuft noch</span></td>'
        in client.get("/trust").text
    )
    clock.advance(days=18, hours=2)  # into July: June can no longer change
    page = client.get("/trust").text
    assert '<td class="figure-trust">75.0 (75.0–75.0)</td>' in page
    assert '<td class="figure-understanding">100.0' in page
    assert "<svg" in page and "<desc" in page and "2026-06: 75.0" in page
    twin = client.get("/trust.json").json()
    assert twin["months"][0]["trust"]["value"] == 75.0 and twin["months"][0]["responses"] == 10
    english = client.get("/trust?lang=en").text
    assert "too few answers" in english and "Understanding" in english


def test_the_trust_csv_has_a_row_per_month_and_measure_and_no_value_below_the_threshold(
    client: Any, services: Services, clock: FakeClock
) -> None:
    respond(services, 10, ("acceptance-continue", 5))
    respond(services, 3, ("trust-figures", 1))
    clock.advance(days=18, hours=2)
    answer = client.get("/trust.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = {(r["month"], r["measure"]): r for r in csv.DictReader(io.StringIO(answer.text))}
    assert rows[("2026-06", "acceptance")]["value"] == "100.0"
    assert rows[("2026-06", "acceptance")]["answers"] == "10"
    assert rows[("2026-06", "trust")]["value"] == "" and rows[("2026-06", "trust")]["answers"] == ""
    assert rows[("2026-06", "trust")]["note"] == "not enough answers yet: n < 10"


def test_the_survey_form_works_without_script_and_thanks_with_the_right_answers(
    client: Any, services: Services
) -> None:
    form = client.get("/survey").text
    assert 'name="understanding-phone-id"' in form and 'name="website"' in form
    assert "Speichert der Sensor die Kennung Ihres Telefons?" in form
    assert client.get("/survey.json").json()["threshold"] == 10
    token = form_token_of(form)
    bad = client.post(
        "/survey", data={"lang": "de", "trust-honest": "7", "form_token": token}, follow_redirects=False
    )
    assert bad.status_code == 422
    assert "Bitte wählen Sie eine der angebotenen Antworten." in bad.text
    empty = client.post(
        "/survey", data={"lang": "de", "trust-honest": "", "form_token": token}, follow_redirects=False
    )
    assert empty.status_code == 422 and "mindestens eine Frage" in empty.text
    sent = client.post(
        "/survey",
        data={"lang": "en", "trust-honest": "5", "page-help": "1", "form_token": token},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/survey/thanks?lang=en"
    thanks = client.get(sent.headers["location"]).text
    assert "Thank you!" in thanks and 'href="/trust"' in thanks and "No, it only counts" in thanks
    assert client.get("/survey/thanks.json").json()["results"] == "/trust"
    assert services.survey.counts()["responses"] == 1


def test_the_sensor_page_asks_its_question_and_records_the_answer(
    client: Any, services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    page = client.get("/sensors/domplatz-1").text
    assert "Was verlässt diesen Kasten?" in page and 'action="/sensors/domplatz-1/check?lang=de"' in page
    assert "Kennungen der Telefone" in page
    token = form_token_of(page)
    sent = client.post(
        "/sensors/domplatz-1/check?lang=de",
        data={"answer": "counts", "helped": "yes", "form_token": token},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/sensors/domplatz-1?check=right&lang=de#check"
    after = client.get("/sensors/domplatz-1?check=right").text
    assert "Nur Zählwerte verlassen den Kasten" in after
    missing = client.post("/sensors/domplatz-1/check", data={"form_token": token}, follow_redirects=False)
    assert missing.headers["location"] == "/sensors/domplatz-1?check=missing#check"
    assert services.survey.counts()["checks"] == 1


def test_the_dashboard_shows_the_share_of_questions_answered_and_the_median_time(
    client: Any, services: Services
) -> None:
    survey = SurveyService(
        database=services.database,
        clock=services.clock,
        timezone="Europe/Berlin",
        flood_guard=services.flood_guard,
        answer_statistics=lambda: [
            MonthlyAnswers("2026-06", questions=8, answered=6, median_hours_to_answer=26.25),
            MonthlyAnswers("2026-05", questions=0, answered=0, median_hours_to_answer=None),
        ],
    )
    questions = survey.dashboard()["questions"]
    assert questions == [
        {
            "month": "2026-05",
            "questions": 0,
            "answered": 0,
            "answered_share": None,
            "median_hours_to_answer": None,
        },
        {
            "month": "2026-06",
            "questions": 8,
            "answered": 6,
            "answered_share": 75.0,
            "median_hours_to_answer": 26.2,
        },
    ]
    # The app's own service reads the feedback service: no questions yet.
    assert client.get("/trust.json").json()["questions"] == []
    assert "Noch keine Fragen." in client.get("/trust").text


def test_editors_add_a_survey_item_in_the_console_and_see_the_responses(
    client: Any, services: Services
) -> None:
    respond(services, 2, ("trust-honest", 4))
    signed_in(client, services, "editor")
    page = client.get("/console/survey")
    assert page.status_code == 200 and "2 Antworten" in page.text
    added = client.post(
        "/console/survey/items",
        data={
            "csrf": csrf_of(page.text),
            "item_id": "understanding-where",
            "kind": "understanding",
            "text_de": "Wo liegen die Zahlen?",
            "text_en": "Where are the figures kept?",
            "options": "Bei der Stadt | With the city\nBei einer Werbefirma | With an ad company",
            "correct": "1",
        },
    )
    assert added.status_code == 201, added.text
    assert "Hinzugefügt: understanding-where" in added.text
    assert "Wo liegen die Zahlen?" in client.get("/survey").text
    refused = client.post(
        "/console/survey/items",
        data={
            "csrf": csrf_of(page.text),
            "item_id": "trust-x",
            "kind": "trust",
            "text_de": "",
            "text_en": "x",
        },
    )
    assert refused.status_code == 422 and "text_de" in refused.text
    no_token = client.post(
        "/console/survey/items", data={"item_id": "trust-y", "kind": "trust", "text_de": "a", "text_en": "b"}
    )
    assert no_token.status_code == 403
    counts = client.get("/console/survey.json").json()
    assert counts["responses"] == 2 and counts["items"][-1]["id"] == "understanding-where"


def test_a_flood_of_survey_forms_comes_back_with_429_the_reason_and_the_seconds_to_wait(
    client: Any, services: Services, clock: FakeClock
) -> None:
    clock.advance(minutes=59)
    token = form_token_of(client.get("/survey").text)
    for _ in range(services.flood_guard.limit_of("survey")):
        sent = client.post(
            "/survey", data={"lang": "de", "trust-honest": "4", "form_token": token}, follow_redirects=False
        )
        assert sent.status_code == 303
    flooded = client.post(
        "/survey", data={"lang": "de", "trust-honest": "2", "form_token": token}, follow_redirects=False
    )
    assert flooded.status_code == 429
    assert flooded.headers["retry-after"] == "60"
    assert "schon mehrere Antworten" in flooded.text
    assert re.search(r'name="trust-honest" value="2"\s+checked', flooded.text)  # kept for a later try
    assert services.survey.counts()["responses"] == services.flood_guard.limit_of("survey")
