"""MQTT: subscribing to a broker, and the documented JSON topic for a city's own counters."""

SOURCE = "mqtt"
