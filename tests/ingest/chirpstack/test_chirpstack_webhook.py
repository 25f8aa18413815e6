"""ChirpStack v4 HTTP integration: up events become counts once; other events are acknowledged and ignored."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from freiweg.services.lorawan import LorawanService
from freiweg.services.registry import Services
from tests.conftest import count_rows
from tests.ingest.conftest import CHIRPSTACK_SECRET, fixture

URL = "/api/v1/ingest/chirpstack"
HEADERS = {"X-Freiweg-Secret": CHIRPSTACK_SECRET}


def test_an_up_event_is_stored_once_by_its_deduplication_id(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    event = fixture("chirpstack", "uplink.json")
    first = client.post(f"{URL}?event=up", json=event, headers=HEADERS)
    assert first.status_code == 200, first.text
    # data 0C 00 05 00: wifi 12, ble 5; the device profile's codec said the same (as floats)
    assert first.json() == {"outcome": "stored", "new": 1, "sensor": "obstmarkt-1"}
    assert client.post(f"{URL}?event=up", json=event, headers=HEADERS).json()["outcome"] == "duplicate"
    assert count_rows(database_url) == 1


def test_another_uplink_of_the_same_device_is_a_new_count(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    event = fixture("chirpstack", "uplink.json")
    client.post(f"{URL}?event=up", json=event, headers=HEADERS)
    event["deduplicationId"] = "9a0c55e2-41f7-4c38-8b0e-6d2f1a7c3e90"
    event["fCnt"] += 1
    event["time"] = "2026-06-13T09:58:30.101000000+00:00"
    assert client.post(f"{URL}?event=up", json=event, headers=HEADERS).json()["new"] == 1
    assert count_rows(database_url) == 2


def test_other_events_are_acknowledged_and_ignored(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    status = {"deduplicationId": "x", "deviceInfo": {"devEui": "70b3d57ed005c3d4"}, "batteryLevel": 87.5}
    for event in ("status", "join", "log"):
        assert client.post(f"{URL}?event={event}", json=status, headers=HEADERS).status_code == 204
    assert count_rows(database_url) == 0


def test_bad_payloads_are_recorded_with_their_reason(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    event = fixture("chirpstack", "uplink.json")
    event["fPort"] = 0
    assert client.post(f"{URL}?event=up", json=event, headers=HEADERS).json()["reason"] == "no_port"
    event = fixture("chirpstack", "uplink.json")
    event["data"] = "AAAA!"
    answer = client.post(f"{URL}?event=up", json=event, headers=HEADERS)
    assert answer.status_code == 422 and answer.json()["reason"] == "bad_base64"
    event = fixture("chirpstack", "uplink.json")
    event["deviceInfo"]["devEui"] = "0004a30b001c0530"
    assert client.post(f"{URL}?event=up", json=event, headers=HEADERS).json()["reason"] == "unknown_device"
    assert count_rows(database_url) == 0


def test_the_secret_header_is_required(client: Any, paxcounters: dict[str, str]) -> None:
    event = fixture("chirpstack", "uplink.json")
    assert client.post(f"{URL}?event=up", json=event).status_code == 401
    wrong = {"X-Freiweg-Secret": "ttn-webhook-secret-for-tests"}
    assert client.post(f"{URL}?event=up", json=event, headers=wrong).status_code == 401


@pytest.mark.parametrize(
    ("payload_format", "port", "data", "value"),
    [
        ("plain", 1, "AQAAAw==", 259),  # 01 00 00 03: big-endian 256 + 3
        ("lpp-dynamic", 1, "FWUABxZlAAM=", 10),  # 15 65 00 07 16 65 00 03
        ("lpp-packed", 2, "ZQAHZQAD", 10),  # 65 00 07 65 00 03, on port 2
    ],
)
def test_each_device_is_decoded_with_its_own_payload_format(
    client: Any,
    paxcounters: dict[str, str],
    lorawan: LorawanService,
    services: Services,
    database_url: str,
    payload_format: str,
    port: int,
    data: str,
    value: int,
) -> None:
    services.sensors.add("obstmarkt-2", area_id="obstmarkt", kind="paxcounter", interval_seconds=60)
    lorawan.register_device("obstmarkt-2", dev_eui="70B3D57ED005E5F6", payload_format=payload_format)
    event = fixture("chirpstack", "uplink.json")
    event["deviceInfo"]["devEui"] = "70b3d57ed005e5f6"
    event.update(fPort=port, data=data)
    del event["object"]
    answer = client.post(f"{URL}?event=up", json=event, headers=HEADERS)
    assert answer.json()["outcome"] == "stored", answer.text
    engine = create_engine(database_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT value FROM counts")).scalar_one()
    engine.dispose()
    assert stored == value
