"""Where TTN delivers uplinks: the MQTT topic of an application and the webhook header."""

from __future__ import annotations

DEFAULT_MQTT_PORT = 8883  # TLS; plain MQTT is 1883


def uplink_topic(application_id: str, tenant: str | None = "ttn") -> str:
    """The MQTT topic of every device's uplinks: v3/{app}@{tenant}/devices/+/up (no @ on open source)."""
    owner = f"{application_id}@{tenant}" if tenant else application_id
    return f"v3/{owner}/devices/+/up"


def mqtt_username(application_id: str, tenant: str | None = "ttn") -> str:
    """The MQTT user name TTN expects: the application id, with @tenant on TTS Cloud."""
    return f"{application_id}@{tenant}" if tenant else application_id
