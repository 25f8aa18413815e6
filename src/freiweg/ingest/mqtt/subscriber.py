"""A small MQTT subscriber (paho-mqtt) that hands every message to one handler, in arrival order."""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable, Sequence
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from freiweg.ingest.mqtt.config import BrokerAddress

Handler = Callable[[str, bytes], object]
log = logging.getLogger(__name__)


class Subscriber:
    """Subscribes to topics and calls handler(topic, payload) for each message on one thread.

    One thread keeps the messages of a device in order and suits SQLite's single writer; a
    handler's exception is logged and the next message is taken, so one bad message never stops
    the subscription. The client reconnects by itself and subscribes again after a reconnect.
    """

    def __init__(
        self, address: BrokerAddress, topics: Sequence[str], handler: Handler, *, qos: int = 0
    ) -> None:
        self.address = address
        self.topics = list(topics)
        self.handler = handler
        self.qos = qos
        self.handled = 0
        self.failed = 0
        self.subscribed = threading.Event()
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=address.client_id,
            protocol=mqtt.MQTTv311,
            clean_session=True,
        )
        if address.username:
            self._client.username_pw_set(address.username, address.password)
        if address.tls:
            self._client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
        self._client.reconnect_delay_set(min_delay=1, max_delay=60)
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_message = self._on_message

    def _on_connect(self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            log.warning("MQTT connection refused: %s", reason)
            return
        client.subscribe([(topic, self.qos) for topic in self.topics])

    def _on_subscribe(
        self, _client: mqtt.Client, _userdata: Any, _mid: int, _codes: Any, _props: Any
    ) -> None:
        self.subscribed.set()

    def _on_message(self, _client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        try:
            self.handler(message.topic, bytes(message.payload))
            self.handled += 1
        except Exception:
            self.failed += 1
            log.exception("MQTT message on %s could not be handled", message.topic)

    def start(self) -> None:
        """Connect and handle messages on a background thread."""
        self._client.connect_async(self.address.host, self.address.port, keepalive=self.address.keepalive)
        self._client.loop_start()

    def stop(self) -> None:
        """Disconnect and wait for the background thread."""
        self._client.disconnect()
        self._client.loop_stop()

    def run_forever(self) -> None:
        """Connect and handle messages on this thread until interrupted."""
        self._client.connect(self.address.host, self.address.port, keepalive=self.address.keepalive)
        self._client.loop_forever(retry_first_connection=True)
