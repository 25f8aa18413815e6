"""TTN v3 webhook: Paxcounter uplinks become counts once; every bad delivery says why it stored nothing."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from freiweg.domain.counts import Quality
from tests.conftest import count_rows
from tests.ingest.conftest import OPERATOR_TOKEN, TTN_SECRET, fixture

URL = "/api/v1/ingest/ttn"
HEADERS = {"X-Freiweg-Secret": TTN_SECRET}


def uplink(**changes: Any) -> dict[str, Any]:
    """The recorded TTN uplink with uplink_message fields changed (None removes one)."""
    document = fixture("ttn", "uplink.json")
    for name, value in changes.items():
        if value is None:
            document["uplink_message"].pop(name, None)
        else:
            document["uplink_message"][name] = value
    return document


def stored(url: str, sql: str) -> list[Any]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = list(connection.execute(text(sql)))
    engine.dispose()
    return rows


def test_an_uplink_becomes_one_presence_count_over_the_send_cycle_and_a_redelivery_stores_nothing(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    first = client.post(URL, json=uplink(), headers=HEADERS)
    assert first.status_code == 200, first.text
    assert first.json() == {"outcome": "stored", "new": 1, "sensor": "domplatz-1"}
    again = client.post(URL, json=uplink(), headers=HEADERS)
    assert again.status_code == 200
    assert again.json()["outcome"] == "duplicate"
    assert count_rows(database_url) == 1
    (row,) = stored(database_url, "SELECT window_start, window_end, value, quality, kind FROM counts")
    # received_at 09:59:30.2Z, a 60 s cycle ending then; wifi 7 + ble 3 = pax 10
    assert row.window_end - row.window_start == 60
    assert row.value == 10 and row.kind == "presence" and row.quality == 0
    (kept,) = stored(database_url, "SELECT wifi, ble, f_port FROM lorawan_uplinks")
    assert (kept.wifi, kept.ble, kept.f_port) == (7, 3, 1)


def test_the_counts_appear_as_a_people_estimate_with_an_interval(
    client: Any, paxcounters: dict[str, str]
) -> None:
    assert client.post(URL, json=uplink(), headers=HEADERS).status_code == 200
    areas = {a["id"]: a for a in client.get("/api/v1/areas").json()["areas"]}
    # Uncalibrated: one device is one person, with the wide default interval of 0.5 to 2.
    assert areas["domplatz"]["status"] == "live"
    assert areas["domplatz"]["people"] == {"estimate": 10, "low": 5, "high": 20, "interval": 0.8}


def test_a_device_known_only_by_its_ttn_device_id_is_found(client: Any, paxcounters: dict[str, str]) -> None:
    document = uplink()
    del document["end_device_ids"]["dev_eui"]
    answer = client.post(URL, json=document, headers=HEADERS)
    assert answer.json()["sensor"] == "domplatz-1"


def test_a_decoded_payload_that_disagrees_with_the_bytes_is_flagged_and_our_decoding_kept(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    answer = client.post(URL, json=uplink(decoded_payload={"wifi": 9, "ble": 3, "pax": 12}), headers=HEADERS)
    assert answer.json()["decoder_disagreement"] is True
    (row,) = stored(database_url, "SELECT value, quality FROM counts")
    assert row.value == 10 and row.quality == int(Quality.DECODER_DISAGREEMENT)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"f_port": None}, "no_port"),
        ({"f_port": 5}, "unknown_port"),
        ({"f_port": 2, "frm_payload": base64.b64encode(bytes(20)).decode()}, "unknown_port"),
        ({"frm_payload": "BwAD"}, "bad_length"),
        ({"frm_payload": None}, "bad_length"),
        ({"frm_payload": base64.b64encode(b"\xff\xff").decode()}, "implausible_count"),
        ({"received_at": "2026-06-13T11:00:00Z"}, "future_time"),
    ],
)
def test_an_uplink_without_counts_is_recorded_as_rejected_with_its_reason(
    client: Any, paxcounters: dict[str, str], database_url: str, changes: dict[str, Any], reason: str
) -> None:
    answer = client.post(URL, json=uplink(**changes), headers=HEADERS)
    assert answer.status_code == 202, answer.text
    assert answer.json()["outcome"] == "rejected" and answer.json()["reason"] == reason
    assert count_rows(database_url) == 0
    (row,) = stored(database_url, "SELECT source, device, reason FROM ingest_rejections")
    assert (row.source, row.device, row.reason) == ("ttn", "70B3D57ED005A1B2", reason)


def test_a_simulated_uplink_from_the_console_is_not_a_count(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    document = uplink()
    document["simulated"] = True
    answer = client.post(URL, json=document, headers=HEADERS)
    assert answer.status_code == 202 and answer.json()["reason"] == "simulated"
    assert count_rows(database_url) == 0


def test_an_unknown_device_is_rejected_and_recorded(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    document = uplink()
    document["end_device_ids"] = {"device_id": "somebody-else", "dev_eui": "0004A30B001C0530"}
    answer = client.post(URL, json=document, headers=HEADERS)
    assert answer.status_code == 202 and answer.json()["reason"] == "unknown_device"
    assert "freiweg sensor add" in answer.json()["detail"]
    assert stored(database_url, "SELECT device FROM ingest_rejections")[0].device == "0004A30B001C0530"


def test_bodies_that_are_no_uplink_get_a_problem_answer_and_store_nothing(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    bad_base64 = client.post(URL, json=uplink(frm_payload="B%%A"), headers=HEADERS)
    assert bad_base64.status_code == 422
    assert bad_base64.headers["content-type"] == "application/problem+json"
    assert bad_base64.json()["reason"] == "bad_base64"
    not_json = client.post(URL, content=b"{not json", headers=HEADERS)
    assert not_json.status_code == 422 and not_json.json()["reason"] == "malformed"
    join = fixture("ttn", "uplink.json")
    join["join_accept"] = join.pop("uplink_message")
    assert "uplink message" in client.post(URL, json=join, headers=HEADERS).json()["detail"]
    huge = client.post(URL, content=b"{" + b" " * 2_100_000 + b"}", headers=HEADERS)
    assert huge.status_code == 413
    assert count_rows(database_url) == 0
    assert len(stored(database_url, "SELECT id FROM ingest_rejections")) == 3


def test_a_missing_or_wrong_secret_is_refused(
    client: Any, paxcounters: dict[str, str], database_url: str
) -> None:
    assert client.post(URL, json=uplink()).status_code == 401
    assert client.post(URL, json=uplink(), headers={"X-Freiweg-Secret": "guess"}).status_code == 401
    assert count_rows(database_url) == 0


def test_webhooks_are_refused_while_no_secret_is_set(client: Any, paxcounters: dict[str, str]) -> None:
    client.app.state.services.settings.ttn_secret = None
    answer = client.post(URL, json=uplink(), headers=HEADERS)
    assert answer.status_code == 503
    assert "FREIWEG_TTN_SECRET" in answer.json()["detail"]


def test_operators_see_the_rejections_with_their_reasons(client: Any, paxcounters: dict[str, str]) -> None:
    client.post(URL, json=uplink(f_port=None), headers=HEADERS)
    url = "/api/v1/ingest/rejections"
    assert client.get(url).status_code == 401
    answer = client.get(url, headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
    assert answer.status_code == 200
    (rejection,) = answer.json()
    assert rejection["source"] == "ttn" and rejection["reason"] == "no_port"
    assert rejection["device"] == "70B3D57ED005A1B2" and "port 0" in rejection["detail"]
