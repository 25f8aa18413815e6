"""Reading a TTN v3 uplink message (webhook body or MQTT payload) into a normalised Uplink."""

from __future__ import annotations

from typing import Any

from freiweg.domain.uplinks import Rejected, RejectionReason, Uplink, normalise_eui
from freiweg.ingest.ttn import SOURCE
from freiweg.ingest.wire import base64_bytes, instant, json_object, section, whole_number


def parse_uplink(body: bytes | str | dict[str, Any]) -> Uplink:
    """The uplink in a TTN v3 message, or Rejected naming what is missing.

    TTN omits zero values, so an absent f_port is port 0 (MAC commands only) and an absent
    f_cnt is frame 0. A re-delivered uplink keeps its device, frame counter and network
    receive time, which together form its key.
    """
    document = json_object(body)
    ids = section(document, "end_device_ids")
    if "uplink_message" not in document:
        raise Rejected(
            RejectionReason.MALFORMED,
            "no uplink_message: enable only the 'uplink message' type for this webhook",
        )
    message = section(document, "uplink_message")
    if document.get("simulated") is True:
        raise Rejected(
            RejectionReason.SIMULATED,
            "a simulated uplink from the console is test data, not a count",
            device=ids.get("dev_eui") if isinstance(ids.get("dev_eui"), str) else None,
        )
    raw_eui = ids.get("dev_eui")
    dev_eui = normalise_eui(raw_eui) if isinstance(raw_eui, str) else None
    if isinstance(raw_eui, str) and raw_eui and dev_eui is None:
        raise Rejected(RejectionReason.MALFORMED, f"end_device_ids.dev_eui {raw_eui[:40]!r} is not an EUI-64")
    device_id = ids.get("device_id") if isinstance(ids.get("device_id"), str) else None
    if dev_eui is None and not device_id:
        raise Rejected(RejectionReason.MALFORMED, "end_device_ids has neither dev_eui nor device_id")
    received_text = message.get("received_at") or document.get("received_at")
    received_at = instant(received_text, field="uplink_message.received_at")
    frame = whole_number(message, "f_cnt", default=0)
    port = whole_number(message, "f_port", default=0)
    device = dev_eui or device_id
    decoded = message.get("decoded_payload")
    return Uplink(
        network=SOURCE,
        key=f"{SOURCE}:{device}:{frame}:{received_text}",
        dev_eui=dev_eui,
        device_id=device_id,
        port=port,
        payload=base64_bytes(message.get("frm_payload"), field="uplink_message.frm_payload"),
        decoded=decoded if isinstance(decoded, dict) else None,
        received_at=received_at,
    )
