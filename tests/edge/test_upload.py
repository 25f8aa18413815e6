"""Uploads to a real server: retried with backoff while it is down, never duplicated, with a report."""

from __future__ import annotations

import random
import time
from pathlib import Path

import httpx
import pytest

from freiweg.bootstrap import build_services
from freiweg.edge.agent import agent_report
from freiweg.edge.config import EdgeConfig
from freiweg.edge.queue import CountQueue
from freiweg.edge.uploader import Uploader
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, area_feature, count_rows, feature_collection
from tests.support.postgres import free_port
from tests.support.server import start_server

pytestmark = pytest.mark.slow


def prepare(database_url: str) -> str:
    services = build_services(Settings(database_url=database_url, secret_key=TEST_SECRET))
    services.areas.import_areas(feature_collection(area_feature("domplatz")))
    token = services.sensors.add("domplatz-1", area_id="domplatz", kind="wifi", interval_seconds=300).token
    services.database.dispose()
    return token


def recent_windows(queue: CountQueue, n: int) -> None:
    now = int(time.time()) // 300 * 300
    for i in range(n):
        queue.put(now - 300 * (n - i), now - 300 * (n - i - 1), 10 + i, ["clock_uncertain"] if i == 0 else [])


def uploader_for(queue: CountQueue, url: str, token: str, logged: list[str]) -> Uploader:
    report = agent_report(EdgeConfig(), queue, "0" * 64, lambda: False)
    return Uploader(
        queue,
        url=url,
        token=token,
        report=lambda: report,
        batch=3,
        log=logged.append,
        jitter=random.Random(1),
    )


def test_counts_wait_while_the_server_is_down_and_arrive_once_when_it_is_back(
    database_url: str, tmp_path: Path
) -> None:
    token = prepare(database_url)
    port = free_port()
    queue = CountQueue(tmp_path / "queue.db")
    recent_windows(queue, 7)
    logged: list[str] = []
    uploader = uploader_for(queue, f"http://127.0.0.1:{port}", token, logged)
    uploader.step(now=0.0)
    assert queue.size() == 7 and uploader.failures == 1 and uploader.next_attempt > 0
    uploader.step(now=uploader.next_attempt)
    assert uploader.failures == 2
    server = start_server(database_url, port=port)
    try:
        uploader.step(now=uploader.next_attempt)
        assert queue.size() == 0 and uploader.failures == 0
        recent_windows(queue, 7)
        uploader.step(now=uploader.next_attempt)
        assert queue.size() == 0
    finally:
        server.stop()
        uploader.close()
        queue.close()
    assert count_rows(database_url) == 7
    assert any("retry" in line for line in logged)


def test_a_refused_token_keeps_the_counts_for_a_later_try(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'server.db'}"
    prepare(database_url)
    queue = CountQueue(tmp_path / "queue.db")
    recent_windows(queue, 2)
    logged: list[str] = []
    server = start_server(database_url)
    try:
        uploader = uploader_for(queue, server.base_url, "not-the-token", logged)
        uploader.step(now=0.0)
        uploader.close()
    finally:
        server.stop()
    assert queue.size() == 2 and queue.dropped == 0
    queue.close()
    assert any("401" in line for line in logged)


def test_a_count_the_server_refuses_for_good_is_dropped_alone_and_tallied(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'server.db'}"
    token = prepare(database_url)
    queue = CountQueue(tmp_path / "queue.db")
    recent_windows(queue, 2)
    future = int(time.time()) + 3600
    queue.put(future, future + 300, 5, [])
    server = start_server(database_url)
    try:
        uploader = uploader_for(queue, server.base_url, token, [])
        uploader.step(now=0.0)
        uploader.close()
    finally:
        server.stop()
    assert queue.size() == 0 and queue.dropped == 1
    queue.close()
    assert count_rows(database_url) == 2


def test_the_backoff_doubles_up_to_its_cap_with_jitter(tmp_path: Path) -> None:
    queue = CountQueue(tmp_path / "queue.db")
    uploader = Uploader(
        queue,
        url="http://127.0.0.1:9",
        token="t",
        report=dict,
        backoff=2,
        backoff_max=60,
        jitter=random.Random(3),
    )
    delays = []
    for failures in range(1, 10):
        uploader.failures = failures
        delays.append(uploader.delay())
    ceilings = [min(60, 2 * 2 ** (f - 1)) for f in range(1, 10)]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert max(delays) <= 60
    uploader.close()
    queue.close()


def test_the_upload_carries_the_agent_report(tmp_path: Path) -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return httpx.Response(200, json={"sensor": "s", "received": 1, "new": 1, "known": 0})

    queue = CountQueue(tmp_path / "queue.db")
    recent_windows(queue, 1)
    report = agent_report(EdgeConfig(), queue, "a" * 64, lambda: True)
    uploader = Uploader(
        queue,
        url="http://sensor.test",
        token="t",
        report=lambda: report,
        client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    uploader.step(now=0.0)
    uploader.close()
    queue.close()
    body = httpx.Response(200, content=seen[0]).json()
    assert body["agent"] == {
        "version": "0.1.0",
        "code_sha256": "a" * 64,
        "config_sha256": EdgeConfig().sha256(),
        "clock_synced": True,
        "queue_dropped": 0,
    }
    assert body["counts"][0]["kind"] == "presence" and body["counts"][0]["quality"] == ["clock_uncertain"]
