"""Leases of the jobs the server runs (alert check, housekeeping, forecast refresh) and disclosure drafts.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create job_leases and disclosure_drafts."""
    op.create_table(
        "job_leases",
        sa.Column("job", sa.String(63), nullable=False),
        sa.Column("holder", sa.String(32), nullable=True),
        sa.Column("until", sa.BigInteger, nullable=False),
        sa.Column("due_at", sa.BigInteger, nullable=False),
        sa.Column("last_started_at", sa.BigInteger, nullable=True),
        sa.Column("last_finished_at", sa.BigInteger, nullable=True),
        sa.Column("last_ok", sa.Boolean, nullable=True),
        sa.Column("last_detail", sa.String(300), nullable=True),
        sa.Column("last_duration_ms", sa.Integer, nullable=True),
        sa.Column("runs", sa.BigInteger, nullable=False),
        sa.Column("failures", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("job", name="pk_job_leases"),
    )
    op.create_table(
        "disclosure_drafts",
        sa.Column("sensor_id", sa.String(63), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("based_on", sa.Integer, nullable=True),
        sa.Column("saved_at", sa.BigInteger, nullable=False),
        sa.Column("saved_by", sa.String(63), nullable=False),
        sa.ForeignKeyConstraint(["sensor_id"], ["sensors.id"], name="fk_disclosure_drafts_sensor_id_sensors"),
        sa.PrimaryKeyConstraint("sensor_id", name="pk_disclosure_drafts"),
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table("disclosure_drafts")
    op.drop_table("job_leases")
