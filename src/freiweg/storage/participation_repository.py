"""Reading and writing feedback items, their public answers and the support counts of ideas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from freiweg.domain.feedback import Submission
from freiweg.storage.participation_tables import feedback_answers, feedback_items, feedback_support


@dataclass(frozen=True)
class StoredItem:
    """A feedback item as stored."""

    id: int
    topic: str
    kind: str
    text: str
    language: str
    channel: str
    status: str
    decline_reason: str | None
    received_hour: int
    published: bool
    has_link: bool
    supporters: int


@dataclass(frozen=True)
class StoredAnswer:
    """A public answer to an item."""

    id: int
    item_id: int
    text: str
    language: str
    status: str
    answered_at: int


# Item ids are 32-bit integers on PostgreSQL; a larger number from a URL names no item (and must
# not reach the driver, which refuses it with an overflow error).
LARGEST_ID = 2**31 - 1

_ITEM_COLUMNS = (
    feedback_items.c.id,
    feedback_items.c.topic,
    feedback_items.c.kind,
    feedback_items.c.text,
    feedback_items.c.language,
    feedback_items.c.channel,
    feedback_items.c.status,
    feedback_items.c.decline_reason,
    feedback_items.c.received_hour,
    feedback_items.c.published,
    feedback_items.c.has_link,
    func.coalesce(feedback_support.c.supporters, 0).label("supporters"),
)
_FROM = feedback_items.outerjoin(feedback_support, feedback_support.c.item_id == feedback_items.c.id)


class ParticipationRepository:
    """Feedback storage on one connection of a unit of work."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, submission: Submission, *, received_hour: int, published: bool = False) -> int:
        """Store a new item waiting for moderation (or already published); return its id."""
        result = self._connection.execute(
            insert(feedback_items)
            .values(
                topic=str(submission.topic),
                kind=submission.kind,
                text=submission.text,
                language=submission.language,
                channel=submission.channel,
                status="new",
                decline_reason=None,
                received_hour=received_hour,
                published=published,
                has_link=submission.has_link,
            )
            .returning(feedback_items.c.id)
        )
        return int(result.scalar_one())

    def get(self, item_id: int) -> StoredItem | None:
        """One item, or None (also for a number no item column can hold)."""
        if not 0 < item_id <= LARGEST_ID:
            return None
        row = self._connection.execute(
            select(*_ITEM_COLUMNS).select_from(_FROM).where(feedback_items.c.id == item_id)
        ).one_or_none()
        return _item(row) if row is not None else None

    def published(self, topic: str | None = None) -> list[StoredItem]:
        """Published items (of one topic, or all), oldest first."""
        statement = select(*_ITEM_COLUMNS).select_from(_FROM).where(feedback_items.c.published.is_(True))
        if topic is not None:
            statement = statement.where(feedback_items.c.topic == topic)
        rows = self._connection.execute(statement.order_by(feedback_items.c.id))
        return [_item(r) for r in rows]

    def waiting(self, limit: int) -> list[StoredItem]:
        """Items neither published nor declined, oldest first."""
        rows = self._connection.execute(
            select(*_ITEM_COLUMNS)
            .select_from(_FROM)
            .where(feedback_items.c.published.is_(False), feedback_items.c.status != "declined")
            .order_by(feedback_items.c.id)
            .limit(limit)
        )
        return [_item(r) for r in rows]

    def answerable(self, limit: int) -> list[StoredItem]:
        """Published items still marked new, oldest first: they wait for an answer."""
        rows = self._connection.execute(
            select(*_ITEM_COLUMNS)
            .select_from(_FROM)
            .where(feedback_items.c.published.is_(True), feedback_items.c.status == "new")
            .order_by(feedback_items.c.id)
            .limit(limit)
        )
        return [_item(r) for r in rows]

    def set_published(self, item_id: int) -> None:
        """Make an item public; an idea gets its support counter now, so supporting only ever updates it."""
        self._connection.execute(
            update(feedback_items).where(feedback_items.c.id == item_id).values(published=True)
        )
        kind = self._connection.execute(
            select(feedback_items.c.kind).where(feedback_items.c.id == item_id)
        ).scalar_one()
        counted = self._connection.execute(
            select(feedback_support.c.item_id).where(feedback_support.c.item_id == item_id)
        ).first()
        if kind == "idea" and counted is None:
            self._connection.execute(insert(feedback_support).values(item_id=item_id, supporters=0))

    def set_declined(self, item_id: int, reason: str) -> None:
        """Decline an item with a reason; it is never public, and its text is erased.

        A declined text is never shown again and may hold what must not be kept (personal data,
        insults): only topic, kind, hour, language, channel and the reason remain.
        """
        self._connection.execute(
            update(feedback_items)
            .where(feedback_items.c.id == item_id)
            .values(published=False, status="declined", decline_reason=reason, text="", has_link=False)
        )

    def add_answer(self, item_id: int, *, text: str, language: str, status: str, now: int) -> int:
        """Store a public answer and set the item's status."""
        result = self._connection.execute(
            insert(feedback_answers)
            .values(item_id=item_id, text=text, language=language, status=status, answered_at=now)
            .returning(feedback_answers.c.id)
        )
        self._connection.execute(
            update(feedback_items).where(feedback_items.c.id == item_id).values(status=status)
        )
        return int(result.scalar_one())

    def answers(self, item_ids: list[int]) -> dict[int, list[StoredAnswer]]:
        """The answers of the given items, oldest first."""
        if not item_ids:
            return {}
        rows = self._connection.execute(
            select(feedback_answers)
            .where(feedback_answers.c.item_id.in_(item_ids))
            .order_by(feedback_answers.c.id)
        )
        found: dict[int, list[StoredAnswer]] = {}
        for r in rows:
            found.setdefault(int(r.item_id), []).append(
                StoredAnswer(int(r.id), int(r.item_id), r.text, r.language, r.status, int(r.answered_at))
            )
        return found

    def add_support(self, item_id: int) -> int:
        """Count one more supporter of an idea; return the new count."""
        changed = self._connection.execute(
            update(feedback_support)
            .where(feedback_support.c.item_id == item_id)
            .values(supporters=feedback_support.c.supporters + 1)
        ).rowcount
        if not changed:
            self._connection.execute(insert(feedback_support).values(item_id=item_id, supporters=1))
        return int(
            self._connection.execute(
                select(feedback_support.c.supporters).where(feedback_support.c.item_id == item_id)
            ).scalar_one()
        )

    def answer_times(self) -> list[tuple[str, int, int | None]]:
        """(kind, received hour, first answer time or None) of every item not declined."""
        first = (
            select(feedback_answers.c.item_id, func.min(feedback_answers.c.answered_at).label("first"))
            .group_by(feedback_answers.c.item_id)
            .subquery()
        )
        rows = self._connection.execute(
            select(feedback_items.c.kind, feedback_items.c.received_hour, first.c.first)
            .select_from(feedback_items.outerjoin(first, first.c.item_id == feedback_items.c.id))
            .where(feedback_items.c.status != "declined")
        )
        return [(r.kind, int(r.received_hour), int(r.first) if r.first is not None else None) for r in rows]

    def count(self) -> int:
        """How many items are stored."""
        return int(self._connection.execute(select(func.count()).select_from(feedback_items)).scalar_one())


def _item(r: Row[*tuple[Any, ...]]) -> StoredItem:
    return StoredItem(
        id=int(r.id),
        topic=r.topic,
        kind=r.kind,
        text=r.text,
        language=r.language,
        channel=r.channel,
        status=r.status,
        decline_reason=r.decline_reason,
        received_hour=int(r.received_hour),
        published=bool(r.published),
        has_link=bool(r.has_link),
        supporters=int(r.supporters),
    )
