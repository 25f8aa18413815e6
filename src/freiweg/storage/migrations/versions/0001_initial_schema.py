"""Initial schema: areas, sensors, counts, calibrations, read models and the transparency log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 06:51:29.837075
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "areas",
        sa.Column("id", sa.String(length=63), nullable=False),
        sa.Column("name_de", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=False),
        sa.Column("walkable_m2", sa.Float(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=True),
        sa.Column("quiet_zone", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_areas")),
    )
    revision_table = op.create_table(
        "read_model_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_read_model_revision")),
    )
    op.bulk_insert(revision_table, [{"id": 1, "value": 0}])
    op.create_table(
        "transparency_log",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("appended_at", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("leaf_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_transparency_log")),
    )
    with op.batch_alter_table("transparency_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transparency_log_subject"), ["subject"], unique=False)

    op.create_table(
        "sensors",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=63), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("area_id", sa.String(length=63), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_sensors_area_id_areas")),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_sensors")),
        sa.UniqueConstraint("id", name=op.f("uq_sensors_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sensors_token_hash")),
    )
    with op.batch_alter_table("sensors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sensors_area_id"), ["area_id"], unique=False)

    op.create_table(
        "calibrations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sensor_pk", sa.Integer(), nullable=False),
        sa.Column("factor", sa.Float(), nullable=False),
        sa.Column("low", sa.Float(), nullable=False),
        sa.Column("high", sa.Float(), nullable=False),
        sa.Column("valid_from", sa.BigInteger(), nullable=False),
        sa.Column("valid_until", sa.BigInteger(), nullable=True),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_pk"], ["sensors.pk"], name=op.f("fk_calibrations_sensor_pk_sensors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibrations")),
    )
    with op.batch_alter_table("calibrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calibrations_sensor_pk"), ["sensor_pk"], unique=False)

    op.create_table(
        "count_hourly",
        sa.Column("sensor_pk", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("hour_start", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("windows", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_pk"], ["sensors.pk"], name=op.f("fk_count_hourly_sensor_pk_sensors")
        ),
        sa.PrimaryKeyConstraint("sensor_pk", "kind", "direction", "hour_start", name=op.f("pk_count_hourly")),
    )
    with op.batch_alter_table("count_hourly", schema=None) as batch_op:
        batch_op.create_index("ix_count_hourly_hour", ["hour_start"], unique=False)

    op.create_table(
        "counts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("sensor_pk", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("window_end", sa.BigInteger(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("quality", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["sensor_pk"], ["sensors.pk"], name=op.f("fk_counts_sensor_pk_sensors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counts")),
        sa.UniqueConstraint(
            "sensor_pk", "kind", "window_start", "window_end", "direction", name="uq_counts_window"
        ),
    )
    op.create_table(
        "sensor_latest",
        sa.Column("sensor_pk", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("window_end", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_pk"], ["sensors.pk"], name=op.f("fk_sensor_latest_sensor_pk_sensors")
        ),
        sa.PrimaryKeyConstraint("sensor_pk", name=op.f("pk_sensor_latest")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("sensor_latest")
    op.drop_table("counts")
    with op.batch_alter_table("count_hourly", schema=None) as batch_op:
        batch_op.drop_index("ix_count_hourly_hour")

    op.drop_table("count_hourly")
    with op.batch_alter_table("calibrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibrations_sensor_pk"))

    op.drop_table("calibrations")
    with op.batch_alter_table("sensors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sensors_area_id"))

    op.drop_table("sensors")
    with op.batch_alter_table("transparency_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transparency_log_subject"))

    op.drop_table("transparency_log")
    op.drop_table("read_model_revision")
    op.drop_table("areas")
