"""Storing and reading survey items, answers and sensor-page checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    and_,
    case,
    cast,
    func,
    insert,
    literal_column,
    null,
    select,
)

from freiweg.domain.survey import CONSTRUCTS, Answer, CheckAnswer, CheckTally, Kind, MonthTally, Tally
from freiweg.storage.survey_tables import survey_answers, survey_checks, survey_items


class SurveyRepository:
    """The survey's rows on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def items(self) -> list[dict[str, Any]]:
        """Operator-added items in the order they were added."""
        rows = self._connection.execute(
            select(survey_items).order_by(survey_items.c.created_at, survey_items.c.id)
        )
        return [dict(row._mapping) for row in rows]

    def add_item(self, row: dict[str, Any]) -> None:
        """Store an operator's item."""
        self._connection.execute(insert(survey_items), [row])

    def add_answers(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store the answers of responses (all of them in one statement)."""
        if rows:
            self._connection.execute(insert(survey_answers), list(rows))

    def add_checks(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store sensor-page checks."""
        if rows:
            self._connection.execute(insert(survey_checks), list(rows))

    def answers(self) -> list[Answer]:
        """Every stored answer."""
        rows = self._connection.execute(
            select(
                survey_answers.c.response_id,
                survey_answers.c.month,
                survey_answers.c.item_id,
                survey_answers.c.value,
            )
        )
        return [Answer(r.response_id, r.month, r.item_id, r.value) for r in rows]

    def checks(self) -> list[CheckAnswer]:
        """Every stored sensor-page check."""
        rows = self._connection.execute(
            select(survey_checks.c.month, survey_checks.c.correct, survey_checks.c.helped)
        )
        return [CheckAnswer(r.month, r.correct, r.helped) for r in rows]

    def month_tallies(self, rules: Mapping[Kind, Mapping[str, int | None]]) -> list[MonthTally]:
        """Per month: responses, and per construct the count, sum and sum of squares of response scores.

        `rules` (from `domain.survey.scoring`) say how each item scores; the database averages each
        response's scores per construct and sums them per month, so one row per month comes back
        however many answers are stored.
        """
        a = survey_answers.c
        per_response = (
            select(
                a.month,
                a.response_id,
                *[func.avg(_score(rules.get(kind, {}))).label(kind) for kind in CONSTRUCTS],
            )
            .group_by(a.month, a.response_id)
            .subquery()
        )
        columns = []
        for kind in CONSTRUCTS:
            score = per_response.c[kind]
            full = case((score == literal_column("100.0"), 1), else_=0)
            columns += [func.count(score), func.sum(score), func.sum(score * score), func.sum(full)]
        rows = self._connection.execute(
            select(per_response.c.month, func.count(), *columns)
            .group_by(per_response.c.month)
            .order_by(per_response.c.month)
        )
        tallies = []
        for row in rows:
            sums = {
                kind: Tally(
                    int(row[2 + 4 * i]),
                    float(row[3 + 4 * i] or 0),
                    float(row[4 + 4 * i] or 0),
                    int(row[5 + 4 * i] or 0),
                )
                for i, kind in enumerate(CONSTRUCTS)
            }
            tallies.append(MonthTally(row[0], int(row[1]), sums))
        return tallies

    def check_tallies(self) -> list[CheckTally]:
        """Per month: checks that answered the question and how many right, that rated the page and helped."""
        c = survey_checks.c
        rows = self._connection.execute(
            select(
                c.month,
                func.count(c.correct),
                func.sum(case((c.correct, 1), else_=0)),
                func.count(c.helped),
                func.sum(case((c.helped, 1), else_=0)),
            )
            .group_by(c.month)
            .order_by(c.month)
        )
        return [CheckTally(r[0], int(r[1]), int(r[2] or 0), int(r[3]), int(r[4] or 0)) for r in rows]

    def row_counts(self) -> tuple[int, int, int]:
        """Stored answers, checks and operator items, in one query: rows are only ever added."""
        count = select(func.count())
        row = self._connection.execute(
            select(
                count.select_from(survey_answers).scalar_subquery(),
                count.select_from(survey_checks).scalar_subquery(),
                count.select_from(survey_items).scalar_subquery(),
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2])

    def has_demo_answers(self) -> bool:
        """True when simulated demo answers are stored."""
        found = self._connection.execute(
            select(survey_answers.c.response_id).where(survey_answers.c.demo).limit(1)
        ).first()
        return found is not None

    def counts(self) -> dict[str, int]:
        """Responses, answers, checks and demo responses stored."""
        answers = self._connection.execute(
            select(
                func.count(func.distinct(survey_answers.c.response_id)),
                func.count(),
            )
        ).one()
        demo = self._connection.execute(
            select(func.count(func.distinct(survey_answers.c.response_id))).where(survey_answers.c.demo)
        ).scalar_one()
        checks = self._connection.execute(select(func.count()).select_from(survey_checks)).scalar_one()
        return {
            "responses": int(answers[0]),
            "answers": int(answers[1]),
            "demo_responses": int(demo),
            "checks": int(checks),
        }

    def responses_per_item(self) -> dict[str, int]:
        """How many responses answered each item."""
        rows = self._connection.execute(
            select(survey_answers.c.item_id, func.count()).group_by(survey_answers.c.item_id)
        )
        return {r[0]: int(r[1]) for r in rows}


def _score(rules: Mapping[str, int | None]) -> ColumnElement[Any]:
    """One answer row's score in percent by the rules of its construct, NULL for other items."""
    a = survey_answers.c
    if not rules:
        return cast(null(), Float)
    whens: list[tuple[ColumnElement[bool], ColumnElement[Any]]] = []
    likert = [item_id for item_id, full in rules.items() if full is None]
    if likert:  # 1 → 0, 2 → 25, ..., 5 → 100, as domain.survey.likert_scaled
        whens.append((a.item_id.in_(likert), (a.value - 1) * literal_column("25.0")))
    for item_id, full in rules.items():
        if full is not None:
            whens.append((and_(a.item_id == item_id, a.value == full), literal_column("100.0")))
    scored = [item_id for item_id, full in rules.items() if full is not None]
    if scored:
        whens.append((a.item_id.in_(scored), literal_column("0.0")))
    return case(*whens, else_=null()).cast(Float)
