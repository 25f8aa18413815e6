"""The Things Stack v3 (TTN): uplink webhooks and MQTT uplink messages of Paxcounter devices."""

SOURCE = "ttn"
WEBHOOK_PATH = "/api/v1/ingest/ttn"
SECRET_HEADER = "X-Freiweg-Secret"
