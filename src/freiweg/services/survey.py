"""The standing survey: the instrument, anonymous answers, sensor-page checks and the trust dashboard."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freiweg.domain.errors import FieldProblem, InvalidInput
from freiweg.domain.feedback import MonthlyAnswers, TooMany
from freiweg.domain.survey import (
    CHECK_OPTIONS,
    CHECK_QUESTION,
    INSTRUMENT,
    LIKERT_OPTIONS,
    MIN_ANSWERS,
    Option,
    SurveyItem,
    check_answers,
    check_is_correct,
    check_results,
    new_item,
    results_of,
    scoring,
)
from freiweg.services.clock import Clock, epoch
from freiweg.services.flood_guard import FloodGuard
from freiweg.services.logbook import record_change
from freiweg.storage.survey_repository import SurveyRepository
from freiweg.storage.unit_of_work import Database

CHECK_ANSWERS = tuple(value for value, _ in CHECK_OPTIONS)
# How long after its end a month stays open (see SurveyService.open_from).
OPEN_GRACE = timedelta(hours=1)


AnswerStatistics = Callable[[], Sequence[MonthlyAnswers]]


def random_id() -> str:
    """A random id that links the answers of one response and nothing else."""
    return secrets.token_hex(16)


class SurveyService:
    """The instrument (shipped and added items), answers and checks, and their monthly figures."""

    def __init__(
        self,
        *,
        database: Database,
        clock: Clock,
        timezone: str,
        flood_guard: FloodGuard,
        answer_statistics: AnswerStatistics | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._zone = ZoneInfo(timezone)
        self._flood_guard = flood_guard
        self._answer_statistics = answer_statistics
        # The newest results, the stored-row counts and the first open month they were computed from.
        self._memo: tuple[tuple[tuple[int, int, int], str], dict[str, Any]] | None = None
        self._memo_lock = threading.Lock()
        self._computing = threading.Lock()

    def month(self) -> str:
        """The current month in the town's time zone, YYYY-MM: the only time an answer keeps."""
        return self._clock().astimezone(self._zone).strftime("%Y-%m")

    def open_from(self) -> str:
        """The first month whose figures are still withheld: the current one, for an hour after it ended.

        The hour's grace covers an answer whose month was taken just before midnight and that is
        stored just after: a published month never changes afterwards.
        """
        return (self._clock() - OPEN_GRACE).astimezone(self._zone).strftime("%Y-%m")

    def items(self) -> dict[str, SurveyItem]:
        """Every item by id: the shipped instrument first, then the operators' in the order added."""
        with self._database.reading() as reader:
            return all_items(SurveyRepository(reader.connection).items())

    def instrument(self) -> dict[str, Any]:
        """The survey as data: items with their options, the threshold, the sensor-page check."""
        return {
            "items": [item.facts() for item in self.items().values()],
            "likert": [o.facts() for o in LIKERT_OPTIONS],
            "threshold": MIN_ANSWERS,
            "check": {
                "question": dict(CHECK_QUESTION),
                "options": [{"value": value, "text": dict(text)} for value, text in CHECK_OPTIONS],
            },
        }

    def add_item(
        self,
        *,
        item_id: str,
        kind: str,
        text_de: str,
        text_en: str,
        options: Sequence[tuple[str, str]] = (),
        correct: int | None = None,
    ) -> dict[str, Any]:
        """Add an operator's item; the addition is written to the transparency log in the same transaction."""
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = SurveyRepository(uow.connection)
            taken = {item.id for item in INSTRUMENT} | {row["id"] for row in repository.items()}
            item = new_item(
                item_id=item_id.strip(),
                kind=kind,
                text_de=text_de,
                text_en=text_en,
                options=options,
                correct=correct,
                taken=taken,
            )
            repository.add_item(
                {
                    "id": item.id,
                    "kind": item.kind,
                    "text_de": item.text["de"],
                    "text_en": item.text["en"],
                    "options": [dict(o.text) for o in item.options] if item.kind == "understanding" else [],
                    "correct": item.correct,
                    "created_at": now,
                }
            )
            facts = item.facts()
            record_change(
                uow, kind="survey.item_added", subject=f"survey-item:{item.id}", body=facts, now=now
            )
            uow.commit()
        return facts

    def submit(
        self, *, answers: Sequence[tuple[Any, Any]], language: Any, address: str | None, website: str = ""
    ) -> bool:
        """Store one response whole, or raise naming each bad item and field; False for a filled honeypot.

        A filled ``website`` field (invisible to people) marks a robot: the answer looks accepted
        but nothing is stored. Checked answers count against the source's hourly limit.
        """
        checked = check_answers(answers, self.items(), language)
        if website.strip():
            return False
        self._allow(address, "survey")
        response_id, month = random_id(), self.month()
        rows = [
            {
                "response_id": response_id,
                "item_id": item_id,
                "month": month,
                "language": language,
                "value": value,
                "demo": False,
            }
            for item_id, value in checked
        ]
        with self._database.unit_of_work() as uow:
            SurveyRepository(uow.connection).add_answers(rows)
            uow.commit()
        return True

    def check(
        self,
        *,
        sensor_id: Any,
        answer: Any,
        helped: Any,
        address: str | None,
        website: str = "",
    ) -> bool:
        """Store a sensor page's check (right or wrong, helped or not); False for a filled honeypot."""
        problems = []
        if answer is not None and answer not in CHECK_ANSWERS:
            problems.append(
                FieldProblem(None, "answer", "must be " + ", ".join(CHECK_ANSWERS) + " or absent")
            )
        if helped is not None and not isinstance(helped, bool):
            problems.append(FieldProblem(None, "helped", "must be true, false or absent"))
        if answer is None and helped is None:
            problems.append(
                FieldProblem(None, "answer", "answer the question or say whether the page helped")
            )
        with self._database.reading() as reader:
            known = isinstance(sensor_id, str) and reader.sensors.get(sensor_id) is not None
        if not known:
            problems.append(FieldProblem(None, "sensor_id", f"unknown sensor {sensor_id!r}"))
        if problems:
            raise InvalidInput(problems, title="The check was not stored; nothing was kept.")
        if website.strip():
            return False
        self._allow(address, "check")
        row = {
            "check_id": random_id(),
            "sensor_id": sensor_id,
            "month": self.month(),
            "correct": None if answer is None else check_is_correct(answer),
            "helped": helped,
            "demo": False,
        }
        with self._database.unit_of_work() as uow:
            SurveyRepository(uow.connection).add_checks([row])
            uow.commit()
        return True

    def record_demo(
        self,
        month: str,
        responses: Sequence[Sequence[tuple[str, int]]],
        checks: Sequence[tuple[str, bool | None, bool | None]] = (),
    ) -> None:
        """Store simulated responses and checks for a month, marked demo (for `freiweg demo` only)."""
        answers = []
        for response in responses:
            response_id = random_id()
            answers += [
                {
                    "response_id": response_id,
                    "item_id": item_id,
                    "month": month,
                    "language": "de",
                    "value": value,
                    "demo": True,
                }
                for item_id, value in response
            ]
        check_rows = [
            {
                "check_id": random_id(),
                "sensor_id": sensor_id,
                "month": month,
                "correct": correct,
                "helped": helped,
                "demo": True,
            }
            for sensor_id, correct, helped in checks
        ]
        with self._database.unit_of_work() as uow:
            repository = SurveyRepository(uow.connection)
            repository.add_answers(answers)
            repository.add_checks(check_rows)
            uow.commit()

    def counts(self) -> dict[str, Any]:
        """For staff: responses, answers and checks stored, and responses per item."""
        with self._database.reading() as reader:
            repository = SurveyRepository(reader.connection)
            totals = repository.counts()
            per_item = repository.responses_per_item()
        items = self.items()
        return {
            **totals,
            "items": [
                {
                    "id": item.id,
                    "kind": item.kind,
                    "text": dict(item.text),
                    "responses": per_item.get(item.id, 0),
                }
                for item in items.values()
            ],
        }

    def results(self) -> dict[str, Any]:
        """Monthly figures of the survey and of the sensor-page checks; none below the threshold.

        The database sums the scores per month (one row per month, however many answers there
        are); the figures, their intervals and the threshold are the domain's. Answers, checks and
        items are only ever added, never changed or removed, so their row counts name the data
        the figures come from: while they stand, the memoised results are returned (one cheap
        query), on every process alike. The returned dict is shared; callers must not change it.
        """
        with self._database.reading() as reader:
            stored = (SurveyRepository(reader.connection).row_counts(), self.open_from())
        memo = self._memo
        if memo is not None and memo[0] == stored:
            return memo[1]
        # One computation at a time: requests that find the figures outdated while they are being
        # computed wait for them instead of all computing the same figures side by side.
        with self._computing:
            return self._compute_results()

    def _compute_results(self) -> dict[str, Any]:
        with self._database.reading() as reader:
            repository = SurveyRepository(reader.connection)
            open_from = self.open_from()
            stored = (repository.row_counts(), open_from)
            memo = self._memo
            if memo is not None and memo[0] == stored:
                return memo[1]
            items = all_items(repository.items())
            tallies = repository.month_tallies(scoring(items))
            checks = repository.check_tallies()
            demo = repository.has_demo_answers()
        results = {
            "threshold": MIN_ANSWERS,
            "scale": "percent: share correct (understanding), Likert 1-5 scaled to 0-100 (trust, "
            "acceptance), share yes (page_help); 95 % intervals",
            "demo_responses": demo,
            "months": results_of(tallies, open_from=open_from),
            "checks": check_results(checks, open_from=open_from),
        }
        with self._memo_lock:
            self._memo = (stored, results)
        return results

    def answered_questions(self) -> list[dict[str, Any]] | None:
        """Per month: questions asked through feedback, share answered, median hours to an answer."""
        if self._answer_statistics is None:
            return None
        months = []
        for entry in self._answer_statistics():
            share = round(100 * entry.answered / entry.questions, 1) if entry.questions else None
            median = entry.median_hours_to_answer
            months.append(
                {
                    "month": entry.month,
                    "questions": entry.questions,
                    "answered": entry.answered,
                    "answered_share": share,
                    "median_hours_to_answer": None if median is None else round(median, 1),
                }
            )
        return sorted(months, key=lambda m: m["month"])

    def dashboard(self) -> dict[str, Any]:
        """The trust dashboard: survey and check figures per month, and how questions were answered."""
        return {**self.results(), "questions": self.answered_questions()}

    def _allow(self, address: str | None, action: str) -> None:
        if not self._flood_guard.allow(address, action):
            limit = self._flood_guard.limit_of(action)
            raise TooMany(
                f"at most {limit} {action} submissions per hour from one connection; nothing was stored",
                retry_after=self._flood_guard.retry_after(),
            )


def all_items(rows: Sequence[dict[str, Any]]) -> dict[str, SurveyItem]:
    """The shipped instrument first, then the operators' items (rows in the order added)."""
    items = {item.id: item for item in INSTRUMENT}
    for row in rows:
        items[row["id"]] = stored_item(row)
    return items


def stored_item(row: dict[str, Any]) -> SurveyItem:
    """An operator's item from its row."""
    texts = {"de": row["text_de"], "en": row["text_en"]}
    if row["kind"] == "understanding":
        options = tuple(Option(i + 1, dict(text)) for i, text in enumerate(row["options"]))
        return SurveyItem(row["id"], "understanding", texts, options, row["correct"], shipped=False)
    return SurveyItem(row["id"], row["kind"], texts, LIKERT_OPTIONS, shipped=False)
