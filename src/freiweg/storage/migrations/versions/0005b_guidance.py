"""Guidance: places, the walking graph and group reservations.

Revision ID: 0005b
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005b"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "places",
        sa.Column("id", sa.String(length=63), nullable=False),
        sa.Column("name_de", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("area_id", sa.String(length=63), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("opening_hours", sa.String(length=500), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("visit_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_places_area_id_areas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    op.create_index(op.f("ix_places_area_id"), "places", ["area_id"])
    op.create_table(
        "walking_junctions",
        sa.Column("id", sa.String(length=63), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walking_junctions")),
    )
    op.create_table(
        "walking_footways",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=63), nullable=False),
        sa.Column("target", sa.String(length=63), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("area_id", sa.String(length=63), nullable=True),
        sa.ForeignKeyConstraint(
            ["source"], ["walking_junctions.id"], name=op.f("fk_walking_footways_source_walking_junctions")
        ),
        sa.ForeignKeyConstraint(
            ["target"], ["walking_junctions.id"], name=op.f("fk_walking_footways_target_walking_junctions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walking_footways")),
    )
    op.create_table(
        "reservations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("place_id", sa.String(length=63), nullable=False),
        sa.Column("group_label", sa.String(length=80), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.BigInteger(), nullable=False),
        sa.Column("ends_at", sa.BigInteger(), nullable=False),
        sa.Column("cancel_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("cancelled_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["place_id"], ["places.id"], name=op.f("fk_reservations_place_id_places")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservations")),
    )
    op.create_index("ix_reservations_place_start", "reservations", ["place_id", "starts_at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_reservations_place_start", table_name="reservations")
    op.drop_table("reservations")
    op.drop_table("walking_footways")
    op.drop_table("walking_junctions")
    op.drop_index(op.f("ix_places_area_id"), table_name="places")
    op.drop_table("places")
