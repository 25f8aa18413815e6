"""LoRaWAN uplinks as freiweg sees them, whatever network server delivered them, and why one is refused."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from freiweg.domain.errors import DomainError

EUI_PATTERN = re.compile(r"^[0-9A-F]{16}$")


class RejectionReason(StrEnum):
    """Why a delivered message became no count; stored with every recorded rejection."""

    MALFORMED = "malformed"
    BAD_BASE64 = "bad_base64"
    NO_PORT = "no_port"
    UNKNOWN_PORT = "unknown_port"
    BAD_LENGTH = "bad_length"
    IMPLAUSIBLE_COUNT = "implausible_count"
    FUTURE_TIME = "future_time"
    UNKNOWN_DEVICE = "unknown_device"
    INACTIVE_SENSOR = "inactive_sensor"
    UNAUTHENTICATED = "unauthenticated"
    INVALID_COUNTS = "invalid_counts"
    SIMULATED = "simulated"


class Rejected(DomainError):
    """A message that is well delivered but cannot become a count; the reason is recorded."""

    def __init__(self, reason: RejectionReason, detail: str, *, device: str | None = None) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
        self.device = device


@dataclass(frozen=True, slots=True)
class Uplink:
    """One uplink normalised from TTN v3 or ChirpStack v4 JSON.

    key identifies the uplink across re-deliveries; received_at is epoch seconds (UTC);
    decoded is what the network server's own payload formatter made of the bytes, if any.
    """

    network: str
    key: str
    dev_eui: str | None
    device_id: str | None
    port: int
    payload: bytes
    decoded: Mapping[str, Any] | None
    received_at: int

    @property
    def device(self) -> str:
        """The device as named in messages and rejections."""
        return self.dev_eui or self.device_id or "?"


def normalise_eui(text: str) -> str | None:
    """The EUI-64 in canonical form (16 upper-case hex digits) or None if text is not one.

    Separators that consoles show (':', '-', spaces) are accepted.
    """
    cleaned = re.sub(r"[\s:-]", "", text).upper()
    return cleaned if EUI_PATTERN.match(cleaned) else None
