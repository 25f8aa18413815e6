"""The server's own log lines: one JSON object per line (or plain text), secrets and addresses removed."""

from __future__ import annotations

import json
import logging
import logging.config
import re
from datetime import UTC, datetime
from typing import Any, Final

# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_STANDARD: Final = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "taskName", "color_message"}
)
# Extra fields whose value is never written, whatever it holds.
SECRET_FIELDS: Final = frozenset(
    {
        "authorization",
        "body",
        "comment",
        "cookie",
        "csrf",
        "feedback",
        "ip",
        "password",
        "remote_addr",
        "client",
        "client_addr",
        "secret",
        "text",
        "token",
        "user_agent",
    }
)
REDACTED: Final = "[redacted]"
_PATTERNS: Final = (
    # Sensor tokens carry a recognisable prefix.
    (re.compile(r"fwt_[A-Za-z0-9_\-]+"), "fwt_" + REDACTED),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+"), r"\1 " + REDACTED),
    # A cookie header: every value in it (the staff session, the public forms' token) goes.
    (re.compile(r"(?i)\b((?:set-)?cookie)(\s*:\s*)[^\r\n]*"), r"\1\2" + REDACTED),
    # name=value and "name": "value" pairs of known secrets, also with a prefix (form_token=...).
    (
        re.compile(
            r"(?i)\b([\w-]*(?:password|passwd|token|secret|csrf|authorization|cookie|otp)|freiweg_(?:form|staff))"
            r"(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&]+)"
        ),
        r"\1\2" + REDACTED,
    ),
    (
        re.compile(r"(?i)(\"[\w-]*(?:password|token|secret|csrf|text|feedback)\"\s*:\s*)\"[^\"]*\""),
        r'\1"' + REDACTED + '"',
    ),
    # IPv4 addresses (with an optional port).
    (re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"), "[address]"),
)
_IPV6: Final = re.compile(r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])")


def _ipv6(match: re.Match[str]) -> str:
    # Times such as 11:00:00 look alike; an address has '::' or at least five colons.
    text = match.group(0)
    return "[address]" if "::" in text or text.count(":") >= 5 else text


def redact(text: str) -> str:
    """text without tokens, passwords, secrets named in it, and IP addresses."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _IPV6.sub(_ipv6, text)


def _clean(key: str, value: Any) -> Any:
    if key.lower() in SECRET_FIELDS:
        return REDACTED
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _clean(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean("", v) for v in value]
    return redact(str(value))


class RedactingFilter(logging.Filter):
    """Rewrites every record before it is written: message, extra fields and traceback are redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's text by its redacted form; never drops a record."""
        record.msg = redact(record.getMessage())
        record.args = None
        for key in [k for k in vars(record) if k not in _STANDARD]:
            setattr(record, key, _clean(key, getattr(record, key)))
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a single line of JSON."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in line:
                line[key] = (
                    value if isinstance(value, str | int | float | bool | None | dict | list) else str(value)
                )
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Plain text for development: time, level, logger, message and the extra fields as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The record as text with its extra fields appended."""
        extra = " ".join(
            f"{k}={v}" for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")
        )
        text = super().format(record)
        return f"{text} {extra}" if extra else text


def logging_config(*, level: str = "info", style: str = "json") -> dict[str, Any]:
    """A `logging.config.dictConfig` for the server and uvicorn: one handler on stderr, redacted."""
    formatter = (
        "freiweg.server_logs.TextFormatter" if style == "text" else "freiweg.server_logs.JsonFormatter"
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "freiweg.server_logs.RedactingFilter"}},
        "formatters": {"line": {"()": formatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "line",
                "filters": ["redact"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            # uvicorn's own handlers are replaced by ours; its access log (addresses, paths) stays off.
            "uvicorn": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }


def configure_logging(*, level: str = "info", style: str = "json") -> None:
    """Send this process's log lines through the redacting filter in the chosen style."""
    logging.config.dictConfig(logging_config(level=level, style=style))
