"""Counter sources: LoRaWAN devices, seen uplinks, recorded rejections and calibration sessions.

Revision ID: 0003a
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003a"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "lorawan_devices",
        sa.Column("dev_eui", sa.String(length=16), nullable=False),
        sa.Column("sensor_pk", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=True),
        sa.Column("payload_format", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_pk"], ["sensors.pk"], name=op.f("fk_lorawan_devices_sensor_pk_sensors")
        ),
        sa.PrimaryKeyConstraint("dev_eui", name=op.f("pk_lorawan_devices")),
        sa.UniqueConstraint("sensor_pk", name=op.f("uq_lorawan_devices_sensor_pk")),
        sa.UniqueConstraint("device_id", name=op.f("uq_lorawan_devices_device_id")),
    )
    op.create_table(
        "lorawan_uplinks",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("uplink_key", sa.String(length=200), nullable=False),
        sa.Column("sensor_pk", sa.Integer(), nullable=False),
        sa.Column("f_port", sa.Integer(), nullable=False),
        sa.Column("wifi", sa.Integer(), nullable=False),
        sa.Column("ble", sa.Integer(), nullable=True),
        sa.Column("uplink_at", sa.BigInteger(), nullable=False),
        sa.Column("stored_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_pk"], ["sensors.pk"], name=op.f("fk_lorawan_uplinks_sensor_pk_sensors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lorawan_uplinks")),
        sa.UniqueConstraint("uplink_key", name=op.f("uq_lorawan_uplinks_uplink_key")),
    )
    op.create_index("ix_lorawan_uplinks_sensor_time", "lorawan_uplinks", ["sensor_pk", "uplink_at"])
    op.create_table(
        "ingest_rejections",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_rejections")),
    )
    op.create_index("ix_ingest_rejections_received", "ingest_rejections", ["received_at"])
    op.create_table(
        "calibration_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sensor_pk", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.BigInteger(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_pk"], ["sensors.pk"], name=op.f("fk_calibration_sessions_sensor_pk_sensors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_sessions")),
    )
    op.create_index(
        op.f("ix_calibration_sessions_sensor_pk"), "calibration_sessions", ["sensor_pk"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_calibration_sessions_sensor_pk"), table_name="calibration_sessions")
    op.drop_table("calibration_sessions")
    op.drop_index("ix_ingest_rejections_received", table_name="ingest_rejections")
    op.drop_table("ingest_rejections")
    op.drop_index("ix_lorawan_uplinks_sensor_time", table_name="lorawan_uplinks")
    op.drop_table("lorawan_uplinks")
    op.drop_table("lorawan_devices")
