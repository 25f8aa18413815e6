"""Tables of the transparency center: checkpoints, cosignatures, disclosures, releases, access log."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from freiweg.storage.tables import metadata

# Every tree head the log signed; a log never signs two heads that disagree.
log_checkpoints = Table(
    "log_checkpoints",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("root", String(64), nullable=False),
    Column("note", Text, nullable=False),
    Column("signed_at", BigInteger, nullable=False),
)

# Independent parties that vouch for checkpoints (C2SP cosignature/v1 keys).
log_witnesses = Table(
    "log_witnesses",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("verifier_key", Text, nullable=False),
    Column("added_at", BigInteger, nullable=False),
)

log_cosignatures = Table(
    "log_cosignatures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("size", BigInteger, ForeignKey("log_checkpoints.size"), nullable=False, index=True),
    Column("witness", String(200), ForeignKey("log_witnesses.name"), nullable=False),
    Column("line", Text, nullable=False),
    Column("cosigned_at", BigInteger, nullable=False),
    Column("received_at", BigInteger, nullable=False),
    UniqueConstraint("size", "witness", name="uq_log_cosignatures_size_witness"),
)

# Versioned, bilingual per-sensor disclosures; document is the canonical JSON that was logged.
disclosures = Table(
    "disclosures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sensor_id", String(63), ForeignKey("sensors.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("document", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("published_at", BigInteger, nullable=False),
    Column("log_seq", BigInteger, nullable=False),
    UniqueConstraint("sensor_id", "version", name="uq_disclosures_sensor_version"),
)

# Edge software releases by code hash; sensors report the hash they run.
edge_releases = Table(
    "edge_releases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", String(64), nullable=False),
    Column("code_sha256", String(64), nullable=False, unique=True),
    Column("notes", Text, nullable=False),
    Column("released_at", BigInteger, nullable=False),
    Column("log_seq", BigInteger, nullable=False),
)

# The register of purposes staff may declare to reach non-public data.
access_purposes = Table(
    "access_purposes",
    metadata,
    Column("id", String(63), primary_key=True),
    Column("name_de", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("added_at", BigInteger, nullable=False),
)

# Each access by staff to non-public data: role, declared purpose, scope, time.
access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", BigInteger, nullable=False, index=True),
    Column("role", String(63), nullable=False),
    Column("purpose_id", String(63), ForeignKey("access_purposes.id"), nullable=False),
    Column("scope", String(200), nullable=False),
    Column("log_seq", BigInteger, nullable=False),
)
