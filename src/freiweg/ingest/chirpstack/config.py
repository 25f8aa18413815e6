"""Where ChirpStack delivers uplinks: the MQTT topic of an application and the HTTP event name."""

from __future__ import annotations

UPLINK_EVENT = "up"
OTHER_EVENTS = frozenset(("join", "ack", "txack", "log", "status", "location", "integration"))


def uplink_topic(application_id: str) -> str:
    """The MQTT topic of every device's uplinks: application/{id}/device/+/event/up."""
    return f"application/{application_id}/device/+/event/{UPLINK_EVENT}"
