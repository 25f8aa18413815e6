"""Log lines lose the public form token, the staff session and every other cookie value."""

from __future__ import annotations

from freiweg.server_logs import redact

FORM_TOKEN = "Q2hhbmdlTWVQbGVhc2VfZm9ybV90b2tlbl92YWx1ZTE"
SESSION = "c2Vzc2lvbi12YWx1ZS1vZi1hLXN0YWZmLW1lbWJlcg"


def test_a_form_token_in_a_form_body_or_json_is_redacted() -> None:
    for line in (
        f"topic=project&form_token={FORM_TOKEN}&text=Hallo",
        f'{{"form_token": "{FORM_TOKEN}", "kind": "idea"}}',
        f"refused form: form_token={FORM_TOKEN}",
    ):
        cleaned = redact(line)
        assert FORM_TOKEN not in cleaned, cleaned
    assert "topic=project" in redact(f"topic=project&form_token={FORM_TOKEN}")


def test_every_cookie_value_of_a_cookie_header_is_redacted() -> None:
    line = f"Cookie: freiweg_lang=de; freiweg_form={FORM_TOKEN}; freiweg_staff={SESSION}"
    cleaned = redact(line)
    assert FORM_TOKEN not in cleaned and SESSION not in cleaned, cleaned
    assert SESSION not in redact(f"set-cookie: freiweg_staff={SESSION}; HttpOnly; Path=/")
    assert FORM_TOKEN not in redact(f"freiweg_form={FORM_TOKEN}")
