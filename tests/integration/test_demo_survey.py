"""The demo's survey answers: six months, enough for every figure, marked demo, seeded once."""

from __future__ import annotations

from datetime import timedelta

from freiweg.demo.survey import months_back, seed_demo_survey
from freiweg.services.registry import Services


def test_the_demo_seeds_six_published_months_with_a_rising_trend_once(services: Services) -> None:
    added = seed_demo_survey(services)
    assert 6 * 30 <= added <= 6 * 60
    assert seed_demo_survey(services) == 0
    results = services.survey.results()
    assert results["demo_responses"] is True
    months = results["months"]
    last_ended = services.clock().date().replace(day=1) - timedelta(days=1)
    assert [m["month"] for m in months] == months_back(last_ended, 6)
    assert all(m[k]["published"] for m in months for k in ("understanding", "trust", "acceptance"))
    for construct in ("understanding", "trust", "acceptance"):
        assert months[-1][construct]["value"] > months[0][construct]["value"]
    assert all(c["correct"]["published"] for c in results["checks"])
    assert services.survey.counts()["demo_responses"] == added


def test_months_back_crosses_the_year() -> None:
    from datetime import date

    assert months_back(date(2026, 2, 10), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
