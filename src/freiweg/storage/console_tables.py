"""Tables of the operator console: staff accounts, their sessions, alert rules and alerts."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, ForeignKey, Integer, String, Table, Text

from freiweg.storage.tables import metadata

# Staff accounts; passwords only as argon2 hashes, invitations and sessions only as SHA-256 hashes.
staff = Table(
    "staff",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(63), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=True),
    Column("invite_hash", String(64), nullable=True, unique=True),
    Column("invite_expires_at", BigInteger, nullable=True),
    Column("totp_secret", String(64), nullable=True),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", BigInteger, nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

# Console sessions live in the database so that any web process can serve any request.
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
)

# Alert rules per area (level at or above X for N minutes) and per sensor (silent for N intervals).
alert_rules = Table(
    "alert_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("subject", String(63), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("target", String(500), nullable=False),
    Column("condition_since", BigInteger, nullable=True),
    Column("created_at", BigInteger, nullable=False),
)

# Alert history: one open alert per rule at most; resolved automatically when the condition ends.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule_id", Integer, ForeignKey("alert_rules.id"), nullable=False, index=True),
    Column("opened_at", BigInteger, nullable=False),
    Column("resolved_at", BigInteger, nullable=True),
    Column("message", Text, nullable=False),
    Column("delivered", Boolean, nullable=False, default=False),
)
