"""The no-script survey form refuses odd "numbers" with the reason and stores nothing."""

from __future__ import annotations

from typing import Any

from freiweg.services.registry import Services

TOKEN = "t" * 43


def test_superscript_digits_and_endless_numbers_are_refused_naming_the_item(
    client: Any, services: Services
) -> None:
    client.cookies.set("freiweg_form", TOKEN)
    for value in ("²", "9" * 5000, "1" + "0" * 400):
        answer = client.post("/survey", data={"trust-honest": value, "form_token": TOKEN})
        assert answer.status_code == 422, value[:10]
        assert 'id="item-trust-honest"' in answer.text
    assert services.survey.counts()["responses"] == 0
