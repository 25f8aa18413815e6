"""ChirpStack v4: HTTP integration events and MQTT uplink events of Paxcounter devices."""

SOURCE = "chirpstack"
WEBHOOK_PATH = "/api/v1/ingest/chirpstack"
SECRET_HEADER = "X-Freiweg-Secret"
