"""Tables of the forecasts: runs with their model version, hourly values, and operator events."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Float, ForeignKey, Index, Integer, String, Table

from freiweg.storage.tables import BigId, metadata

forecast_runs = Table(
    "forecast_runs",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("subject", String(80), nullable=False),
    Column("made_at", BigInteger, nullable=False),
    Column("model_version", String(40), nullable=False),
    Column("history_hours", Integer, nullable=False),
    Column("data_until", BigInteger, nullable=True),
    Column("data_hours", Integer, nullable=False),
)
Index("ix_forecast_runs_subject_made", forecast_runs.c.subject, forecast_runs.c.made_at)

forecast_values = Table(
    "forecast_values",
    metadata,
    Column("run_id", BigId, ForeignKey("forecast_runs.id"), primary_key=True),
    Column("hour_start", BigInteger, primary_key=True),
    Column("value", Float, nullable=False),
    Column("low", Float, nullable=False),
    Column("high", Float, nullable=False),
    Column("reasons", JSON, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("starts_at", BigInteger, nullable=False),
    Column("ends_at", BigInteger, nullable=False),
    Column("areas", JSON, nullable=False),
    Column("expected_effect", Float, nullable=True),
    Column("created_at", BigInteger, nullable=False),
)
