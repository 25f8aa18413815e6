"""Tables of participation: feedback items, their public answers and support counts for ideas.

Stored: the text, the topic, the hour of receipt (rounded down), a language and the channel.
Never stored: an address, a user agent, a cookie, an exact time of receipt, a name.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Integer, String, Table, Text

from freiweg.storage.tables import metadata

feedback_items = Table(
    "feedback_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(80), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("language", String(2), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("decline_reason", String(32), nullable=True),
    Column("received_hour", BigInteger, nullable=False),
    Column("published", Boolean, nullable=False, default=False),
    Column("has_link", Boolean, nullable=False, default=False),
)

# Public answers; an item may get several (answered, later planned, later done).
feedback_answers = Table(
    "feedback_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, ForeignKey("feedback_items.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("language", String(2), nullable=False),
    Column("status", String(16), nullable=False),
    Column("answered_at", BigInteger, nullable=False),
)

# How many times an idea was supported; only the number, nothing about who.
feedback_support = Table(
    "feedback_support",
    metadata,
    Column("item_id", Integer, ForeignKey("feedback_items.id"), primary_key=True),
    Column("supporters", Integer, nullable=False),
)
