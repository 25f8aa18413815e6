"""Decoding Paxcounter count payloads ourselves, and comparing with a network server's decoding."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from freiweg.domain.uplinks import Rejected, RejectionReason
from freiweg.ingest.paxcounter.config import PLAUSIBLE_MAX_COUNT, PayloadFormat

COUNT_PORT = 1
LPP_PACKED_PORT = 2
LPP_LUMINOSITY = 0x65  # the LPP type Paxcounter uses for its counters
LPP_WIFI_CHANNEL = 21
LPP_BLE_CHANNEL = 22
PORT_CONTENTS = {
    2: "device status",
    3: "device configuration",
    4: "GPS position",
    5: "button",
    7: "environment sensor",
    8: "battery voltage",
    9: "time sync",
}


@dataclass(frozen=True, slots=True)
class PaxReading:
    """Distinct Wi-Fi and (if scanned) Bluetooth devices seen in one send cycle."""

    wifi: int
    ble: int | None = None

    @property
    def pax(self) -> int:
        """wifi + ble, as the Paxcounter's own decoders call it."""
        return self.wifi + (self.ble or 0)


def decode_counts(port: int, payload: bytes, *, payload_format: PayloadFormat) -> PaxReading:
    """The counts in a Paxcounter uplink, or Rejected naming what is wrong with it."""
    if port == 0:
        raise Rejected(RejectionReason.NO_PORT, "port 0 carries MAC commands only, no counts")
    if payload_format is PayloadFormat.LPP_PACKED:
        if port != LPP_PACKED_PORT:
            raise _not_counts(port, expected=LPP_PACKED_PORT)
        reading = _lpp_packed(payload)
    else:
        if port != COUNT_PORT:
            raise _not_counts(port, expected=COUNT_PORT)
        if payload_format is PayloadFormat.LPP_DYNAMIC:
            reading = _lpp_dynamic(payload)
        else:
            reading = _binary(payload, "little" if payload_format is PayloadFormat.PACKED else "big")
    _check_plausible(reading)
    return reading


def _not_counts(port: int, *, expected: int) -> Rejected:
    what = PORT_CONTENTS.get(port)
    detail = f"port {port} carries {what}, not counts" if what else f"port {port} is not a Paxcounter port"
    return Rejected(RejectionReason.UNKNOWN_PORT, f"{detail}; counts arrive on port {expected}")


def _binary(payload: bytes, order: Literal["little", "big"]) -> PaxReading:
    # 2: wifi; 4: wifi, ble; 8: wifi, ble and two particulate values; 15/17: with GPS after the counts.
    if len(payload) in (2, 15):
        return PaxReading(int.from_bytes(payload[0:2], order))
    if len(payload) in (4, 8, 17):
        return PaxReading(
            int.from_bytes(payload[0:2], order),
            int.from_bytes(payload[2:4], order),
        )
    raise Rejected(
        RejectionReason.BAD_LENGTH,
        f"{len(payload)} byte(s) on the count port; expected 2, 4, 8, 15 or 17",
    )


def _lpp_dynamic(payload: bytes) -> PaxReading:
    # Channel, type, big-endian u16 value: 15 65 wifi [16 65 ble]; other channels may follow.
    values: dict[int, int] = {}
    offset = 0
    while offset + 4 <= len(payload) and payload[offset + 1] == LPP_LUMINOSITY:
        values[payload[offset]] = int.from_bytes(payload[offset + 2 : offset + 4], "big")
        offset += 4
    if LPP_WIFI_CHANNEL not in values:
        raise Rejected(
            RejectionReason.BAD_LENGTH,
            f"{len(payload)} byte(s) hold no Cayenne LPP Wi-Fi counter on channel {LPP_WIFI_CHANNEL}",
        )
    return PaxReading(values[LPP_WIFI_CHANNEL], values.get(LPP_BLE_CHANNEL))


def _lpp_packed(payload: bytes) -> PaxReading:
    # Type, big-endian u16 value, without channels: 65 wifi [65 ble].
    if len(payload) in (3, 6) and all(payload[i] == LPP_LUMINOSITY for i in range(0, len(payload), 3)):
        wifi = int.from_bytes(payload[1:3], "big")
        ble = int.from_bytes(payload[4:6], "big") if len(payload) == 6 else None
        return PaxReading(wifi, ble)
    raise Rejected(
        RejectionReason.BAD_LENGTH,
        f"{len(payload)} byte(s) are no Cayenne LPP packed counter (expected 65 xx xx [65 xx xx])",
    )


def _check_plausible(reading: PaxReading) -> None:
    for name, value in (("wifi", reading.wifi), ("ble", reading.ble)):
        if value is not None and value > PLAUSIBLE_MAX_COUNT:
            raise Rejected(
                RejectionReason.IMPLAUSIBLE_COUNT,
                f"{name} count {value} is above the plausible maximum of {PLAUSIBLE_MAX_COUNT}",
            )


def disagrees(reading: PaxReading, decoded: Mapping[str, Any] | None) -> bool:
    """True when a network server's decoded payload names other counts than the bytes hold.

    Decoders differ in naming: the TTN device repository uses wifi/ble/pax, LPP decoders
    luminosity_21/luminosity_22; fields a decoder does not give are not compared.
    """
    if not decoded:
        return False
    pairs = (
        ("wifi", reading.wifi),
        ("ble", reading.ble),
        ("pax", reading.pax),
        ("luminosity_21", reading.wifi),
        ("luminosity_22", reading.ble),
    )
    for name, ours in pairs:
        theirs = decoded.get(name)
        if isinstance(theirs, int | float) and not isinstance(theirs, bool) and ours is not None:
            if theirs != ours:
                return True
    return False
