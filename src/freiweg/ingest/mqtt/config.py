"""MQTT connection settings and the topic a city's own counters publish to."""

from __future__ import annotations

from dataclasses import dataclass

COUNTS_TOPIC_PREFIX = "freiweg/counts/"
COUNTS_TOPIC = COUNTS_TOPIC_PREFIX + "+"  # freiweg/counts/{sensor_id}
MAX_PAYLOAD_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class BrokerAddress:
    """Where to subscribe, and as whom."""

    host: str = "127.0.0.1"
    port: int = 1883
    username: str | None = None
    password: str | None = None
    tls: bool = False
    client_id: str = ""
    keepalive: int = 60
