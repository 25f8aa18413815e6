"""Forecast runs with model version and hourly values; the operator's events calendar.

Revision ID: 0005a
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005a"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create forecast_runs, forecast_values and events."""
    op.create_table(
        "forecast_runs",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(80), nullable=False),
        sa.Column("made_at", sa.BigInteger, nullable=False),
        sa.Column("model_version", sa.String(40), nullable=False),
        sa.Column("history_hours", sa.Integer, nullable=False),
        sa.Column("data_until", sa.BigInteger, nullable=True),
        sa.Column("data_hours", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_forecast_runs"),
    )
    op.create_index("ix_forecast_runs_subject_made", "forecast_runs", ["subject", "made_at"])
    op.create_table(
        "forecast_values",
        sa.Column("run_id", BigId, nullable=False),
        sa.Column("hour_start", sa.BigInteger, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("low", sa.Float, nullable=False),
        sa.Column("high", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "hour_start", name="pk_forecast_values"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["forecast_runs.id"], name="fk_forecast_values_run_id_forecast_runs"
        ),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("starts_at", sa.BigInteger, nullable=False),
        sa.Column("ends_at", sa.BigInteger, nullable=False),
        sa.Column("areas", sa.JSON, nullable=False),
        sa.Column("expected_effect", sa.Float, nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )


def downgrade() -> None:
    """Drop the forecast and event tables."""
    op.drop_table("events")
    op.drop_table("forecast_values")
    op.drop_index("ix_forecast_runs_subject_made", table_name="forecast_runs")
    op.drop_table("forecast_runs")
