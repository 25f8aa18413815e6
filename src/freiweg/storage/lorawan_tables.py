"""Tables of the counter sources: LoRaWAN devices, seen uplinks, rejections, calibration sessions."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from freiweg.storage.tables import BigId, metadata

lorawan_devices = Table(
    "lorawan_devices",
    metadata,
    Column("dev_eui", String(16), primary_key=True),
    Column("sensor_pk", Integer, ForeignKey("sensors.pk"), nullable=False, unique=True),
    Column("device_id", String(64), nullable=True, unique=True),
    Column("payload_format", String(16), nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

lorawan_uplinks = Table(
    "lorawan_uplinks",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("uplink_key", String(200), nullable=False, unique=True),
    Column("sensor_pk", Integer, ForeignKey("sensors.pk"), nullable=False),
    Column("f_port", Integer, nullable=False),
    Column("wifi", Integer, nullable=False),
    Column("ble", Integer, nullable=True),
    Column("uplink_at", BigInteger, nullable=False),
    Column("stored_at", BigInteger, nullable=False),
)
Index("ix_lorawan_uplinks_sensor_time", lorawan_uplinks.c.sensor_pk, lorawan_uplinks.c.uplink_at)

ingest_rejections = Table(
    "ingest_rejections",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("source", String(32), nullable=False),
    Column("device", String(64), nullable=True),
    Column("reason", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("received_at", BigInteger, nullable=False),
)
Index("ix_ingest_rejections_received", ingest_rejections.c.received_at)

calibration_sessions = Table(
    "calibration_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sensor_pk", Integer, ForeignKey("sensors.pk"), nullable=False, index=True),
    Column("started_at", BigInteger, nullable=False),
    Column("ended_at", BigInteger, nullable=False),
    Column("people", Integer, nullable=False),
    Column("direction", String(3), nullable=False, default=""),
    Column("note", String(200), nullable=False, default=""),
    Column("created_at", BigInteger, nullable=False),
)
