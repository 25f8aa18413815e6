"""Merge the feedback and survey branches into one line of history.

Revision ID: 0008
Revises: 0007a, 0007b
Create Date: 2026-11-26
"""

from __future__ import annotations

revision = "0008"
down_revision = ("0007a", "0007b")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: both branches are applied."""


def downgrade() -> None:
    """Nothing to change."""
