"""Feedback rules: topics, text validation, link flags, hours, small support counts, answer statistics."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from freiweg.domain.errors import InvalidInput
from freiweg.domain.feedback import (
    MAX_TEXT,
    MonthlyAnswers,
    Topic,
    check_submission,
    hour_of,
    monthly_answers,
    parse_topic,
    support_shown,
    text_problem,
)


def at(*parts: int) -> int:
    """Epoch seconds of a UTC time."""
    return int(datetime(*parts, tzinfo=UTC).timestamp())  # type: ignore[misc]


def fields_of(error: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    """The fields an InvalidInput names."""
    return [p.field for p in error.value.problems]


def test_topics_are_the_project_an_area_or_a_sensor() -> None:
    assert parse_topic("project") == Topic("project")
    assert parse_topic("area:obere-bruecke") == Topic("area", "obere-bruecke")
    assert str(parse_topic("sensor:obere-bruecke-1")) == "sensor:obere-bruecke-1"
    for bad in ("", "area:", "street:x", "area:../etc", "project:x", "area:Obere Brücke", 7):
        with pytest.raises(InvalidInput):
            parse_topic(bad)


def test_text_is_trimmed_and_kept_as_typed_including_markup() -> None:
    submission = check_submission(
        topic="project", kind="question", text="  <b>Warum</b> <script>x()</script>?\r\n  ", language="de"
    )
    assert submission.text == "<b>Warum</b> <script>x()</script>?"
    assert submission.channel == "online"
    assert not submission.has_link


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "at least 3"),
        ("  ab  ", "at least 3"),
        ("x" * (MAX_TEXT + 1), "at most 2000"),
        ("abc\x00def", "control characters"),
        ("abc\x1b[31m", "control characters"),
        (b"\xff\xfe\x00binary", "not valid UTF-8"),
        ("abc\ud800", "not valid UTF-8"),
        (42, "must be text"),
    ],
)
def test_empty_oversized_binary_and_control_text_is_refused_with_a_reason(text: object, reason: str) -> None:
    problem = text_problem(text)
    assert problem is not None
    assert reason in problem


def test_newlines_tabs_umlauts_and_exactly_the_limits_are_accepted() -> None:
    assert text_problem("Ä\tö\nü") is None
    assert text_problem("x" * MAX_TEXT) is None


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InvalidInput) as error:
        check_submission(topic="street:x", kind="rant", text="", language="fr", channel="fax")
    assert fields_of(error) == ["topic", "kind", "text", "lang", "channel"]


@pytest.mark.parametrize(
    "text",
    ["see https://example.com now", "www.example.org", "buy at cheap-pills.shop", "HTTP://EXAMPLE.DE"],
)
def test_items_with_links_are_flagged_for_the_moderator(text: str) -> None:
    assert check_submission(topic="project", kind="idea", text=text, language="en").has_link


def test_words_with_dots_are_not_links() -> None:
    sentence = check_submission(topic="project", kind="idea", text="Ende. Neuer Satz.", language="de")
    assert not sentence.has_link


def test_receipt_is_rounded_down_to_the_hour() -> None:
    assert hour_of(at(2026, 6, 13, 10, 59, 59)) == at(2026, 6, 13, 10)
    assert hour_of(at(2026, 6, 13, 10)) == at(2026, 6, 13, 10)


def test_small_support_counts_are_shown_only_as_fewer_than_five() -> None:
    assert support_shown(0) == {"count": None, "fewer_than": 5}
    assert support_shown(4) == {"count": None, "fewer_than": 5}
    assert support_shown(5) == {"count": 5, "fewer_than": None}


def test_monthly_statistics_count_questions_concerns_objections_but_not_ideas() -> None:
    items = [
        ("question", at(2026, 5, 3, 10), at(2026, 5, 3, 12)),  # 2 hours
        ("concern", at(2026, 5, 20, 8), at(2026, 5, 21, 8)),  # 24 hours
        ("objection", at(2026, 5, 31, 9), at(2026, 6, 1, 15)),  # 30 hours
        ("question", at(2026, 5, 31, 10), None),
        ("idea", at(2026, 5, 5, 10), at(2026, 5, 5, 11)),
        ("question", at(2026, 6, 2, 10), None),
    ]
    assert monthly_answers(items) == [
        MonthlyAnswers("2026-05", questions=4, answered=3, median_hours_to_answer=24.0),
        MonthlyAnswers("2026-06", questions=1, answered=0, median_hours_to_answer=None),
    ]


def test_months_follow_the_town_s_time_zone() -> None:
    # 23:00 UTC on 31 May is 1 June in Bamberg.
    items = [("question", at(2026, 5, 31, 23), at(2026, 6, 1, 0))]
    [month] = monthly_answers(items, zone=ZoneInfo("Europe/Berlin"))
    assert month == MonthlyAnswers("2026-06", 1, 1, 1.0)


def test_no_items_give_no_months() -> None:
    assert monthly_answers([]) == []
