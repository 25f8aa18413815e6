"""Behind a trusted reverse proxy the flood guard limits each client, not the proxy as a whole."""

from __future__ import annotations

import httpx

from freiweg.services.flood_guard import FLOOD_LIMITS
from tests.support.server import start_server

ITEM = {"topic": "project", "kind": "question", "text": "Wozu dient der Sensor?", "lang": "de"}


def send_from(base_url: str, client: str) -> int:
    """One feedback item that the proxy says came from `client`."""
    answer = httpx.post(
        f"{base_url}/api/v1/feedback", json=ITEM, headers={"X-Forwarded-For": client}, timeout=10
    )
    return answer.status_code


def test_one_client_behind_a_trusted_proxy_cannot_use_up_the_limit_of_everyone_else(
    database_url: str,
) -> None:
    server = start_server(database_url, environment_extra={"FREIWEG_TRUSTED_PROXIES": "127.0.0.1"})
    try:
        limit = FLOOD_LIMITS["feedback"]
        assert [send_from(server.base_url, "198.51.100.7") for _ in range(limit)] == [202] * limit
        assert send_from(server.base_url, "198.51.100.7") == 429
        assert send_from(server.base_url, "198.51.100.8") == 202
        assert "198.51.100" not in server.log_text()
    finally:
        server.stop()


def test_without_a_trusted_proxy_a_forwarded_header_cannot_open_a_new_allowance(database_url: str) -> None:
    server = start_server(database_url)
    try:
        limit = FLOOD_LIMITS["feedback"]
        assert [send_from(server.base_url, f"203.0.113.{i}") for i in range(limit)] == [202] * limit
        assert send_from(server.base_url, "203.0.113.99") == 429
    finally:
        server.stop()
