"""A covering index for the monthly survey tally, in place of the index on month alone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ix_survey_answers_tally (month, response_id, item_id, value); drop ix_survey_answers_month."""
    op.create_index("ix_survey_answers_tally", "survey_answers", ["month", "response_id", "item_id", "value"])
    op.drop_index("ix_survey_answers_month", table_name="survey_answers")


def downgrade() -> None:
    """Bring back the index on month alone and drop the covering one."""
    op.create_index("ix_survey_answers_month", "survey_answers", ["month"])
    op.drop_index("ix_survey_answers_tally", table_name="survey_answers")
