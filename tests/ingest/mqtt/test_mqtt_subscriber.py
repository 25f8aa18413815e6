"""MQTT on a real Mosquitto: own counts topic, TTN and ChirpStack uplink topics end in the same intake."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import orjson
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from freiweg.ingest.chirpstack.config import uplink_topic as chirpstack_topic
from freiweg.ingest.mqtt.config import COUNTS_TOPIC, BrokerAddress
from freiweg.ingest.mqtt.subscriber import Subscriber
from freiweg.ingest.ttn.config import uplink_topic as ttn_topic
from freiweg.services.lorawan import LorawanService
from freiweg.services.mqtt_intake import MqttIntake
from freiweg.services.registry import Services
from tests.conftest import FakeClock, count_rows, presence
from tests.ingest.conftest import fixture
from tests.support.mosquitto import Broker


@pytest.fixture
def intake(services: Services, lorawan: LorawanService) -> MqttIntake:
    return MqttIntake(intake=services.intake, lorawan=lorawan, rejections=lorawan.rejections)


@pytest.fixture
def publisher(broker: Broker) -> Iterator[mqtt.Client]:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    client.connect(broker.host, broker.port)
    client.loop_start()
    yield client
    client.disconnect()
    client.loop_stop()


@pytest.fixture
def subscribed(broker: Broker) -> Iterator[Callable[..., Subscriber]]:
    started: list[Subscriber] = []

    def start(topics: list[str], handler: Callable[[str, bytes], object], qos: int = 1) -> Subscriber:
        subscriber = Subscriber(BrokerAddress(broker.host, broker.port), topics, handler, qos=qos)
        subscriber.start()
        assert subscriber.subscribed.wait(10), "no subscription acknowledged"
        started.append(subscriber)
        return subscriber

    yield start
    for subscriber in started:
        subscriber.stop()


def wait_for(subscriber: Subscriber, handled: int) -> None:
    deadline = time.monotonic() + 15
    while subscriber.handled + subscriber.failed < handled and time.monotonic() < deadline:
        time.sleep(0.02)
    assert subscriber.handled + subscriber.failed >= handled, (subscriber.handled, subscriber.failed)


def test_own_counters_publish_the_push_format_with_their_token_and_repeats_are_stored_once(
    town: Callable[..., dict[str, str]],
    intake: MqttIntake,
    subscribed: Callable[..., Subscriber],
    publisher: mqtt.Client,
    clock: FakeClock,
    database_url: str,
) -> None:
    tokens = town("domplatz", kind="passage")
    subscriber = subscribed([COUNTS_TOPIC], intake.own_counts)
    body = {"token": tokens["domplatz-1"], "counts": [presence(clock.now - timedelta(minutes=10), 42)]}
    for _ in range(2):
        publisher.publish("freiweg/counts/domplatz-1", orjson.dumps(body), qos=1).wait_for_publish(5)
    wait_for(subscriber, 2)
    assert count_rows(database_url) == 1


def test_bad_messages_on_the_own_topic_are_recorded_as_rejected(
    town: Callable[..., dict[str, str]],
    intake: MqttIntake,
    lorawan: LorawanService,
    subscribed: Callable[..., Subscriber],
    publisher: mqtt.Client,
    clock: FakeClock,
    database_url: str,
) -> None:
    tokens = town("domplatz", "obstmarkt")
    subscriber = subscribed([COUNTS_TOPIC], intake.own_counts)
    good_count = presence(clock.now - timedelta(minutes=10), 42)
    messages: list[tuple[str, Any]] = [
        ("freiweg/counts/domplatz-1", b"{not json"),
        ("freiweg/counts/domplatz-1", {"counts": [good_count]}),
        ("freiweg/counts/domplatz-1", {"token": "fwt_wrong", "counts": [good_count]}),
        ("freiweg/counts/domplatz-1", {"token": tokens["obstmarkt-1"], "counts": [good_count]}),
        (
            "freiweg/counts/domplatz-1",
            {"token": tokens["domplatz-1"], "counts": [{**good_count, "value": -1}]},
        ),
    ]
    for topic, body in messages:
        payload = body if isinstance(body, bytes) else orjson.dumps(body)
        publisher.publish(topic, payload, qos=1).wait_for_publish(5)
    wait_for(subscriber, len(messages))
    assert count_rows(database_url) == 0
    reasons = [r.reason for r in reversed(lorawan.rejections.recent(source="mqtt"))]
    assert reasons == ["malformed", "unauthenticated", "unauthenticated", "unauthenticated", "invalid_counts"]


def test_ttn_and_chirpstack_uplinks_arrive_over_mqtt_and_a_redelivery_is_not_doubled(
    paxcounters: dict[str, str],
    intake: MqttIntake,
    subscribed: Callable[..., Subscriber],
    publisher: mqtt.Client,
    database_url: str,
) -> None:
    ttn = subscribed([ttn_topic("bamberg-pax")], lambda _t, p: intake.uplink("ttn", p), qos=0)
    chirpstack = subscribed(
        [chirpstack_topic("a1b2c3d4-e5f6-4789-8abc-def012345678")],
        lambda _t, p: intake.uplink("chirpstack", p),
    )
    ttn_message = orjson.dumps(fixture("ttn", "uplink.json"))
    for _ in range(2):
        publisher.publish("v3/bamberg-pax@ttn/devices/pax-domplatz-1/up", ttn_message).wait_for_publish(5)
    publisher.publish(
        "application/a1b2c3d4-e5f6-4789-8abc-def012345678/device/70b3d57ed005c3d4/event/up",
        orjson.dumps(fixture("chirpstack", "uplink.json")),
        qos=1,
    ).wait_for_publish(5)
    wait_for(ttn, 2)
    wait_for(chirpstack, 1)
    assert count_rows(database_url) == 2
    assert ttn.failed == 0 and chirpstack.failed == 0


def test_a_handler_that_fails_does_not_stop_the_subscription(
    subscribed: Callable[..., Subscriber], publisher: mqtt.Client
) -> None:
    seen: list[bytes] = []

    def handler(_topic: str, payload: bytes) -> None:
        if payload == b"boom":
            raise RuntimeError("broken handler")
        seen.append(payload)

    subscriber = subscribed(["freiweg/test/+"], handler)
    for payload in (b"one", b"boom", b"two"):
        publisher.publish("freiweg/test/x", payload, qos=1).wait_for_publish(5)
    wait_for(subscriber, 3)
    assert seen == [b"one", b"two"] and subscriber.failed == 1


def test_an_oversized_uplink_message_is_rejected_unread(
    paxcounters: dict[str, str], intake: MqttIntake, lorawan: LorawanService, database_url: str
) -> None:
    outcome = intake.uplink("ttn", b"{" + b" " * 70_000 + b"}")
    assert outcome.outcome == "rejected" and outcome.reason == "malformed"
    assert "70002 bytes" in lorawan.rejections.recent()[0].detail
    assert count_rows(database_url) == 0
