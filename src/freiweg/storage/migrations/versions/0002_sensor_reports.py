"""Sensor reports: the newest self-description of each sensor's agent (version, hashes, clock).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "sensor_reports",
        sa.Column("sensor_pk", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.BigInteger(), nullable=False),
        sa.Column("agent_version", sa.String(length=64), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("config_sha256", sa.String(length=64), nullable=False),
        sa.Column("clock_synced", sa.Boolean(), nullable=False),
        sa.Column("queue_dropped", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_pk"], ["sensors.pk"], name=op.f("fk_sensor_reports_sensor_pk_sensors")
        ),
        sa.PrimaryKeyConstraint("sensor_pk", name=op.f("pk_sensor_reports")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("sensor_reports")
