"""The database sums survey scores per month by the domain's rules, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from sqlalchemy import event

from freiweg.domain.survey import (
    CONSTRUCTS,
    INSTRUMENT,
    Answer,
    CheckAnswer,
    check_results,
    month_tally,
    monthly_checks,
    monthly_results,
    scoring,
)
from freiweg.services.flood_guard import FLOOD_LIMITS, FloodGuard
from freiweg.services.registry import Services
from freiweg.services.survey import SurveyService
from freiweg.storage.survey_repository import SurveyRepository


def random_responses(rng: random.Random, count: int) -> list[list[tuple[str, int]]]:
    """count responses that each answer a random part of the instrument with random values."""
    responses = []
    for _ in range(count):
        chosen = [item for item in INSTRUMENT if rng.random() < 0.6] or [INSTRUMENT[0]]
        responses.append([(item.id, rng.choice(item.options).value) for item in chosen])
    return responses


def test_the_monthly_tallies_of_the_database_equal_the_domain_s_over_the_same_answers(
    services: Services,
) -> None:
    rng = random.Random(11)
    services.survey.add_item(
        item_id="understanding-where",
        kind="understanding",
        text_de="Wo liegen die Zahlen?",
        text_en="Where are the figures kept?",
        options=[("Bei der Stadt", "With the city"), ("Bei einer Werbefirma", "With an ad company")],
        correct=1,
    )
    items = services.survey.items()
    for month, count in (("2026-04", 7), ("2026-05", 31), ("2026-06", 12)):
        responses = random_responses(rng, count)
        responses[0].append(("understanding-where", 1))
        services.survey.record_demo(month, responses)
    with services.database.reading() as reader:
        repository = SurveyRepository(reader.connection)
        stored = [Answer(a.response_id, a.month, a.item_id, a.value) for a in repository.answers()]
        tallies = repository.month_tallies(scoring(items))
    assert [t.month for t in tallies] == ["2026-04", "2026-05", "2026-06"]
    for tally in tallies:
        expected = month_tally(tally.month, [a for a in stored if a.month == tally.month], items)
        assert tally.responses == expected.responses
        for kind in CONSTRUCTS:
            got, want = tally.constructs[kind], expected.constructs[kind]
            assert (got.count, got.full) == (want.count, want.full), (tally.month, kind)
            assert got.total == pytest.approx(want.total) and got.squares == pytest.approx(want.squares)
    published = services.survey.results()["months"]
    reference = monthly_results(stored, items, open_from=services.survey.open_from())
    assert [m["responses"] for m in published] == [None, 31, 12]
    for shown, computed in zip(published, reference, strict=True):
        for kind in CONSTRUCTS:
            assert shown[kind]["published"] == computed[kind]["published"]
            if computed[kind]["published"]:
                for key in ("value", "low", "high"):
                    assert shown[kind][key] == pytest.approx(computed[kind][key], abs=0.051)


def test_the_monthly_tally_can_be_answered_from_the_covering_index_alone(services: Services) -> None:
    """EXPLAIN the statement the repository really sends; PostgreSQL is asked to avoid a table scan,
    since on a small table (or with default page costs on a large one) it rightly prefers one."""
    engine = services.database.engine
    sent: list[tuple[str, object]] = []

    def capture(_conn: object, _cursor: object, statement: str, parameters: object, *_: object) -> None:
        if "FROM survey_answers" in statement and "GROUP BY" in statement:
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        services.survey.results()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    [(statement, parameters)] = sent
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = [r[3] for r in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            assert "SCAN survey_answers USING COVERING INDEX ix_survey_answers_tally" in plan
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = [r[0] for r in connection.exec_driver_sql("EXPLAIN " + statement, parameters)]
            assert any("Index Only Scan using ix_survey_answers_tally" in line for line in plan), plan


def test_the_check_tallies_of_the_database_give_the_domain_s_shares(services: Services) -> None:
    rng = random.Random(5)
    checks = [(rng.choice([True, False, None]), rng.choice([True, False, None])) for _ in range(40)]
    services.survey.record_demo("2026-05", [], [("s-1", correct, helped) for correct, helped in checks])
    with services.database.reading() as reader:
        tallies = SurveyRepository(reader.connection).check_tallies()
    expected = monthly_checks([CheckAnswer("2026-05", correct, helped) for correct, helped in checks])
    assert check_results(tallies) == expected
    assert services.survey.results()["checks"] == expected


def test_the_results_are_computed_again_only_when_answers_checks_or_items_were_added_anywhere(
    services: Services, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    first = services.survey.results()
    assert services.survey.results() is first  # nothing stored since: the memoised results
    # Another server process on the same database stores ten answers: the figures follow at once.
    other = SurveyService(
        database=services.database,
        clock=services.clock,
        timezone=services.settings.timezone,
        flood_guard=FloodGuard(services.clock, limits=FLOOD_LIMITS),
    )
    for i in range(10):
        other.submit(answers=[("trust-honest", 5)], language="de", address=f"192.0.2.{i}")
    [month] = services.survey.results()["months"]
    assert month["responses"] == 10 and month["trust"]["open"] is True  # June is still open
    other.check(sensor_id="domplatz-1", answer="counts", helped=None, address="192.0.2.1")
    assert [c["month"] for c in services.survey.results()["checks"]] == ["2026-06"]
    before = services.survey.results()
    other.add_item(item_id="trust-data-safe", kind="trust", text_de="Sicher.", text_en="Safe.")
    assert services.survey.results() is not before
