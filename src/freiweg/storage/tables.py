"""The database schema as SQLAlchemy Core tables; times are whole epoch seconds in UTC."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only treats INTEGER PRIMARY KEY as an auto-incrementing rowid.
BigId = BigInteger().with_variant(Integer(), "sqlite")

areas = Table(
    "areas",
    metadata,
    Column("id", String(63), primary_key=True),
    Column("name_de", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("geometry", JSON, nullable=False),
    Column("walkable_m2", Float, nullable=False),
    Column("category", String(32), nullable=False),
    Column("thresholds", JSON, nullable=True),
    Column("quiet_zone", Boolean, nullable=False, default=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

sensors = Table(
    "sensors",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(63), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("area_id", String(63), ForeignKey("areas.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("lon", Float, nullable=True),
    Column("lat", Float, nullable=True),
    Column("interval_seconds", Integer, nullable=False),
    Column("token_hash", String(64), nullable=True, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

counts = Table(
    "counts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("sensor_pk", Integer, ForeignKey("sensors.pk"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("window_start", BigInteger, nullable=False),
    Column("window_end", BigInteger, nullable=False),
    Column("direction", String(3), nullable=False, default=""),
    Column("value", Integer, nullable=False),
    Column("quality", Integer, nullable=False, default=0),
    Column("received_at", BigInteger, nullable=False),
    UniqueConstraint("sensor_pk", "kind", "window_start", "window_end", "direction", name="uq_counts_window"),
)

sensor_latest = Table(
    "sensor_latest",
    metadata,
    Column("sensor_pk", Integer, ForeignKey("sensors.pk"), primary_key=True),
    Column("window_start", BigInteger, nullable=False),
    Column("window_end", BigInteger, nullable=False),
    Column("value", Integer, nullable=False),
)

count_hourly = Table(
    "count_hourly",
    metadata,
    Column("sensor_pk", Integer, ForeignKey("sensors.pk"), primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("direction", String(3), primary_key=True),
    Column("hour_start", BigInteger, primary_key=True),
    Column("total", BigInteger, nullable=False),
    Column("windows", Integer, nullable=False),
)
Index("ix_count_hourly_hour", count_hourly.c.hour_start)

calibrations = Table(
    "calibrations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sensor_pk", Integer, ForeignKey("sensors.pk"), nullable=False, index=True),
    Column("factor", Float, nullable=False),
    Column("low", Float, nullable=False),
    Column("high", Float, nullable=False),
    Column("valid_from", BigInteger, nullable=False),
    Column("valid_until", BigInteger, nullable=True),
    Column("method", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

read_model_revision = Table(
    "read_model_revision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

transparency_log = Table(
    "transparency_log",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("appended_at", BigInteger, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("subject", String(200), nullable=False, index=True),
    Column("body", Text, nullable=False),
    Column("leaf_hash", String(64), nullable=False),
)

sensor_reports = Table(
    "sensor_reports",
    metadata,
    Column("sensor_pk", Integer, ForeignKey("sensors.pk"), primary_key=True),
    Column("reported_at", BigInteger, nullable=False),
    Column("agent_version", String(64), nullable=False),
    Column("code_sha256", String(64), nullable=False),
    Column("config_sha256", String(64), nullable=False),
    Column("clock_synced", Boolean, nullable=False),
    Column("queue_dropped", BigInteger, nullable=False),
)

# Tables of other topics live in their own modules on the same metadata; importing them here lets
# Alembic and the tests see the whole schema.
import freiweg.storage.console_tables  # noqa: E402
import freiweg.storage.disclosure_draft_tables  # noqa: E402
import freiweg.storage.forecast_tables  # noqa: E402
import freiweg.storage.guidance_tables  # noqa: E402
import freiweg.storage.job_tables  # noqa: E402
import freiweg.storage.lorawan_tables  # noqa: E402
import freiweg.storage.participation_tables  # noqa: E402, F401
from freiweg.storage import survey_tables, transparency_tables  # noqa: E402, F401
