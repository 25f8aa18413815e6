"""Merge the forecasting, guidance and operator-console branches into one line of history.

Revision ID: 0006
Revises: 0005a, 0005b, 0005c
Create Date: 2026-11-26
"""

from __future__ import annotations

revision = "0006"
down_revision = ("0005a", "0005b", "0005c")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: all branches are applied."""


def downgrade() -> None:
    """Nothing to change."""
