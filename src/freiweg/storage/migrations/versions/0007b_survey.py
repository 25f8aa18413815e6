"""The standing survey: operator-added items, anonymous answers by month, sensor-page checks.

Revision ID: 0007b
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007b"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create survey_items, survey_answers and survey_checks."""
    op.create_table(
        "survey_items",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text_de", sa.String(300), nullable=False),
        sa.Column("text_en", sa.String(300), nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("correct", sa.Integer, nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_survey_items"),
    )
    op.create_table(
        "survey_answers",
        sa.Column("response_id", sa.String(32), nullable=False),
        sa.Column("item_id", sa.String(40), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("response_id", "item_id", name="pk_survey_answers"),
    )
    op.create_index("ix_survey_answers_month", "survey_answers", ["month"])
    op.create_table(
        "survey_checks",
        sa.Column("check_id", sa.String(32), nullable=False),
        sa.Column("sensor_id", sa.String(63), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=True),
        sa.Column("helped", sa.Boolean, nullable=True),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("check_id", name="pk_survey_checks"),
    )
    op.create_index("ix_survey_checks_month", "survey_checks", ["month"])


def downgrade() -> None:
    """Drop the survey tables."""
    op.drop_index("ix_survey_checks_month", table_name="survey_checks")
    op.drop_table("survey_checks")
    op.drop_index("ix_survey_answers_month", table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_table("survey_items")
