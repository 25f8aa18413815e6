"""A real `freiweg serve` runs the alert check by itself and sends the webhook; FREIWEG_JOBS=off stops it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from freiweg.bootstrap import build_services
from freiweg.ingest.http_push.decode import parse_batch
from freiweg.services.jobs import job_status
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import area_feature, feature_collection
from tests.support.server import start_server
from tests.support.webhooks import Hook


@pytest.fixture
def crowded(settings: Settings) -> Iterator[Services]:
    """A database (on the real clock) whose Domplatz is crowded now, with a webhook rule on it."""
    built = build_services(settings)
    built.areas.import_areas(feature_collection(area_feature("domplatz", walkable_m2=100.0)))
    token = built.sensors.add("domplatz-1", area_id="domplatz", kind="wifi", interval_seconds=300).token
    now = datetime.now(UTC)
    document = {
        "counts": [
            {
                "start": (now - timedelta(minutes=5)).isoformat(),
                "end": now.isoformat(),
                "kind": "presence",
                "value": 900,
            }
        ]
    }
    built.intake.record(token=token, read=lambda at: parse_batch(document, now=at))
    yield built
    built.database.dispose()


def add_rule(services: Services, target: str) -> None:
    from freiweg.services.alerts import AlertService, deliver
    from freiweg.services.sensor_health import SensorHealthService

    health = SensorHealthService(database=services.database, clock=services.clock, tolerance=2.0)
    AlertService(
        database=services.database,
        clock=services.clock,
        crowd=services.crowd,
        health=health,
        send=deliver(services.settings),
    ).add_rule(
        kind="area_level",
        subject="domplatz",
        threshold="crowded",
        minutes=0,
        channel="webhook",
        target=target,
    )


def test_a_running_server_checks_alerts_by_itself_and_delivers_the_webhook(
    settings: Settings, crowded: Services, hook: Hook
) -> None:
    add_rule(crowded, hook.url)
    server = start_server(
        settings.database_url,
        environment_extra={"FREIWEG_ALERT_CHECK_SECONDS": "1", "FREIWEG_LOG_LEVEL": "info"},
    )
    try:
        deadline = time.monotonic() + 60
        while not hook.bodies and time.monotonic() < deadline:
            time.sleep(0.2)
        log = server.log_text()
    finally:
        server.stop()
    assert [(b["state"], b["kind"], b["subject"]) for b in hook.bodies] == [
        ("open", "area_level", "domplatz")
    ]
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    runs = [line for line in lines if line["logger"] == "freiweg.jobs" and line["message"] == "job run"]
    assert any(r["job"] == "alert_check" and r["ok"] is True and "1 opened" in r["detail"] for r in runs)
    status = {s["job"]: s for s in job_status(crowded.database)}
    assert status["alert_check"]["ok"] is True and status["alert_check"]["runs"] >= 1
    assert status["housekeeping"]["runs"] == 0  # daily at 03:30, not at start


def test_with_jobs_off_the_server_leaves_them_to_system_timers(
    settings: Settings, crowded: Services, hook: Hook
) -> None:
    add_rule(crowded, hook.url)
    server = start_server(
        settings.database_url,
        environment_extra={"FREIWEG_JOBS": "off", "FREIWEG_ALERT_CHECK_SECONDS": "1"},
    )
    try:
        time.sleep(3)
    finally:
        server.stop()
    assert hook.bodies == []
    assert job_status(crowded.database) == []
