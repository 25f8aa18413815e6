"""Paxcounter payloads: each encoder's count layout decodes to Wi-Fi and BLE counts, the rest says why not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from freiweg.domain.uplinks import Rejected
from freiweg.ingest.paxcounter.config import PayloadFormat, parse_format
from freiweg.ingest.paxcounter.decode import PaxReading, decode_counts, disagrees

PAYLOADS = json.loads((Path(__file__).parent / "fixtures" / "payloads.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", PAYLOADS["vectors"], ids=lambda v: v["name"])
def test_count_payloads_decode_to_wifi_and_ble(vector: dict[str, Any]) -> None:
    reading = decode_counts(
        vector["port"], bytes.fromhex(vector["hex"]), payload_format=PayloadFormat(vector["format"])
    )
    assert reading == PaxReading(vector["wifi"], vector["ble"])


@pytest.mark.parametrize("vector", PAYLOADS["rejected"], ids=lambda v: v["name"])
def test_payloads_without_counts_are_rejected_with_a_reason(vector: dict[str, Any]) -> None:
    with pytest.raises(Rejected) as caught:
        decode_counts(
            vector["port"], bytes.fromhex(vector["hex"]), payload_format=PayloadFormat(vector["format"])
        )
    assert caught.value.reason.value == vector["reason"]
    assert caught.value.detail


def test_the_ttn_documentation_vector_gives_pax_ten() -> None:
    reading = decode_counts(1, bytes.fromhex("07000300"), payload_format=PayloadFormat.PACKED)
    assert (reading.wifi, reading.ble, reading.pax) == (7, 3, 10)


def test_a_network_decoder_disagrees_only_on_fields_it_gives() -> None:
    reading = PaxReading(7, 3)
    assert not disagrees(reading, {"wifi": 7, "ble": 3, "pax": 10, "bytes": [7, 0, 3, 0], "port": 1})
    assert not disagrees(reading, {"wifi": 7.0})
    assert not disagrees(reading, None)
    assert not disagrees(reading, {"luminosity_21": 7, "luminosity_22": 3})
    assert disagrees(reading, {"pax": 11})
    assert disagrees(reading, {"wifi": 3, "ble": 7})
    assert disagrees(PaxReading(7), {"luminosity_21": 8})


def test_an_unknown_payload_format_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="packed, plain, lpp-dynamic, lpp-packed"):
        parse_format("cayenne")
