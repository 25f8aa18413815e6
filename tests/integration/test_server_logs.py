"""A real server's log: one JSON object per line, and never a token, a password or a caller's address."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from freiweg.bootstrap import build_services
from freiweg.services.staff import StaffService
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, area_feature, feature_collection, presence
from tests.support.console import csrf_of
from tests.support.server import ServerProcess, start_server

CLIENT_ADDRESS = "127.0.0.77"  # a loopback address of its own, so the server sees it as the caller
FORWARDED_ADDRESS = "198.51.100.23"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) freiweg-log-probe/42"
OPERATOR_TOKEN = "operator-token-d41d8cd98f00b204"
TTN_SECRET = "ttn-secret-9e107d9d372bb6826bd8"
WRONG_PASSWORD = "wrong-password-Kx7!pQ"
WRONG_TOKEN = "fwt_thisIsNotARealTokenButLooksLikeOne1234567"
FEEDBACK_TEXT = "Vor meinem Haus in der Karolinenstraße 7 ist es nachts zu laut, Grüße Erika Mustermann"


@pytest.fixture
def prepared(database_url: str) -> Iterator[dict[str, str]]:
    """An area, a sensor with its token and an editor with a password, stored before the server starts."""
    services = build_services(Settings(database_url=database_url, secret_key=TEST_SECRET))
    try:
        services.areas.import_areas(feature_collection(area_feature("domplatz")))
        issued = services.sensors.add("domplatz-1", area_id="domplatz", kind="paxcounter")
        created = StaffService(database=services.database, clock=services.clock).add("anna", role="editor")
    finally:
        services.database.dispose()
    yield {"token": issued.token, "password": str(created.password)}


def run_flows(server: ServerProcess, secrets: dict[str, str]) -> None:
    """Sensor uploads, a webhook, feedback, sign-ins and operator calls from a distinctive address."""
    transport = httpx.HTTPTransport(local_address=CLIENT_ADDRESS)
    headers = {"user-agent": USER_AGENT, "x-forwarded-for": FORWARDED_ADDRESS, "x-real-ip": FORWARDED_ADDRESS}
    with httpx.Client(base_url=server.base_url, transport=transport, headers=headers, timeout=30) as client:
        start = (datetime.now(UTC) - timedelta(minutes=10)).replace(second=0, microsecond=0)
        count = presence(start, 12)
        good = {"authorization": f"Bearer {secrets['token']}"}
        assert client.post("/api/v1/counts", json={"counts": [count]}, headers=good).status_code == 200
        bad_count = {**count, "value": -5, "note": secrets["token"]}
        assert client.post("/api/v1/counts", json={"counts": [bad_count]}, headers=good).status_code == 422
        wrong = {"authorization": f"Bearer {WRONG_TOKEN}"}
        assert client.post("/api/v1/counts", json={"counts": [count]}, headers=wrong).status_code == 401
        uplink = client.post(
            "/api/v1/ingest/ttn",
            content=b'{"end_device_ids": {"device_id": "unknown-box"}, "uplink_message": {}}',
            headers={"x-freiweg-secret": TTN_SECRET, "content-type": "application/json"},
        )
        assert uplink.status_code in (202, 422)
        assert (
            client.post("/api/v1/ingest/ttn", content=b"{}", headers={"x-freiweg-secret": "nope"}).status_code
            == 401
        )
        rejections = client.get(
            "/api/v1/ingest/rejections", headers={"authorization": f"Bearer {OPERATOR_TOKEN}"}
        )
        assert rejections.status_code == 200

        feedback = {"topic": "project", "kind": "concern", "text": FEEDBACK_TEXT, "lang": "de"}
        assert client.post("/api/v1/feedback", json=feedback).status_code == 202
        assert client.post("/api/v1/feedback", json={**feedback, "kind": "rant"}).status_code == 422

        form = csrf_of(client.get("/console/login").text)
        refused = client.post(
            "/console/login", data={"name": "anna", "password": WRONG_PASSWORD, "csrf": form}
        )
        assert refused.status_code == 401
        form = csrf_of(client.get("/console/login").text)
        signed = client.post(
            "/console/login", data={"name": "anna", "password": secrets["password"], "csrf": form}
        )
        assert signed.status_code in (200, 303)
        assert client.get("/console/sensors.json").status_code == 200


def test_a_running_server_logs_json_lines_without_tokens_passwords_or_addresses(
    database_url: str, prepared: dict[str, str]
) -> None:
    server = start_server(
        database_url,
        environment_extra={
            "FREIWEG_LOG_LEVEL": "info",
            "FREIWEG_LOG_FORMAT": "json",
            "FREIWEG_OPERATOR_TOKEN": OPERATOR_TOKEN,
            "FREIWEG_TTN_SECRET": TTN_SECRET,
        },
    )
    try:
        run_flows(server, prepared)
    finally:
        server.process.terminate()
        server.process.wait(timeout=20)
        text = server.log_text()
        server.stop()

    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    messages = [(line["logger"], line["message"]) for line in lines]
    assert ("freiweg.server", "server starting") in messages
    assert ("freiweg.console", "sign-in refused") in messages
    refusals = [line for line in lines if line["message"] == "request refused"]
    assert {(r["status"], r["route"]) for r in refusals} >= {(401, "/api/v1/counts"), (422, "/api/v1/counts")}
    assert any(line["logger"].startswith("uvicorn") for line in lines)
    for secret in (
        prepared["token"],
        prepared["password"],
        WRONG_TOKEN,
        WRONG_PASSWORD,
        OPERATOR_TOKEN,
        TTN_SECRET,
        CLIENT_ADDRESS,
        FORWARDED_ADDRESS,
        USER_AGENT,
        "freiweg-log-probe",
        FEEDBACK_TEXT,
        "Karolinenstraße",
        "Mustermann",
    ):
        assert secret not in text


def test_the_plain_text_setting_writes_readable_lines(database_url: str, prepared: dict[str, str]) -> None:
    server = start_server(
        database_url, environment_extra={"FREIWEG_LOG_LEVEL": "info", "FREIWEG_LOG_FORMAT": "text"}
    )
    try:
        wrong = {"authorization": f"Bearer {WRONG_TOKEN}"}
        assert httpx.post(f"{server.base_url}/api/v1/counts", json={"counts": []}, headers=wrong).status_code
    finally:
        server.process.terminate()
        server.process.wait(timeout=20)
        text = server.log_text()
        server.stop()
    assert "INFO    freiweg.server: server starting" in text
    assert "request refused" in text and WRONG_TOKEN not in text
    assert not text.lstrip().startswith("{")
