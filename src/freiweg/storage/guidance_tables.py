"""Tables of guidance: curated places, the walking graph and group reservations."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, String, Table

from freiweg.storage.tables import metadata

places = Table(
    "places",
    metadata,
    Column("id", String(63), primary_key=True),
    Column("name_de", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("category", String(32), nullable=False),
    Column("area_id", String(63), ForeignKey("areas.id"), nullable=False, index=True),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("opening_hours", String(500), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("visit_minutes", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

walking_junctions = Table(
    "walking_junctions",
    metadata,
    Column("id", String(63), primary_key=True),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
)

walking_footways = Table(
    "walking_footways",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(63), ForeignKey("walking_junctions.id"), nullable=False),
    Column("target", String(63), ForeignKey("walking_junctions.id"), nullable=False),
    Column("length_m", Float, nullable=False),
    Column("name", String(200), nullable=False),
    Column("area_id", String(63), nullable=True),
)

# A guide's booking: a group label and a size, never a person; cancel_hash is the SHA-256 of the
# code handed out once at booking time.
reservations = Table(
    "reservations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("place_id", String(63), ForeignKey("places.id"), nullable=False),
    Column("group_label", String(80), nullable=False),
    Column("group_size", Integer, nullable=False),
    Column("starts_at", BigInteger, nullable=False),
    Column("ends_at", BigInteger, nullable=False),
    Column("cancel_hash", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("cancelled_at", BigInteger, nullable=True),
)
Index("ix_reservations_place_start", reservations.c.place_id, reservations.c.starts_at)
