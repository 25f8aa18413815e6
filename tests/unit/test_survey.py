"""The survey's instrument and figures: scaling, shares, intervals and the threshold of ten answers."""

from __future__ import annotations

import math

import pytest

from freiweg.domain.errors import InvalidInput
from freiweg.domain.survey import (
    INSTRUMENT,
    MIN_ANSWERS,
    Answer,
    CheckAnswer,
    check_answers,
    likert_scaled,
    mean_figure,
    monthly_checks,
    monthly_results,
    new_item,
    share_figure,
    t_quantile,
)

ITEMS = {item.id: item for item in INSTRUMENT}


def responses(count: int, item_id: str, value: int, month: str = "2026-06") -> list[Answer]:
    """count responses that each answered one item with value."""
    return [Answer(f"{month}-{item_id}-{value}-{i}", month, item_id, value) for i in range(count)]


def test_the_shipped_instrument_has_four_factual_questions_three_trust_three_acceptance_and_page_help() -> (
    None
):
    kinds = [item.kind for item in INSTRUMENT]
    assert kinds.count("understanding") == 4
    assert kinds.count("trust") == 3 and kinds.count("acceptance") == 3 and kinds.count("page_help") == 1
    assert len(ITEMS) == len(INSTRUMENT)
    for item in INSTRUMENT:
        assert item.text["de"] and item.text["en"]
        assert all(o.text["de"] and o.text["en"] for o in item.options)
        if item.kind == "understanding":
            assert item.correct is not None and item.allows(item.correct)
    phone = ITEMS["understanding-phone-id"]
    assert phone.options[phone.correct - 1].text["de"] == "Nein, er zählt nur"  # type: ignore[operator]


def test_a_figure_with_nine_answers_is_withheld_and_with_ten_it_is_published() -> None:
    nine = monthly_results(responses(9, "trust-honest", 4), ITEMS)[0]
    assert nine["trust"] == {"published": False, "answers": None, "note": "not enough answers yet: n < 10"}
    assert nine["responses"] is None
    ten = monthly_results(responses(10, "trust-honest", 4), ITEMS)[0]
    assert ten["trust"]["published"] is True
    assert ten["trust"]["answers"] == MIN_ANSWERS == 10
    assert ten["trust"]["value"] == 75.0
    assert ten["responses"] == 10
    # The other constructs have no answers behind them and stay withheld.
    assert ten["acceptance"]["published"] is False and "value" not in ten["acceptance"]


def test_likert_answers_are_scaled_from_zero_to_one_hundred() -> None:
    assert [likert_scaled(v) for v in (1, 2, 3, 4, 5)] == [0.0, 25.0, 50.0, 75.0, 100.0]
    mixed = responses(5, "acceptance-useful", 1) + responses(5, "acceptance-continue", 5)
    assert monthly_results(mixed, ITEMS)[0]["acceptance"]["value"] == 50.0


def test_one_response_counts_once_per_construct_with_the_mean_of_its_items() -> None:
    answers = []
    for i in range(10):
        answers += [
            Answer(f"r{i}", "2026-06", "trust-honest", 5),
            Answer(f"r{i}", "2026-06", "trust-misuse", 3),
        ]
    trust = monthly_results(answers, ITEMS)[0]["trust"]
    assert trust["answers"] == 10
    assert trust["value"] == 75.0
    assert trust["low"] == trust["high"] == 75.0  # every response scored the same


def test_understanding_is_the_share_of_right_answers() -> None:
    right = responses(6, "understanding-key", 1)
    wrong = responses(4, "understanding-key", 3)
    understanding = monthly_results(right + wrong, ITEMS)[0]["understanding"]
    assert understanding["value"] == 60.0
    assert understanding["low"] < 60.0 < understanding["high"]


def test_months_are_figured_separately_and_listed_oldest_first() -> None:
    answers = responses(10, "page-help", 1, "2026-07") + responses(3, "page-help", 0, "2026-06")
    results = monthly_results(answers, ITEMS)
    assert [m["month"] for m in results] == ["2026-06", "2026-07"]
    assert results[0]["page_help"]["published"] is False
    assert results[1]["page_help"]["value"] == 100.0


def test_a_share_carries_its_wilson_interval() -> None:
    all_yes = share_figure(10, 10)
    assert all_yes.value == 100.0 and all_yes.high == pytest.approx(100.0)
    assert all_yes.low == pytest.approx(100 * 10 / (10 + 1.959964**2), abs=1e-6)  # n / (n + z²)
    half = share_figure(50, 100)
    assert half.low == pytest.approx(40.38, abs=0.01) and half.high == pytest.approx(59.62, abs=0.01)


def test_a_mean_carries_its_student_t_interval() -> None:
    figure = mean_figure([0.0, 100.0] * 5)
    spread = 2.262 * math.sqrt(sum((x - 50) ** 2 for x in [0.0, 100.0] * 5) / 9) / math.sqrt(10)
    assert figure.value == 50.0
    assert figure.low == pytest.approx(50 - spread) and figure.high == pytest.approx(50 + spread)
    assert t_quantile(9) == 2.262
    assert t_quantile(40) == pytest.approx(2.021, abs=0.002)
    assert t_quantile(1000) == pytest.approx(1.962, abs=0.002)


def test_the_sensor_page_checks_give_shares_of_right_answers_and_of_help_per_month() -> None:
    checks = [CheckAnswer("2026-06", i < 8, None if i < 2 else i < 5) for i in range(12)]
    result = monthly_checks(checks)[0]
    assert result["correct"]["value"] == pytest.approx(66.7) and result["correct"]["answers"] == 12
    assert result["helped"]["published"] is True and result["helped"]["value"] == 30.0
    few = monthly_checks(checks[:9])[0]
    assert few["correct"] == {"published": False, "answers": None, "note": "not enough answers yet: n < 10"}


def test_unknown_items_values_out_of_range_and_repeated_items_are_each_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_answers(
            [("trust-honest", 6), ("no-such-item", 1), ("trust-honest", 2), ("page-help", True)], ITEMS, "de"
        )
    named = [(p.index, p.field) for p in caught.value.problems]
    assert named == [(0, "value"), (1, "item"), (2, "item"), (3, "value")]
    with pytest.raises(InvalidInput) as empty:
        check_answers([], ITEMS, "fr")
    assert [p.field for p in empty.value.problems] == ["lang", "answers"]
    assert check_answers([("understanding-key", 2), ("trust-honest", 5)], ITEMS, "en") == [
        ("understanding-key", 2),
        ("trust-honest", 5),
    ]


def test_an_operator_item_is_checked_before_it_joins_the_instrument() -> None:
    likert = new_item(item_id="trust-data-safe", kind="trust", text_de="Sicher.", text_en="Safe.")
    assert likert.allows(5) and not likert.allows(6) and not likert.shipped
    question = new_item(
        item_id="understanding-where",
        kind="understanding",
        text_de="Wo liegen die Daten?",
        text_en="Where are the data?",
        options=[("Bei der Stadt", "With the city"), ("Bei einer Werbefirma", "With an ad company")],
        correct=1,
    )
    assert question.correct == 1 and question.options[1].text["en"] == "With an ad company"
    with pytest.raises(InvalidInput) as caught:
        new_item(
            item_id="trust-honest",
            kind="understanding",
            text_de="",
            text_en="Q?",
            options=[("nur eine", "only one")],
            correct=3,
            taken=ITEMS,
        )
    assert [p.field for p in caught.value.problems] == ["id", "text_de", "options", "correct"]
    with pytest.raises(InvalidInput) as wrong_kind:
        new_item(item_id="x-1", kind="page_help", text_de="a", text_en="b")
    assert [p.field for p in wrong_kind.value.problems] == ["kind"]
