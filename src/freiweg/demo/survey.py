"""Simulated survey answers for the demo town: a few months with a slowly rising trend, marked demo."""

from __future__ import annotations

import random
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from freiweg.demo.sensors import DEMO_SENSORS
from freiweg.domain.survey import INSTRUMENT, LIKERT, NO, YES
from freiweg.services.registry import Services

DEMO_MONTHS = 6
SEED = 20260613


def months_back(today: date, count: int) -> list[str]:
    """The last count months up to today's, oldest first, as YYYY-MM."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def likert(rng: random.Random, mean: float) -> int:
    """A Likert answer scattered around mean."""
    return min(max(round(rng.gauss(mean, 0.9)), LIKERT[0]), LIKERT[-1])


def simulated_month(
    rng: random.Random, progress: float
) -> tuple[list[list[tuple[str, int]]], list[tuple[str, bool | None, bool | None]]]:
    """Responses and sensor-page checks of one month; progress from 0 (first month) to 1 (now)."""
    responses = []
    for _ in range(rng.randint(30, 60)):
        answers = []
        for item in INSTRUMENT:
            if rng.random() > 0.85:
                continue  # people skip questions
            if item.kind == "understanding":
                wrong = [o.value for o in item.options if o.value != item.correct]
                right = rng.random() < 0.55 + 0.25 * progress
                answers.append((item.id, item.correct if right and item.correct else rng.choice(wrong)))
            elif item.kind == "page_help":
                answers.append((item.id, YES if rng.random() < 0.65 + 0.2 * progress else NO))
            else:
                base = 3.0 if item.kind == "trust" else 3.2
                answers.append((item.id, likert(rng, base + 0.8 * progress)))
        if answers:
            responses.append(answers)
    checks: list[tuple[str, bool | None, bool | None]] = [
        (
            rng.choice(DEMO_SENSORS).id,
            rng.random() < 0.6 + 0.25 * progress,
            None if rng.random() < 0.2 else rng.random() < 0.7 + 0.15 * progress,
        )
        for _ in range(rng.randint(20, 40))
    ]
    return responses, checks


def seed_demo_survey(services: Services, months: int = DEMO_MONTHS) -> int:
    """Store simulated answers for the last ended months once; return how many responses were added."""
    if services.survey.counts()["demo_responses"]:
        return 0
    rng = random.Random(SEED)
    today = services.clock().astimezone(ZoneInfo(services.settings.timezone)).date()
    added = 0
    # The months before the current one: a month's figures are published once it has ended.
    names = months_back(today.replace(day=1) - timedelta(days=1), months)
    for index, month in enumerate(names):
        responses, checks = simulated_month(rng, index / max(len(names) - 1, 1))
        services.survey.record_demo(month, responses, checks)
        added += len(responses)
    return added
