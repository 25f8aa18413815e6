"""The standing survey on understanding, trust and acceptance: the instrument and its monthly figures."""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from freiweg.domain.errors import FieldProblem, InvalidInput

Kind = Literal["understanding", "trust", "acceptance", "page_help"]
KINDS: Final[tuple[Kind, ...]] = ("understanding", "trust", "acceptance", "page_help")
# Constructs published on the trust dashboard, in this order.
CONSTRUCTS: Final[tuple[Kind, ...]] = KINDS
LIKERT: Final = (1, 2, 3, 4, 5)
YES, NO = 1, 0
LANGUAGES: Final = ("de", "en")
# No figure is published with fewer answers than this behind it; below it only "n < 10" is said.
MIN_ANSWERS: Final = 10
NOT_ENOUGH: Final = f"not enough answers yet: n < {MIN_ANSWERS}"
# A month's figures move with every answer while the month is open: two readings one answer apart
# would give that answer away (n·mean after minus n·mean before). So they are published only once
# the month has ended and can no longer change.
STILL_OPEN: Final = "the month is still open: its figures are published once it has ended"
WITHHELD_OPEN: Final = {"published": False, "open": True, "answers": None, "note": STILL_OPEN}
ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}\Z")  # \Z: "$" also matches before a final "\n"
MAX_TEXT = 300
MAX_OPTIONS = 6

# Two-sided 95 % quantiles of Student's t for 1 to 30 degrees of freedom.
T_975: Final = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
Z_975: Final = 1.959964


@dataclass(frozen=True)
class Option:
    """One answer to choose, with its stored value."""

    value: int
    text: Mapping[str, str]

    def facts(self) -> dict[str, Any]:
        """The option as plain data."""
        return {"value": self.value, "text": dict(self.text)}


LIKERT_OPTIONS: Final = (
    Option(1, {"de": "stimme gar nicht zu", "en": "strongly disagree"}),
    Option(2, {"de": "stimme eher nicht zu", "en": "disagree"}),
    Option(3, {"de": "teils, teils", "en": "neither agree nor disagree"}),
    Option(4, {"de": "stimme eher zu", "en": "agree"}),
    Option(5, {"de": "stimme voll zu", "en": "strongly agree"}),
)
YES_NO_OPTIONS: Final = (Option(YES, {"de": "ja", "en": "yes"}), Option(NO, {"de": "nein", "en": "no"}))


@dataclass(frozen=True)
class SurveyItem:
    """A question or statement: understanding items have options and one correct answer."""

    id: str
    kind: Kind
    text: Mapping[str, str]
    options: tuple[Option, ...]
    correct: int | None = None
    shipped: bool = True

    def allows(self, value: int) -> bool:
        """True when value is one of the item's answers."""
        return any(o.value == value for o in self.options)

    def facts(self) -> dict[str, Any]:
        """The item as plain data (the correct answer included: the survey teaches, it does not test)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "text": dict(self.text),
            "options": [o.facts() for o in self.options],
            "correct": self.correct,
            "shipped": self.shipped,
        }


def _choice(*texts: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(i + 1, {"de": de, "en": en}) for i, (de, en) in enumerate(texts))


def _likert(item_id: str, kind: Kind, de: str, en: str) -> SurveyItem:
    return SurveyItem(item_id, kind, {"de": de, "en": en}, LIKERT_OPTIONS)


INSTRUMENT: Final[tuple[SurveyItem, ...]] = (
    SurveyItem(
        "understanding-phone-id",
        "understanding",
        {
            "de": "Speichert der Sensor die Kennung Ihres Telefons?",
            "en": "Does the sensor store your phone's identifier?",
        },
        _choice(
            ("Ja, dauerhaft", "Yes, permanently"),
            ("Ja, einen Tag lang", "Yes, for a day"),
            ("Nein, er zählt nur", "No, it only counts"),
        ),
        correct=3,
    ),
    SurveyItem(
        "understanding-key",
        "understanding",
        {
            "de": "Wie lange gilt der Schlüssel, mit dem der Sensor Geräte unterscheidet?",
            "en": "How long is the key valid that the sensor uses to tell devices apart?",
        },
        _choice(
            ("Ein paar Minuten", "A few minutes"),
            ("Einen Tag", "One day"),
            ("Für immer", "Forever"),
        ),
        correct=1,
    ),
    SurveyItem(
        "understanding-purpose",
        "understanding",
        {"de": "Wozu werden die Zahlen genutzt?", "en": "What are the figures used for?"},
        _choice(
            ("Um einzelne Personen zu verfolgen", "To follow individual people"),
            (
                "Um Besucher zu ruhigeren Orten und Zeiten zu leiten",
                "To guide visitors to quieter places and times",
            ),
            ("Für Werbung in Geschäften", "For advertising in shops"),
        ),
        correct=2,
    ),
    SurveyItem(
        "understanding-check",
        "understanding",
        {"de": "Können Sie die Angaben der Stadt überprüfen?", "en": "Can you check what the city says?"},
        _choice(
            ("Nein, man muss der Stadt glauben", "No, one has to take the city's word"),
            (
                "Ja, im öffentlichen Protokoll, das Ihr Browser selbst prüft",
                "Yes, in the public log, which your browser checks itself",
            ),
            ("Nur mit einem Antrag bei der Stadt", "Only by applying to the city"),
        ),
        correct=2,
    ),
    _likert(
        "trust-honest",
        "trust",
        "Ich vertraue darauf, dass die Stadt nur Zählwerte erfasst, wie sie es sagt.",
        "I trust that the city collects only counts, as it says.",
    ),
    _likert(
        "trust-figures",
        "trust",
        "Die angezeigten Zahlen geben ehrlich wieder, wie voll es ist.",
        "The figures shown honestly reflect how busy it is.",
    ),
    _likert(
        "trust-misuse",
        "trust",
        "Ich bin sicher, dass die Daten nicht für andere Zwecke missbraucht werden.",
        "I am confident the data are not misused for other purposes.",
    ),
    _likert(
        "acceptance-sensors",
        "acceptance",
        "Ich finde es in Ordnung, dass in der Altstadt solche Zähler hängen.",
        "I am fine with such counters in the old town.",
    ),
    _likert(
        "acceptance-useful",
        "acceptance",
        "Die Angaben helfen mir, volle Orte und Zeiten zu meiden.",
        "The information helps me avoid busy places and times.",
    ),
    _likert(
        "acceptance-continue",
        "acceptance",
        "Die Stadt sollte das Zählen fortsetzen.",
        "The city should continue counting.",
    ),
    SurveyItem(
        "page-help",
        "page_help",
        {
            "de": "Hat Ihnen die Seite zum Sensor geholfen?",
            "en": "Did the sensor's page help you?",
        },
        YES_NO_OPTIONS,
    ),
)

# The short check on every sensor page: one question, and whether the page helped.
CHECK_QUESTION: Final = {"de": "Was verlässt diesen Kasten?", "en": "What leaves this box?"}
CHECK_OPTIONS: Final = (
    ("counts", {"de": "nur Zählwerte", "en": "only counts"}),
    ("identifiers", {"de": "Kennungen der Telefone", "en": "phone identifiers"}),
    ("photos", {"de": "Fotos", "en": "photos"}),
)
CHECK_CORRECT: Final = "counts"


def check_is_correct(answer: str) -> bool:
    """True for the right answer to the sensor-page question."""
    return answer == CHECK_CORRECT


def new_item(
    *,
    item_id: str,
    kind: str,
    text_de: str,
    text_en: str,
    options: Sequence[tuple[str, str]] = (),
    correct: int | None = None,
    taken: Iterable[str] = (),
) -> SurveyItem:
    """An operator's item, checked: Likert statements, or questions with 2 to 6 options and one answer."""
    problems = []
    if not ITEM_ID.match(item_id):
        problems.append(FieldProblem(None, "id", "2 to 40 lower-case letters, digits and hyphens"))
    elif item_id in set(taken):
        problems.append(FieldProblem(None, "id", f"an item {item_id!r} exists already"))
    if kind not in ("understanding", "trust", "acceptance"):
        problems.append(FieldProblem(None, "kind", "must be understanding, trust or acceptance"))
    for field, text in (("text_de", text_de), ("text_en", text_en)):
        if not text.strip() or len(text) > MAX_TEXT:
            problems.append(FieldProblem(None, field, f"needs a text of 1 to {MAX_TEXT} characters"))
    if kind == "understanding":
        if not 2 <= len(options) <= MAX_OPTIONS:
            problems.append(FieldProblem(None, "options", f"needs 2 to {MAX_OPTIONS} options"))
        for index, (de, en) in enumerate(options):
            if not de.strip() or not en.strip() or len(de) > MAX_TEXT or len(en) > MAX_TEXT:
                problems.append(FieldProblem(index, "options", "each option needs a German and English text"))
        if correct is None or not 1 <= correct <= len(options):
            problems.append(FieldProblem(None, "correct", "must name the correct option (1, 2, ...)"))
    elif options or correct is not None:
        problems.append(FieldProblem(None, "options", "Likert statements take no options"))
    if problems:
        raise InvalidInput(problems, title="The survey item was not added; nothing was changed.")
    texts = {"de": text_de.strip(), "en": text_en.strip()}
    if kind == "understanding":
        choices = tuple(
            Option(i + 1, {"de": de.strip(), "en": en.strip()}) for i, (de, en) in enumerate(options)
        )
        return SurveyItem(item_id, "understanding", texts, choices, correct, shipped=False)
    return SurveyItem(item_id, kind, texts, LIKERT_OPTIONS, shipped=False)  # type: ignore[arg-type]


def check_answers(
    answers: Sequence[tuple[Any, Any]], items: Mapping[str, SurveyItem], language: Any
) -> list[tuple[str, int]]:
    """The (item id, value) pairs of one response, or InvalidInput naming each bad item and field."""
    problems = []
    if language not in LANGUAGES:
        problems.append(FieldProblem(None, "lang", "must be de or en"))
    if not answers:
        problems.append(FieldProblem(None, "answers", "answer at least one question"))
    if len(answers) > len(items):
        problems.append(FieldProblem(None, "answers", f"at most {len(items)} answers"))
    seen: set[str] = set()
    checked = []
    for index, (item_id, value) in enumerate(answers):
        item = items.get(item_id) if isinstance(item_id, str) else None
        if item is None:
            problems.append(FieldProblem(index, "item", f"unknown survey item {item_id!r}"))
            continue
        if item_id in seen:
            problems.append(FieldProblem(index, "item", f"{item_id} is answered twice"))
            continue
        seen.add(item_id)
        if isinstance(value, bool) or not isinstance(value, int) or not item.allows(value):
            allowed = ", ".join(str(o.value) for o in item.options)
            problems.append(FieldProblem(index, "value", f"must be one of {allowed} for {item_id}"))
            continue
        checked.append((item_id, value))
    if problems:
        raise InvalidInput(problems, title="The survey answers were not stored; nothing was kept.")
    return checked


@dataclass(frozen=True)
class Answer:
    """One stored answer: which response, month, item and value."""

    response_id: str
    month: str
    item_id: str
    value: int


@dataclass(frozen=True)
class Figure:
    """One published number: a mean or share in percent with its 95 % interval and answers behind it."""

    answers: int
    value: float
    low: float
    high: float

    @property
    def published(self) -> bool:
        """Only figures with at least MIN_ANSWERS answers behind them are shown."""
        return self.answers >= MIN_ANSWERS

    def facts(self) -> dict[str, Any]:
        """The figure for the public: never the value, nor the exact count, below the threshold."""
        if not self.published:
            return {"published": False, "answers": None, "note": NOT_ENOUGH}
        return {
            "published": True,
            "answers": self.answers,
            "value": round(self.value, 1),
            "low": round(self.low, 1),
            "high": round(self.high, 1),
        }


def t_quantile(degrees: int) -> float:
    """The 97.5 % quantile of Student's t (a Cornish-Fisher step beyond the table)."""
    if degrees <= 0:
        return math.inf
    if degrees <= len(T_975):
        return T_975[degrees - 1]
    z = Z_975
    return z + (z**3 + z) / (4 * degrees) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * degrees**2)


def mean_figure(scores: Sequence[float]) -> Figure:
    """The mean of scores (0–100) with a t interval clipped to 0–100."""
    n = len(scores)
    if n == 0:
        return Figure(0, math.nan, math.nan, math.nan)
    mean = statistics.fmean(scores)
    if n < 2:
        return Figure(n, mean, 0.0, 100.0)
    half = t_quantile(n - 1) * statistics.stdev(scores) / math.sqrt(n)
    return Figure(n, mean, max(0.0, mean - half), min(100.0, mean + half))


def share_figure(successes: int, n: int) -> Figure:
    """A share in percent with its Wilson score interval."""
    if n == 0:
        return Figure(0, math.nan, math.nan, math.nan)
    p = successes / n
    z = Z_975
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Figure(n, 100 * p, 100 * max(0.0, centre - half), 100 * min(1.0, centre + half))


def likert_scaled(value: int) -> float:
    """A Likert answer on 0–100: 1 is 0, 3 is 50, 5 is 100."""
    return (value - 1) * 25.0


def scoring(items: Mapping[str, SurveyItem]) -> dict[Kind, dict[str, int | None]]:
    """Per construct, its items and the value that scores 100 (None: a statement scaled 1–5 → 0–100).

    Factual questions score 100 for the right option and 0 otherwise, "did the page help?" 100 for
    yes; statements score their scaled value. The store aggregates with exactly these rules.
    """
    rules: dict[Kind, dict[str, int | None]] = {kind: {} for kind in CONSTRUCTS}
    for item in items.values():
        if item.kind == "understanding":
            rules[item.kind][item.id] = item.correct
        elif item.kind == "page_help":
            rules[item.kind][item.id] = YES
        else:
            rules[item.kind][item.id] = None
    return rules


def answer_score(item: SurveyItem, value: int) -> float:
    """One answer's score in percent: right or wrong (100 or 0), yes or no, or the scaled statement."""
    if item.kind == "understanding":
        return 100.0 if value == item.correct else 0.0
    if item.kind == "page_help":
        return 100.0 if value == YES else 0.0
    return likert_scaled(value)


def respondent_scores(answers: Iterable[Answer], items: Mapping[str, SurveyItem]) -> dict[Kind, list[float]]:
    """Per construct, one score per response: share correct or scaled Likert mean, in percent."""
    per_response: dict[tuple[Kind, str], list[float]] = defaultdict(list)
    for answer in answers:
        item = items.get(answer.item_id)
        if item is None:
            continue
        per_response[(item.kind, answer.response_id)].append(answer_score(item, answer.value))
    scores: dict[Kind, list[float]] = {kind: [] for kind in CONSTRUCTS}
    for (kind, _response), values in sorted(per_response.items()):
        scores[kind].append(statistics.fmean(values))
    return scores


@dataclass(frozen=True)
class Tally:
    """One construct's per-response scores in one month, as sums: enough for a mean, its interval, a share."""

    count: int = 0
    total: float = 0.0
    squares: float = 0.0
    full: int = 0  # responses that scored 100 (for shares such as "the page helped")


@dataclass(frozen=True)
class MonthTally:
    """What one month's figures are made of: its responses and a tally per construct."""

    month: str
    responses: int
    constructs: Mapping[Kind, Tally]


def tally_of(scores: Sequence[float]) -> Tally:
    """The sums of per-response scores."""
    return Tally(
        len(scores), math.fsum(scores), math.fsum(s * s for s in scores), sum(1 for s in scores if s == 100)
    )


def mean_from_tally(tally: Tally) -> Figure:
    """The mean of the scores behind a tally with a t interval clipped to 0–100."""
    n = tally.count
    if n == 0:
        return Figure(0, math.nan, math.nan, math.nan)
    mean = tally.total / n
    if n < 2:
        return Figure(n, mean, 0.0, 100.0)
    variance = max(0.0, (tally.squares - tally.total * tally.total / n) / (n - 1))
    half = t_quantile(n - 1) * math.sqrt(variance) / math.sqrt(n)
    return Figure(n, mean, max(0.0, mean - half), min(100.0, mean + half))


def tally_figures(tally: MonthTally) -> dict[Kind, Figure]:
    """The figures of one month: each construct over the responses that answered it."""
    figures: dict[Kind, Figure] = {}
    for kind in CONSTRUCTS:
        sums = tally.constructs.get(kind, Tally())
        if kind == "page_help":
            figures[kind] = share_figure(sums.full, sums.count)
        else:
            figures[kind] = mean_from_tally(sums)
    return figures


def is_open(month: str, open_from: str | None) -> bool:
    """True when `month` (YYYY-MM) has not ended yet: it is `open_from` or later."""
    return open_from is not None and month >= open_from


def shown(figure: Figure, month_open: bool) -> dict[str, Any]:
    """A figure for the public: below the threshold the note why; in an open month withheld."""
    return dict(WITHHELD_OPEN) if month_open and figure.published else figure.facts()


def results_of(tallies: Iterable[MonthTally], *, open_from: str | None = None) -> list[dict[str, Any]]:
    """Per month (oldest first) and construct, the published figure or the note why there is none.

    Months from `open_from` on are still open: their figures are withheld (see STILL_OPEN).
    """
    results = []
    for tally in sorted(tallies, key=lambda t: t.month):
        figures = tally_figures(tally)
        responses = tally.responses if tally.responses >= MIN_ANSWERS else None
        row: dict[str, Any] = {"month": tally.month, "responses": responses}
        for kind in CONSTRUCTS:
            row[kind] = shown(figures[kind], is_open(tally.month, open_from))
        results.append(row)
    return results


def month_tally(month: str, answers: Iterable[Answer], items: Mapping[str, SurveyItem]) -> MonthTally:
    """The tally of one month's answers."""
    answers = list(answers)
    scores = respondent_scores(answers, items)
    return MonthTally(
        month,
        len({a.response_id for a in answers}),
        {kind: tally_of(scores[kind]) for kind in CONSTRUCTS},
    )


def month_figures(answers: Iterable[Answer], items: Mapping[str, SurveyItem]) -> dict[Kind, Figure]:
    """The figures of one month's answers."""
    return tally_figures(month_tally("", answers, items))


def monthly_results(
    answers: Iterable[Answer], items: Mapping[str, SurveyItem], *, open_from: str | None = None
) -> list[dict[str, Any]]:
    """Per month (oldest first) and construct, the published figure or the note why there is none."""
    by_month: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_month[answer.month].append(answer)
    tallies = [month_tally(month, rows, items) for month, rows in by_month.items()]
    return results_of(tallies, open_from=open_from)


@dataclass(frozen=True)
class CheckAnswer:
    """One sensor-page check: month, and whether the answer was right and the page helped (or unsaid)."""

    month: str
    correct: bool | None
    helped: bool | None


@dataclass(frozen=True)
class CheckTally:
    """One month of sensor-page checks: how many answered the question and how many right, rated, helped."""

    month: str
    answered: int
    right: int
    rated: int
    helped: int


def check_results(tallies: Iterable[CheckTally], *, open_from: str | None = None) -> list[dict[str, Any]]:
    """Per month, the share of right answers and of "the page helped", each with its Wilson interval.

    Months from `open_from` on are still open: their shares are withheld (see STILL_OPEN).
    """
    return [
        {
            "month": t.month,
            "correct": shown(share_figure(t.right, t.answered), is_open(t.month, open_from)),
            "helped": shown(share_figure(t.helped, t.rated), is_open(t.month, open_from)),
        }
        for t in sorted(tallies, key=lambda t: t.month)
    ]


def monthly_checks(checks: Iterable[CheckAnswer], *, open_from: str | None = None) -> list[dict[str, Any]]:
    """Per month, the share of right answers and of "the page helped", each with its Wilson interval."""
    by_month: dict[str, list[CheckAnswer]] = defaultdict(list)
    for check in checks:
        by_month[check.month].append(check)
    tallies = []
    for month, rows in by_month.items():
        answered = [c.correct for c in rows if c.correct is not None]
        rated = [c.helped for c in rows if c.helped is not None]
        tallies.append(CheckTally(month, len(answered), sum(answered), len(rated), sum(rated)))
    return check_results(tallies, open_from=open_from)
