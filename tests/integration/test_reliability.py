"""Reliability with real server processes: a killed upload is all or nothing; servers share no state."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from freiweg.bootstrap import build_services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, area_feature, bearer, count_rows, feature_collection, presence
from tests.support.server import running_server, start_server

pytestmark = pytest.mark.slow

BATCH = 10_000


def prepare(database_url: str) -> str:
    """An area with one sensor; returns the sensor's token."""
    services = build_services(Settings(database_url=database_url, secret_key=TEST_SECRET))
    services.areas.import_areas(feature_collection(area_feature("domplatz")))
    token = services.sensors.add("domplatz-1", area_id="domplatz", kind="wifi").token
    services.database.dispose()
    return token


def big_batch(base: datetime, offset_minutes: int) -> dict[str, object]:
    """BATCH one-minute windows ending offset_minutes before base, going back in time."""
    end = base - timedelta(minutes=offset_minutes)
    return {"counts": [presence(end - timedelta(minutes=i + 1), i % 97, minutes=1) for i in range(BATCH)]}


def test_a_server_killed_during_a_batch_upload_keeps_all_of_it_or_none_and_a_resend_gives_one_copy(
    database_url: str,
) -> None:
    token = prepare(database_url)
    outcomes = set()
    base = datetime.now(UTC).replace(second=0, microsecond=0)
    for attempt, delay in enumerate((0.02, 0.08, 0.15, 0.3, 0.6)):
        body = big_batch(base, offset_minutes=attempt * BATCH)
        before = count_rows(database_url)
        server = start_server(database_url)
        sender = threading.Thread(
            target=lambda url=server.base_url, body=body: _post_ignoring_errors(url, token, body)
        )
        sender.start()
        time.sleep(delay)
        server.kill()
        sender.join(timeout=30)
        stored = count_rows(database_url) - before
        assert stored in (0, BATCH), f"a killed upload left {stored} of {BATCH} counts"
        outcomes.add(stored)
        with running_server(database_url) as again:
            answer = httpx.post(
                f"{again.base_url}/api/v1/counts", json=body, headers=bearer(token), timeout=60
            )
        assert answer.status_code == 200
        assert answer.json()["new"] + answer.json()["known"] == BATCH
        assert count_rows(database_url) - before == BATCH
    assert outcomes, "no attempt ran"


def _post_ignoring_errors(base_url: str, token: str, body: dict[str, object]) -> None:
    try:
        httpx.post(f"{base_url}/api/v1/counts", json=body, headers=bearer(token), timeout=30)
    except httpx.HTTPError:
        pass


@pytest.mark.postgres
def test_two_servers_on_one_postgresql_give_identical_answers(postgres_cluster) -> None:
    url = postgres_cluster.create_database("freiweg_two_servers")
    try:
        token = prepare(url)
        with running_server(url) as first, running_server(url) as second:
            for step in range(3):
                target = (first, second)[step % 2]
                now = datetime.now(UTC).replace(second=0, microsecond=0)
                answer = httpx.post(
                    f"{target.base_url}/api/v1/counts",
                    json={
                        "counts": [presence(now - timedelta(minutes=4 - step), 100 + 50 * step, minutes=1)]
                    },
                    headers=bearer(token),
                )
                assert answer.status_code == 200
                for path in ("/api/v1/areas", "/api/v1/areas/domplatz", "/index.json"):
                    a = httpx.get(first.base_url + path)
                    b = httpx.get(second.base_url + path)
                    assert a.status_code == b.status_code == 200
                    assert a.content == b.content, f"{path} differs between the servers at step {step}"
                    assert a.headers["etag"] == b.headers["etag"]
                estimate = httpx.get(first.base_url + "/api/v1/areas").json()["areas"][0]["people"][
                    "estimate"
                ]
                assert estimate == 100 + 50 * step
    finally:
        postgres_cluster.drop_database("freiweg_two_servers")
