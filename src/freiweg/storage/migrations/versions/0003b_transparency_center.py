"""Transparency center: checkpoints, witnesses, cosignatures, disclosures, edge releases, access log.

Revision ID: 0003b
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003b"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "log_checkpoints",
        sa.Column("size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("size", name=op.f("pk_log_checkpoints")),
    )
    op.create_table(
        "log_witnesses",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("verifier_key", sa.Text(), nullable=False),
        sa.Column("added_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_log_witnesses")),
    )
    op.create_table(
        "log_cosignatures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("witness", sa.String(length=200), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("cosigned_at", sa.BigInteger(), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["size"], ["log_checkpoints.size"], name=op.f("fk_log_cosignatures_size_log_checkpoints")
        ),
        sa.ForeignKeyConstraint(
            ["witness"], ["log_witnesses.name"], name=op.f("fk_log_cosignatures_witness_log_witnesses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_cosignatures")),
        sa.UniqueConstraint("size", "witness", name="uq_log_cosignatures_size_witness"),
    )
    op.create_index(op.f("ix_log_cosignatures_size"), "log_cosignatures", ["size"])
    op.create_table(
        "disclosures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sensor_id", sa.String(length=63), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.BigInteger(), nullable=False),
        sa.Column("log_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["sensor_id"], ["sensors.id"], name=op.f("fk_disclosures_sensor_id_sensors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosures")),
        sa.UniqueConstraint("sensor_id", "version", name="uq_disclosures_sensor_version"),
    )
    op.create_index(op.f("ix_disclosures_sensor_id"), "disclosures", ["sensor_id"])
    op.create_table(
        "edge_releases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("released_at", sa.BigInteger(), nullable=False),
        sa.Column("log_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edge_releases")),
        sa.UniqueConstraint("code_sha256", name=op.f("uq_edge_releases_code_sha256")),
    )
    op.create_table(
        "access_purposes",
        sa.Column("id", sa.String(length=63), nullable=False),
        sa.Column("name_de", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("added_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_purposes")),
    )
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=63), nullable=False),
        sa.Column("purpose_id", sa.String(length=63), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("log_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["purpose_id"], ["access_purposes.id"], name=op.f("fk_access_log_purpose_id_access_purposes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_index(op.f("ix_access_log_at"), "access_log", ["at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_access_log_at"), table_name="access_log")
    op.drop_table("access_log")
    op.drop_table("access_purposes")
    op.drop_table("edge_releases")
    op.drop_index(op.f("ix_disclosures_sensor_id"), table_name="disclosures")
    op.drop_table("disclosures")
    op.drop_index(op.f("ix_log_cosignatures_size"), table_name="log_cosignatures")
    op.drop_table("log_cosignatures")
    op.drop_table("log_witnesses")
    op.drop_table("log_checkpoints")
