"""Reading a message of the own counts topic: freiweg/counts/{sensor_id} with the push body and a token."""

from __future__ import annotations

from typing import Any

import orjson

from freiweg.domain.uplinks import Rejected, RejectionReason
from freiweg.ingest.mqtt.config import COUNTS_TOPIC_PREFIX, MAX_PAYLOAD_BYTES


def parse_message(topic: str, payload: bytes) -> tuple[str, str, dict[str, Any]]:
    """(sensor id from the topic, token, push body without the token), or Rejected.

    The body is the HTTP push format ({"counts": [...]}) plus "token": the sensor's token,
    because a shared broker does not tell us who published.
    """
    if not topic.startswith(COUNTS_TOPIC_PREFIX) or "/" in topic[len(COUNTS_TOPIC_PREFIX) :]:
        raise Rejected(
            RejectionReason.MALFORMED, f"topic {topic[:80]!r} is not {COUNTS_TOPIC_PREFIX}<sensor>"
        )
    sensor_id = topic[len(COUNTS_TOPIC_PREFIX) :]
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise Rejected(
            RejectionReason.MALFORMED, f"the message has {len(payload)} bytes; at most {MAX_PAYLOAD_BYTES}"
        )
    try:
        document = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise Rejected(RejectionReason.MALFORMED, f"the message is not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise Rejected(RejectionReason.MALFORMED, "the message must be a JSON object")
    token = document.pop("token", None)
    if not isinstance(token, str) or not token:
        raise Rejected(RejectionReason.UNAUTHENTICATED, 'the message has no "token" field', device=sensor_id)
    return sensor_id, token, document
