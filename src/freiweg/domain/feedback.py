"""Feedback from residents: kinds, topics, statuses, decline reasons, text rules and answer statistics."""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Final

from freiweg.domain.errors import DomainError, FieldProblem, InvalidInput

KINDS: Final = ("question", "concern", "objection", "idea")
# Kinds that ask for an answer; ideas ask for support instead.
ANSWERABLE_KINDS: Final = ("question", "concern", "objection")
STATUSES: Final = ("new", "answered", "planned", "done", "declined")
# Statuses a public answer may set.
ANSWER_STATUSES: Final = ("answered", "planned", "done")
CHANNELS: Final = ("online", "in person")
LANGUAGES: Final = ("de", "en")
TOPIC_KINDS: Final = ("project", "area", "sensor")

DECLINE_REASONS: Final[dict[str, dict[str, str]]] = {
    "off_topic": {"de": "Gehört nicht zum Thema", "en": "Off topic"},
    "personal_data": {"de": "Enthält personenbezogene Daten", "en": "Contains personal data"},
    "insulting": {"de": "Beleidigend oder herabwürdigend", "en": "Insulting or degrading"},
    "advertising": {"de": "Werbung oder Spam", "en": "Advertising or spam"},
    "duplicate": {"de": "Doppelt eingereicht", "en": "Duplicate"},
}

MIN_TEXT: Final = 3
MAX_TEXT: Final = 2000
MAX_ANSWER: Final = 4000
HOUR: Final = 3600
# Support counts below this are shown as "fewer than ..." so that one click cannot be traced.
SMALL_SUPPORT: Final = 5

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}\Z")
_LINK = re.compile(
    r"(?i)(https?://|ftp://|www\.|\b[a-z0-9-]+\.(?:com|net|org|de|eu|info|io|biz|ru|xyz|shop|app|ly)\b)"
)
_ALLOWED_CONTROLS: Final = frozenset("\n\t")


class TooMany(DomainError):
    """One source sent more than its hourly share of submissions or support; nothing was stored."""

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        # Seconds until the flood guard drops its key and counters, for the Retry-After header.
        self.retry_after = retry_after


@dataclass(frozen=True)
class Topic:
    """What an item is about: the project as a whole, one area or one sensor."""

    kind: str
    id: str | None = None

    def __str__(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Submission:
    """A checked item, ready to store."""

    topic: Topic
    kind: str
    text: str
    language: str
    channel: str
    has_link: bool


@dataclass(frozen=True)
class MonthlyAnswers:
    """Questions, concerns and objections of one month and how they were answered in public."""

    month: str  # "YYYY-MM"
    questions: int
    answered: int
    median_hours_to_answer: float | None


def parse_topic(raw: object, *, field: str = "topic") -> Topic:
    """A topic from `project`, `area:<id>` or `sensor:<id>`; InvalidInput naming the field otherwise."""
    if isinstance(raw, str):
        kind, _, ident = raw.strip().partition(":")
        if kind == "project" and not ident:
            return Topic("project")
        if kind in ("area", "sensor") and _ID.match(ident):
            return Topic(kind, ident)
    raise InvalidInput(
        [FieldProblem(None, field, "must be project, area:<id> or sensor:<id>")],
        title="The feedback was not stored.",
    )


def text_problem(raw: object, *, maximum: int = MAX_TEXT) -> str | None:
    """Why raw is not acceptable text (empty, too long, binary, control characters), or None."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return "is not valid UTF-8 text"
    if not isinstance(raw, str):
        return "must be text"
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > maximum:
        return f"may have at most {maximum} characters (has {len(text)})"
    for character in text:
        category = unicodedata.category(character)
        if category == "Cs":
            return "is not valid UTF-8 text"
        if category == "Cc" and character not in _ALLOWED_CONTROLS:
            return "contains control characters; send plain text"
    if len(text) < MIN_TEXT:
        return f"needs at least {MIN_TEXT} characters"
    return None


def clean_text(raw: str) -> str:
    """Text as stored: line ends unified, surrounding space removed (call after text_problem)."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


def contains_link(text: str) -> bool:
    """True when the text holds a web address; such items are flagged for the moderator."""
    return _LINK.search(text) is not None


def check_submission(
    *, topic: object, kind: object, text: object, language: object, channel: object = "online"
) -> Submission:
    """Check every field of a submission; InvalidInput lists each bad field, nothing partial."""
    problems: list[FieldProblem] = []
    parsed: Topic | None = None
    try:
        parsed = parse_topic(topic)
    except InvalidInput as error:
        problems.extend(error.problems)
    if kind not in KINDS:
        problems.append(FieldProblem(None, "kind", f"must be one of {', '.join(KINDS)}"))
    problem = text_problem(text)
    if problem:
        problems.append(FieldProblem(None, "text", problem))
    if language not in LANGUAGES:
        problems.append(FieldProblem(None, "lang", "must be de or en"))
    if channel not in CHANNELS:
        problems.append(FieldProblem(None, "channel", f"must be one of {', '.join(CHANNELS)}"))
    if problems or parsed is None:
        raise InvalidInput(problems, title="The feedback was not stored.")
    cleaned = clean_text(str(text))
    return Submission(parsed, str(kind), cleaned, str(language), str(channel), contains_link(cleaned))


def hour_of(epoch_seconds: int) -> int:
    """The start of the hour an instant falls in: receipt times are kept no finer."""
    return epoch_seconds - epoch_seconds % HOUR


def support_shown(count: int) -> dict[str, int | None]:
    """A support count as published: exact from SMALL_SUPPORT on, else only "fewer than"."""
    if count >= SMALL_SUPPORT:
        return {"count": count, "fewer_than": None}
    return {"count": None, "fewer_than": SMALL_SUPPORT}


def monthly_answers(
    items: Iterable[tuple[str, int, int | None]], *, zone: tzinfo = UTC
) -> list[MonthlyAnswers]:
    """Per month of receipt: answerable items, how many have a public answer, median hours to it.

    Each item is (kind, received hour, first public answer time or None); ideas are left out.
    Hours count from the receipt hour (receipt is stored rounded down), so they err on the long side.
    """
    received: dict[str, int] = {}
    hours: dict[str, list[float]] = {}
    for kind, received_hour, answered_at in items:
        if kind not in ANSWERABLE_KINDS:
            continue
        month = datetime.fromtimestamp(received_hour, UTC).astimezone(zone).strftime("%Y-%m")
        received[month] = received.get(month, 0) + 1
        hours.setdefault(month, [])
        if answered_at is not None:
            hours[month].append(max(0, answered_at - received_hour) / HOUR)
    return [
        MonthlyAnswers(
            month=month,
            questions=received[month],
            answered=len(hours[month]),
            median_hours_to_answer=round(statistics.median(hours[month]), 1) if hours[month] else None,
        )
        for month in sorted(received)
    ]
