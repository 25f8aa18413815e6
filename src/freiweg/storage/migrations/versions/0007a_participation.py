"""Participation: feedback items, public answers and support counts for ideas.

Revision ID: 0007a
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007a"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "feedback_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("topic", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decline_reason", sa.String(length=32), nullable=True),
        sa.Column("received_hour", sa.BigInteger(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("has_link", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_items")),
    )
    op.create_index(op.f("ix_feedback_items_topic"), "feedback_items", ["topic"])
    op.create_table(
        "feedback_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answered_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["feedback_items.id"], name=op.f("fk_feedback_answers_item_id_feedback_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_answers")),
    )
    op.create_index(op.f("ix_feedback_answers_item_id"), "feedback_answers", ["item_id"])
    op.create_table(
        "feedback_support",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("supporters", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["feedback_items.id"], name=op.f("fk_feedback_support_item_id_feedback_items")
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_feedback_support")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("feedback_support")
    op.drop_index(op.f("ix_feedback_answers_item_id"), table_name="feedback_answers")
    op.drop_table("feedback_answers")
    op.drop_index(op.f("ix_feedback_items_topic"), table_name="feedback_items")
    op.drop_table("feedback_items")
