"""Places worth visiting (sights, museums, viewpoints) with their opening hours."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from freiweg.domain.errors import FieldProblem, InvalidInput

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
SPAN = r"\d{1,2}:\d{2}-\d{1,2}:\d{2}"
RULE = re.compile(rf"^(?P<days>[A-Za-z,\- ]+?)\s+(?P<spans>{SPAN}(?:\s*,\s*{SPAN})*)$")


class PlaceCategory(StrEnum):
    """What kind of place it is; alternatives are suggested within one kind."""

    SIGHT = "sight"
    CHURCH = "church"
    MUSEUM = "museum"
    VIEWPOINT = "viewpoint"
    GARDEN = "garden"
    INN = "inn"


Span = tuple[int, int]  # minutes after local midnight, [open, close)


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours per weekday (0 = Monday) in the subset 'Mo-Fr 10:00-17:00; Sa,Su 10:00-18:00'."""

    text: str
    spans: tuple[tuple[Span, ...], ...] = field(default=((),) * 7)

    def open_at(self, moment: datetime) -> bool:
        """True when the place is open at the local moment."""
        minute = moment.hour * 60 + moment.minute
        return any(start <= minute < end for start, end in self.spans[moment.weekday()])

    def open_between(self, weekday: int, start: int, end: int) -> bool:
        """True when the place is open for the whole span of minutes on weekday."""
        return any(s <= start and end <= e for s, e in self.spans[weekday])

    def day(self, weekday: int) -> tuple[Span, ...]:
        """The opening spans of one weekday."""
        return self.spans[weekday]


ALWAYS_OPEN = "Mo-Su 00:00-24:00"


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _days(text: str) -> list[int] | None:
    result: list[int] = []
    for part in text.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            return None
        start, end = DAYS.index(first), DAYS.index(last or first)
        index = start
        while True:
            result.append(index)
            if index == end:
                break
            index = (index + 1) % 7
    return result


def parse_opening_hours(text: str) -> OpeningHours:
    """Parse 'Mo-Fr 10:00-17:00; Sa,Su 10:00-12:00,13:00-18:00' or raise InvalidInput saying how."""
    per_day: list[list[Span]] = [[] for _ in DAYS]
    for rule in (r.strip() for r in text.split(";")):
        if not rule:
            continue
        match = RULE.match(rule)
        days = _days(match["days"]) if match else None
        if match is None or days is None:
            raise InvalidInput(
                [
                    FieldProblem(
                        None,
                        "opening_hours",
                        f"cannot read {rule!r}; write e.g. 'Mo-Fr 10:00-17:00; Sa,Su 10:00-18:00'",
                    )
                ]
            )
        for span in match["spans"].split(","):
            start, end = (_minutes(t.strip()) for t in span.split("-"))
            if not 0 <= start < end <= 24 * 60:
                raise InvalidInput(
                    [FieldProblem(None, "opening_hours", f"{span.strip()!r} must close after it opens")]
                )
            for day in days:
                per_day[day].append((start, end))
    if not any(per_day):
        raise InvalidInput([FieldProblem(None, "opening_hours", "name at least one day with its hours")])
    return OpeningHours(text.strip(), tuple(tuple(sorted(d)) for d in per_day))


@dataclass(frozen=True)
class Place:
    """A curated place: where it is, what kind, when it opens, how many visitors a slot takes."""

    id: str
    name_de: str
    name_en: str
    category: PlaceCategory
    area_id: str
    lon: float
    lat: float
    opening_hours: OpeningHours
    capacity: int = 60
    visit_minutes: int = 45

    def name(self, language: str) -> str:
        """The place's name in language, German when unknown."""
        return self.name_en if language == "en" else self.name_de
