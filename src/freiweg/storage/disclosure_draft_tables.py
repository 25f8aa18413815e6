"""The table of disclosure drafts: a sensor's edited, not yet published disclosure."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Table, Text

from freiweg.storage.tables import metadata

# At most one draft per sensor; publishing it turns it into a logged version and deletes the row in
# the same transaction. `based_on` is the published version the draft started from (None: none yet).
disclosure_drafts = Table(
    "disclosure_drafts",
    metadata,
    Column("sensor_id", String(63), ForeignKey("sensors.id"), primary_key=True),
    Column("document", Text, nullable=False),
    Column("based_on", Integer, nullable=True),
    Column("saved_at", BigInteger, nullable=False),
    Column("saved_by", String(63), nullable=False),
)
