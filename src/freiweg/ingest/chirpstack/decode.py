"""Reading a ChirpStack v4 uplink event (HTTP integration or MQTT, JSON) into a normalised Uplink."""

from __future__ import annotations

from typing import Any

from freiweg.domain.uplinks import Rejected, RejectionReason, Uplink, normalise_eui
from freiweg.ingest.chirpstack import SOURCE
from freiweg.ingest.wire import base64_bytes, instant, json_object, section, whole_number


def parse_uplink(body: bytes | str | dict[str, Any]) -> Uplink:
    """The uplink in a ChirpStack v4 'up' event, or Rejected naming what is missing.

    ChirpStack deduplicates the gateways' copies itself and names the result with a
    deduplicationId, which is also our key for a re-delivered event.
    """
    document = json_object(body)
    info = section(document, "deviceInfo")
    dedup = document.get("deduplicationId")
    if not isinstance(dedup, str) or not dedup:
        raise Rejected(RejectionReason.MALFORMED, "deduplicationId is missing: is this an 'up' event?")
    raw_eui = info.get("devEui")
    dev_eui = normalise_eui(raw_eui) if isinstance(raw_eui, str) else None
    if dev_eui is None:
        raise Rejected(RejectionReason.MALFORMED, "deviceInfo.devEui is missing or not an EUI-64")
    name = info.get("deviceName")
    decoded = document.get("object")
    return Uplink(
        network=SOURCE,
        key=f"{SOURCE}:{dedup[:120]}",
        dev_eui=dev_eui,
        device_id=name if isinstance(name, str) else None,
        port=whole_number(document, "fPort", default=0),
        payload=base64_bytes(document.get("data"), field="data"),
        decoded=decoded if isinstance(decoded, dict) else None,
        received_at=instant(document.get("time"), field="time"),
    )
