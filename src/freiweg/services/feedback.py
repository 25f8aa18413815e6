"""Feedback from residents: submission, moderation, public answers, support for ideas, answer statistics."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from freiweg.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from freiweg.domain.feedback import (
    ANSWER_STATUSES,
    DECLINE_REASONS,
    LANGUAGES,
    MAX_ANSWER,
    MonthlyAnswers,
    Submission,
    TooMany,
    Topic,
    check_submission,
    clean_text,
    hour_of,
    monthly_answers,
    parse_topic,
    support_shown,
    text_problem,
)
from freiweg.services.access_log import AccessLogService
from freiweg.services.clock import Clock, epoch
from freiweg.services.flood_guard import FloodGuard
from freiweg.services.logbook import record_change
from freiweg.storage.participation_repository import ParticipationRepository, StoredAnswer, StoredItem
from freiweg.storage.unit_of_work import Database, UnitOfWork

QUEUE_LIMIT = 200
NOT_STORED = "The feedback was not stored."


class FeedbackService:
    """Everything the feedback API, the pages, the console and the trust dashboard call."""

    def __init__(
        self,
        *,
        database: Database,
        clock: Clock,
        flood_guard: FloodGuard,
        access: AccessLogService,
        timezone: str,
    ) -> None:
        self._database = database
        self._clock = clock
        self._guard = flood_guard
        self._access = access
        self._zone = ZoneInfo(timezone)

    def submit(
        self,
        *,
        topic: object,
        kind: object,
        text: object,
        language: object,
        source: str | None,
        honeypot: str = "",
    ) -> dict[str, Any] | None:
        """Take an item from the public; it waits for moderation. None when the honeypot was filled.

        `source` (the client address) only feeds the flood guard's hourly-keyed hash; it is never stored.
        """
        if honeypot.strip():
            return None
        submission = check_submission(topic=topic, kind=kind, text=text, language=language)
        if not self._guard.allow(source, "feedback"):
            raise TooMany(
                f"This connection sent {self._guard.limit_of('feedback')} items within the hour; "
                "please try again in the next hour.",
                retry_after=self._guard.retry_after(),
            )
        return self._store(submission, published=False)

    def enter_in_person(
        self, *, topic: object, kind: object, text: object, language: object
    ) -> dict[str, Any]:
        """Staff enter an item received at an information desk or consultation hour; it is moderated too."""
        submission = check_submission(
            topic=topic, kind=kind, text=text, language=language, channel="in person"
        )
        return self._store(submission, published=False)

    def _store(self, submission: Submission, *, published: bool) -> dict[str, Any]:
        received = hour_of(epoch(self._clock()))
        with self._database.unit_of_work() as uow:
            self._check_topic_exists(uow, submission.topic)
            item_id = ParticipationRepository(uow.connection).add(
                submission, received_hour=received, published=published
            )
            uow.commit()
        return {"id": item_id, "status": "new", "published": published, "moderation": "waits for moderation"}

    @staticmethod
    def _check_topic_exists(uow: UnitOfWork, topic: Topic) -> None:
        if topic.kind == "area" and topic.id is not None and uow.areas.get(topic.id) is None:
            raise InvalidInput(
                [FieldProblem(None, "topic", f"there is no area {topic.id!r}")], title=NOT_STORED
            )
        if topic.kind == "sensor" and topic.id is not None and uow.sensors.get(topic.id) is None:
            raise InvalidInput(
                [FieldProblem(None, "topic", f"there is no sensor {topic.id!r}")], title=NOT_STORED
            )

    def published(self, topic: str) -> list[dict[str, Any]]:
        """The published items of a topic with their public answers, oldest first."""
        parsed = parse_topic(topic)
        with self._database.reading() as uow:
            repository = ParticipationRepository(uow.connection)
            items = repository.published(str(parsed))
            answers = repository.answers([i.id for i in items])
        return [self._public(i, answers.get(i.id, [])) for i in items]

    def queue(self, *, role: str, purpose_id: str) -> dict[str, Any]:
        """The items waiting for moderation or for an answer; the access is checked and logged first."""
        grant = self._access.record(role=role, purpose_id=purpose_id, scope="moderation_queue")
        with self._database.reading() as uow:
            repository = ParticipationRepository(uow.connection)
            waiting = repository.waiting(QUEUE_LIMIT)
            unanswered = repository.answerable(QUEUE_LIMIT)
        return {
            "purpose": grant.purpose_id,
            "log_seq": grant.log_seq,
            "waiting": [self._private(i) for i in waiting],
            "unanswered": [self._private(i) for i in unanswered],
        }

    def publish(self, item_id: int) -> dict[str, Any]:
        """Make an item public; logged without its text."""
        with self._database.unit_of_work() as uow:
            item = self._item(uow, item_id)
            if item.status == "declined":
                raise Conflict(f"item {item_id} was declined; it stays unpublished")
            ParticipationRepository(uow.connection).set_published(item_id)
            self._log(uow, "feedback.published", item, {"status": item.status})
            uow.commit()
        return {"id": item_id, "published": True}

    def decline(self, item_id: int, reason: str) -> dict[str, Any]:
        """Decline an item with a reason from the fixed list; it is never shown. Logged without its text."""
        if reason not in DECLINE_REASONS:
            raise InvalidInput(
                [FieldProblem(None, "reason", f"must be one of {', '.join(DECLINE_REASONS)}")],
                title="The item was not declined.",
            )
        with self._database.unit_of_work() as uow:
            item = self._item(uow, item_id)
            ParticipationRepository(uow.connection).set_declined(item_id, reason)
            self._log(uow, "feedback.declined", item, {"status": "declined", "reason": reason})
            uow.commit()
        return {"id": item_id, "status": "declined", "reason": reason}

    def answer(self, item_id: int, *, text: object, status: str, language: str) -> dict[str, Any]:
        """Answer a published item in public and set its status (answered, planned, done)."""
        problems = []
        problem = text_problem(text, maximum=MAX_ANSWER)
        if problem:
            problems.append(FieldProblem(None, "text", problem))
        if status not in ANSWER_STATUSES:
            problems.append(FieldProblem(None, "status", f"must be one of {', '.join(ANSWER_STATUSES)}"))
        if language not in LANGUAGES:
            problems.append(FieldProblem(None, "lang", "must be de or en"))
        if problems:
            raise InvalidInput(problems, title="The answer was not stored.")
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            item = self._item(uow, item_id)
            if item.status == "declined" or not item.published:
                raise Conflict(f"item {item_id} is not published; publish it before answering")
            answer_id = ParticipationRepository(uow.connection).add_answer(
                item_id, text=clean_text(str(text)), language=language, status=status, now=now
            )
            self._log(uow, "feedback.answered", item, {"status": status, "answer": answer_id})
            uow.commit()
        return {"id": item_id, "answer": answer_id, "status": status}

    def support(self, item_id: int, *, source: str | None) -> dict[str, Any]:
        """One click of support for a published idea; limited per source and hour, nothing stored about it."""
        with self._database.reading() as uow:
            item = ParticipationRepository(uow.connection).get(item_id)
        if item is None or not item.published:
            raise NotFound(f"there is no published item {item_id}")
        if item.kind != "idea":
            raise Conflict(f"item {item_id} is a {item.kind}; only ideas can be supported")
        if not self._guard.allow(source, "support"):
            raise TooMany(
                f"This connection supported {self._guard.limit_of('support')} ideas within the hour; "
                "please try again in the next hour.",
                retry_after=self._guard.retry_after(),
            )
        with self._database.unit_of_work() as uow:
            supporters = ParticipationRepository(uow.connection).add_support(item_id)
            uow.commit()
        return {"id": item_id, "support": support_shown(supporters)}

    def monthly_answer_statistics(self) -> list[MonthlyAnswers]:
        """Per month: questions, concerns and objections, how many have a public answer, median hours."""
        with self._database.reading() as uow:
            rows = ParticipationRepository(uow.connection).answer_times()
        return monthly_answers(rows, zone=self._zone)

    def _item(self, uow: UnitOfWork, item_id: int) -> StoredItem:
        item = ParticipationRepository(uow.connection).get(item_id)
        if item is None:
            raise NotFound(f"there is no feedback item {item_id}")
        return item

    def _log(self, uow: UnitOfWork, kind: str, item: StoredItem, extra: dict[str, Any]) -> None:
        # The log names the item, never its text: a declined text may hold what must not be kept.
        body = {"item": item.id, "topic": item.topic, "kind": item.kind, **extra}
        record_change(uow, kind=kind, subject=f"feedback:{item.id}", body=body, now=epoch(self._clock()))

    def _time(self, epoch_seconds: int) -> str:
        return datetime.fromtimestamp(epoch_seconds, UTC).astimezone(self._zone).isoformat()

    def _answer(self, answer: StoredAnswer) -> dict[str, Any]:
        return {
            "text": answer.text,
            "language": answer.language,
            "status": answer.status,
            "answered_at": self._time(answer.answered_at),
        }

    def _public(self, item: StoredItem, answers: list[StoredAnswer]) -> dict[str, Any]:
        facts: dict[str, Any] = {
            "id": item.id,
            "topic": item.topic,
            "kind": item.kind,
            "text": item.text,
            "language": item.language,
            "channel": item.channel,
            "status": item.status,
            "received_hour": self._time(item.received_hour),
            "answers": [self._answer(a) for a in answers],
        }
        if item.kind == "idea":
            facts["support"] = support_shown(item.supporters)
        return facts

    def _private(self, item: StoredItem) -> dict[str, Any]:
        return {
            "id": item.id,
            "topic": item.topic,
            "kind": item.kind,
            "text": item.text,
            "language": item.language,
            "channel": item.channel,
            "status": item.status,
            "published": item.published,
            "has_link": item.has_link,
            "received_hour": self._time(item.received_hour),
        }
