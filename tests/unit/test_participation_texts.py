"""The participation and survey texts exist in German and English alike, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from freiweg.web import participation_i18n, survey_i18n


def placeholders(text: str) -> set[str]:
    """The names of a text's {placeholders}."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(
    "messages",
    [participation_i18n.MESSAGES, participation_i18n.MODERATION, survey_i18n.MESSAGES],
    ids=["participation", "moderation", "survey"],
)
def test_every_text_has_a_german_and_an_english_version_with_the_same_placeholders(
    messages: dict[str, dict[str, str]],
) -> None:
    assert messages["de"].keys() == messages["en"].keys()
    for key, german in messages["de"].items():
        assert german.strip() and messages["en"][key].strip(), key
        assert placeholders(german) == placeholders(messages["en"][key]), key


def test_each_field_a_feedback_form_can_get_wrong_has_a_plain_explanation() -> None:
    for field in ("text", "topic", "kind", "lang"):
        assert f"problem.{field}" in participation_i18n.texts("de"), field
