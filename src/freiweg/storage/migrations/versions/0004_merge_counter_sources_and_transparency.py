"""Merge the counter-source and transparency-center branches into one line of history.

Revision ID: 0004
Revises: 0003a, 0003b
Create Date: 2026-11-26
"""

from __future__ import annotations

revision = "0004"
down_revision = ("0003a", "0003b")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: both branches are applied."""


def downgrade() -> None:
    """Nothing to change."""
