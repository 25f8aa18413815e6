"""Alerts delivered to a real local webhook and a real local SMTP server; de-duplicated and resolved."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from freiweg.domain.errors import InvalidInput
from freiweg.services.alerts import AlertService, deliver
from freiweg.services.registry import Services
from freiweg.services.sensor_health import SensorHealthService
from freiweg.settings import Settings
from tests.conftest import FakeClock
from tests.support.webhooks import Hook


class Inbox:
    """An aiosmtpd handler that keeps every message."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A running SMTP server on loopback and its port."""
    handler = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def alerts(services: Services, clock: FakeClock, settings: Settings) -> AlertService:
    health = SensorHealthService(database=services.database, clock=clock, tolerance=2.0)
    return AlertService(
        database=services.database, clock=clock, crowd=services.crowd, health=health, send=deliver(settings)
    )


def presence_now(services: Services, token: str, clock: FakeClock, value: int) -> None:
    """Upload one five-minute presence count ending now."""
    from freiweg.ingest.http_push.decode import parse_batch

    document = {
        "counts": [
            {
                "start": (clock.now - timedelta(minutes=5)).isoformat(),
                "end": clock.now.isoformat(),
                "kind": "presence",
                "value": value,
            }
        ]
    }
    services.intake.record(token=token, read=lambda now: parse_batch(document, now=now))


def test_a_crowded_area_sends_one_webhook_after_the_minutes_and_one_when_it_calms_down(
    services: Services, settings: Settings, clock: FakeClock, town: Callable[..., dict[str, str]], hook: Hook
) -> None:
    tokens = town("domplatz", walkable_m2=100.0)
    service = alerts(services, clock, settings)
    service.add_rule(
        kind="area_level",
        subject="domplatz",
        threshold="crowded",
        minutes=10,
        channel="webhook",
        target=hook.url,
    )
    presence_now(services, tokens["domplatz-1"], clock, 900)
    assert service.check() == []  # holds, but not yet for ten minutes
    clock.advance(minutes=5)
    presence_now(services, tokens["domplatz-1"], clock, 900)
    assert service.check() == []
    clock.advance(minutes=5)
    presence_now(services, tokens["domplatz-1"], clock, 900)
    assert [n.state for n in service.check()] == ["open"]
    clock.advance(minutes=5)
    presence_now(services, tokens["domplatz-1"], clock, 900)
    assert service.check() == []  # de-duplicated: still the same open alert
    clock.advance(minutes=5)
    presence_now(services, tokens["domplatz-1"], clock, 2)
    assert [n.state for n in service.check()] == ["resolved"]
    assert [(b["state"], b["kind"], b["subject"]) for b in hook.bodies] == [
        ("open", "area_level", "domplatz"),
        ("resolved", "area_level", "domplatz"),
    ]
    history = service.history()
    assert len(history) == 1 and history[0]["resolved_at"] is not None and history[0]["delivered"] is True


def test_a_silent_sensor_is_mailed_through_smtp(
    services: Services,
    settings: Settings,
    clock: FakeClock,
    town: Callable[..., dict[str, str]],
    inbox: tuple[Inbox, int],
) -> None:
    handler, port = inbox
    tokens = town("domplatz", interval=300)
    presence_now(services, tokens["domplatz-1"], clock, 10)
    mail_settings = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    service = alerts(services, clock, mail_settings)
    service.add_rule(
        kind="sensor_silent",
        subject="domplatz-1",
        threshold="2",
        minutes=0,
        channel="email",
        target="ops@example.org",
    )
    assert service.check() == []
    clock.advance(minutes=11)
    assert [n.state for n in service.check()] == ["open"]
    assert len(handler.messages) == 1
    assert handler.messages[0]["To"] == "ops@example.org"
    assert "domplatz-1" in handler.messages[0]["Subject"]


def test_an_undeliverable_alert_stays_marked_undelivered(
    services: Services, settings: Settings, clock: FakeClock, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    service = alerts(services, clock, settings)
    service.add_rule(
        kind="sensor_silent",
        subject="domplatz-1",
        threshold="1",
        minutes=0,
        channel="webhook",
        target="http://127.0.0.1:9/none",
    )
    assert [n.state for n in service.check()] == ["open"]
    assert service.history()[0]["delivered"] is False


def test_a_bad_rule_says_what_to_fix_and_is_not_stored(
    services: Services, settings: Settings, clock: FakeClock, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    service = alerts(services, clock, settings)
    with pytest.raises(InvalidInput) as raised:
        service.add_rule(
            kind="area_level",
            subject="domplatz",
            threshold="packed",
            minutes=5,
            channel="webhook",
            target="x",
        )
    assert "target" in str(raised.value)
    with pytest.raises(InvalidInput):
        service.add_rule(
            kind="area_level", subject="nowhere", threshold="busy", minutes=5, channel="email", target="a@b.c"
        )
    assert service.rules() == []


def test_checks_running_at_the_same_time_open_each_alert_once_and_send_it_once(
    services: Services, settings: Settings, clock: FakeClock, town: Callable[..., dict[str, str]], hook: Hook
) -> None:
    tokens = town("domplatz", walkable_m2=100.0)
    first = alerts(services, clock, settings)
    for _ in range(20):  # many rules make each check long enough for the checks to overlap
        first.add_rule(
            kind="area_level",
            subject="domplatz",
            threshold="crowded",
            minutes=0,
            channel="webhook",
            target=hook.url,
        )
    presence_now(services, tokens["domplatz-1"], clock, 900)
    checkers = [alerts(services, clock, settings) for _ in range(6)]
    start = threading.Barrier(len(checkers))
    states: list[str] = []
    failures: list[BaseException] = []

    def check(service: AlertService) -> None:
        start.wait()
        try:
            for _ in range(3):
                states.extend(n.state for n in service.check())
        except BaseException as error:  # surfaced below
            failures.append(error)

    threads = [threading.Thread(target=check, args=(c,)) for c in checkers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert states == ["open"] * 20
    assert [b["state"] for b in hook.bodies] == ["open"] * 20
    assert len(first.history()) == 20
