"""Small readers shared by the network-server sources: JSON objects, Base64 fields, ISO 8601 times."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

import orjson

from freiweg.domain.counts import epoch_seconds
from freiweg.domain.uplinks import Rejected, RejectionReason


def json_object(body: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """The JSON object in body, or Rejected(MALFORMED)."""
    if isinstance(body, dict):
        return body
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise Rejected(RejectionReason.MALFORMED, f"the body is not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise Rejected(RejectionReason.MALFORMED, "the body must be a JSON object")
    return document


def section(document: dict[str, Any], name: str) -> dict[str, Any]:
    """A nested object that must be present, or Rejected(MALFORMED) naming it."""
    value = document.get(name)
    if not isinstance(value, dict):
        raise Rejected(RejectionReason.MALFORMED, f"{name} is missing or not an object")
    return value


def whole_number(document: dict[str, Any], name: str, *, default: int | None = None) -> int:
    """A non-negative integer field (default when absent), or Rejected(MALFORMED)."""
    value = document.get(name, default)
    if type(value) is not int or value < 0:
        raise Rejected(RejectionReason.MALFORMED, f"{name} must be a non-negative integer")
    return value


def base64_bytes(value: Any, *, field: str) -> bytes:
    """The bytes of a Base64 field (absent means empty), or Rejected(BAD_BASE64)."""
    if value is None or value == "":
        return b""
    if not isinstance(value, str):
        raise Rejected(RejectionReason.BAD_BASE64, f"{field} must be a Base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Rejected(RejectionReason.BAD_BASE64, f"{field} is not valid Base64: {value[:40]!r}") from None


def instant(value: Any, *, field: str) -> int:
    """Epoch seconds of an ISO 8601 / RFC 3339 time with an offset, or Rejected(MALFORMED)."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return epoch_seconds(moment)
    raise Rejected(RejectionReason.MALFORMED, f"{field} must be an ISO 8601 time with an offset")
