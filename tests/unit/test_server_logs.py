"""The log filter and formatters: secrets and addresses never reach a line, times and ids do."""

from __future__ import annotations

import json
import logging

from freiweg.server_logs import REDACTED, JsonFormatter, RedactingFilter, TextFormatter, redact


def record(
    message: str, *args: object, exc: BaseException | None = None, **extra: object
) -> logging.LogRecord:
    """A log record as a logger would make it, with extra fields."""
    made = logging.LogRecord(
        "freiweg.test", logging.INFO, __file__, 1, message, args, (type(exc), exc, None) if exc else None
    )
    for key, value in extra.items():
        setattr(made, key, value)
    return made


def written(made: logging.LogRecord) -> dict[str, object]:
    """The JSON line the handler would write for a record."""
    assert RedactingFilter().filter(made)
    return json.loads(JsonFormatter().format(made))  # type: ignore[no-any-return]


def test_tokens_passwords_and_addresses_are_removed_from_messages() -> None:
    text = redact(
        "sensor fwt_AbC-123_xyz from 203.0.113.9:5555 and 2001:db8::42 sent "
        "Authorization: Bearer abc.def password=hunter2hunter2 csrf=Zq9"
    )
    for secret in ("AbC-123_xyz", "203.0.113.9", "2001:db8::42", "abc.def", "hunter2hunter2", "Zq9"):
        assert secret not in text
    assert text.count(REDACTED) >= 3


def test_times_versions_and_ids_stay_readable() -> None:
    text = "window 11:00:00-11:05:00 of domplatz-1, release 1.4.2, 12 counts"
    assert redact(text) == text


def test_arguments_extra_fields_and_tracebacks_are_redacted() -> None:
    try:
        raise ValueError("token fwt_secretSecretSecret rejected")
    except ValueError as error:
        line = written(
            record(
                "upload from %s refused",
                "198.51.100.7",
                exc=error,
                password="correct horse battery",
                text="Die Bank am Dom ist kaputt, ruft mich an: 0951 1234",
                feedback={"text": "my private words"},
                reason="unknown token fwt_otherSecret",
                sensor="domplatz-1",
            )
        )
    dumped = json.dumps(line)
    for secret in (
        "198.51.100.7",
        "correct horse",
        "Bank am Dom",
        "private words",
        "secretSecret",
        "otherSecret",
    ):
        assert secret not in dumped
    assert line["message"] == "upload from [address] refused"
    assert line["sensor"] == "domplatz-1" and line["password"] == REDACTED
    assert "ValueError" in str(line["exception"])


def test_the_text_formatter_writes_one_readable_line_with_its_fields() -> None:
    made = record("housekeeping run", counts_deleted=3)
    RedactingFilter().filter(made)
    line = TextFormatter().format(made)
    assert "INFO" in line and "freiweg.test: housekeeping run counts_deleted=3" in line
    assert not line.startswith("{")
