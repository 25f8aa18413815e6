"""Paxcounter settings per device: which payload encoder its firmware was built with."""

from __future__ import annotations

from enum import StrEnum

# A Paxcounter's u16 counter could report 65,535; a city square never holds that many phones
# within one send cycle, so a higher value means a broken device or a forged payload.
PLAUSIBLE_MAX_COUNT = 10_000
DEFAULT_CYCLE_SECONDS = 60  # SENDCYCLE 30 x 2 s in the firmware's paxcounter.conf


class PayloadFormat(StrEnum):
    """The firmware's PAYLOAD_ENCODER: 1 plain, 2 packed (default), 3 LPP dynamic, 4 LPP packed."""

    PACKED = "packed"
    PLAIN = "plain"
    LPP_DYNAMIC = "lpp-dynamic"
    LPP_PACKED = "lpp-packed"


def parse_format(text: str) -> PayloadFormat:
    """The payload format named by text, or ValueError listing the known ones."""
    try:
        return PayloadFormat(text)
    except ValueError:
        known = ", ".join(f.value for f in PayloadFormat)
        raise ValueError(f"unknown payload format {text!r}; use one of {known}") from None
