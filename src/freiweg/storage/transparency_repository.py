"""The SQL of the transparency center: log rows by position, checkpoints, cosignatures, disclosures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, delete, func, select

from freiweg.storage.disclosure_draft_tables import disclosure_drafts
from freiweg.storage.repositories import dialect_insert
from freiweg.storage.tables import sensor_latest, sensor_reports, sensors, transparency_log
from freiweg.storage.transparency_tables import (
    access_log,
    access_purposes,
    disclosures,
    edge_releases,
    log_checkpoints,
    log_cosignatures,
    log_witnesses,
)

LEAF_BATCH = 50_000


class TransparencyRepository:
    """Reads and writes of the transparency tables inside one unit of work or snapshot."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # The log itself: a leaf's index is its position in sequence order.

    def log_size(self) -> int:
        """How many entries the log holds."""
        return int(self._c.execute(select(func.count()).select_from(transparency_log)).scalar_one())

    def leaf_hashes_after(self, seq: int) -> Iterator[tuple[int, str]]:
        """(seq, hex leaf hash) of the entries after seq, in order, read in batches."""
        last = seq
        while True:
            rows = self._c.execute(
                select(transparency_log.c.seq, transparency_log.c.leaf_hash)
                .where(transparency_log.c.seq > last)
                .order_by(transparency_log.c.seq)
                .limit(LEAF_BATCH)
            ).all()
            yield from ((int(r.seq), str(r.leaf_hash)) for r in rows)
            if len(rows) < LEAF_BATCH:
                return
            last = int(rows[-1].seq)

    def entries(self, start: int, end: int) -> list[Any]:
        """The rows at positions start..end-1."""
        return list(
            self._c.execute(
                select(transparency_log).order_by(transparency_log.c.seq).offset(start).limit(end - start)
            )
        )

    def recent_entries(self, limit: int) -> list[tuple[int, Any]]:
        """The newest entries with their positions, newest first."""
        size = self.log_size()
        start = max(0, size - limit)
        rows = self.entries(start, size)
        return [(start + i, row) for i, row in enumerate(rows)][::-1]

    def entries_about(self, subject: str) -> list[tuple[int, Any]]:
        """The entries about subject with their positions, oldest first."""
        numbered = select(
            transparency_log,
            (func.row_number().over(order_by=transparency_log.c.seq) - 1).label("position"),
        ).subquery()
        rows = self._c.execute(select(numbered).where(numbered.c.subject == subject).order_by(numbered.c.seq))
        return [(int(r.position), r) for r in rows]

    # Checkpoints and cosignatures.

    def latest_checkpoint(self) -> Any | None:
        """The signed checkpoint of the largest size, or None."""
        return self._c.execute(
            select(log_checkpoints).order_by(log_checkpoints.c.size.desc()).limit(1)
        ).first()

    def add_checkpoint(self, size: int, root_hex: str, note: str, *, now: int) -> None:
        """Keep a signed checkpoint; a second process signing the same size is ignored."""
        insert = dialect_insert(self._c, log_checkpoints)
        self._c.execute(
            insert.values(size=size, root=root_hex, note=note, signed_at=now).on_conflict_do_nothing(
                index_elements=["size"]
            )
        )

    def checkpoint(self, size: int) -> Any | None:
        """The signed checkpoint of this size, or None."""
        return self._c.execute(select(log_checkpoints).where(log_checkpoints.c.size == size)).first()

    def witnesses(self) -> list[Any]:
        """Every registered witness."""
        return list(self._c.execute(select(log_witnesses).order_by(log_witnesses.c.name)))

    def add_witness(self, name: str, verifier_key: str, *, now: int) -> None:
        """Register a witness key."""
        self._c.execute(log_witnesses.insert().values(name=name, verifier_key=verifier_key, added_at=now))

    def cosignatures(self, size: int) -> list[Any]:
        """The cosignatures of the checkpoint of this size."""
        return list(
            self._c.execute(
                select(log_cosignatures)
                .where(log_cosignatures.c.size == size)
                .order_by(log_cosignatures.c.witness)
            )
        )

    def add_cosignature(self, size: int, witness: str, line: str, cosigned_at: int, *, now: int) -> None:
        """Keep a witness's cosignature of a checkpoint (the newest per witness and size wins)."""
        insert = dialect_insert(self._c, log_cosignatures)
        values = {"line": line, "cosigned_at": cosigned_at, "received_at": now}
        self._c.execute(
            insert.values(size=size, witness=witness, **values).on_conflict_do_update(
                index_elements=["size", "witness"], set_=values
            )
        )

    # Disclosures.

    def latest_disclosure(self, sensor_id: str) -> Any | None:
        """The newest disclosure of a sensor, or None."""
        return self._c.execute(
            select(disclosures)
            .where(disclosures.c.sensor_id == sensor_id)
            .order_by(disclosures.c.version.desc())
            .limit(1)
        ).first()

    def disclosure_versions(self, sensor_id: str) -> list[Any]:
        """Every disclosure version of a sensor, newest first."""
        return list(
            self._c.execute(
                select(disclosures)
                .where(disclosures.c.sensor_id == sensor_id)
                .order_by(disclosures.c.version.desc())
            )
        )

    def disclosure_draft(self, sensor_id: str) -> Any | None:
        """The saved, unpublished draft of a sensor's disclosure, or None."""
        return self._c.execute(
            select(disclosure_drafts).where(disclosure_drafts.c.sensor_id == sensor_id)
        ).first()

    def save_disclosure_draft(
        self, sensor_id: str, document: str, *, based_on: int | None, now: int, by: str
    ) -> None:
        """Store or replace the sensor's draft."""
        values = {"document": document, "based_on": based_on, "saved_at": now, "saved_by": by}
        statement = dialect_insert(self._c, disclosure_drafts).values(sensor_id=sensor_id, **values)
        self._c.execute(statement.on_conflict_do_update(index_elements=["sensor_id"], set_=values))

    def delete_disclosure_draft(self, sensor_id: str) -> bool:
        """Delete the sensor's draft; True when there was one."""
        result = self._c.execute(delete(disclosure_drafts).where(disclosure_drafts.c.sensor_id == sensor_id))
        return result.rowcount == 1

    def add_disclosure(
        self, sensor_id: str, version: int, document: str, sha256: str, *, now: int, log_seq: int
    ) -> None:
        """Store a published disclosure version."""
        self._c.execute(
            disclosures.insert().values(
                sensor_id=sensor_id,
                version=version,
                document=document,
                sha256=sha256,
                published_at=now,
                log_seq=log_seq,
            )
        )

    # Edge releases and what sensors report.

    def releases(self) -> list[Any]:
        """Every logged edge release, newest first."""
        return list(self._c.execute(select(edge_releases).order_by(edge_releases.c.released_at.desc())))

    def release_by_hash(self, code_sha256: str) -> Any | None:
        """The release with this code hash, or None."""
        return self._c.execute(
            select(edge_releases).where(edge_releases.c.code_sha256 == code_sha256)
        ).first()

    def add_release(self, version: str, code_sha256: str, notes: str, *, now: int, log_seq: int) -> None:
        """Store an edge release."""
        self._c.execute(
            edge_releases.insert().values(
                version=version, code_sha256=code_sha256, notes=notes, released_at=now, log_seq=log_seq
            )
        )

    def reported_hashes(self) -> list[tuple[str, str, int]]:
        """(sensor id, reported code hash, reported at) of every sensor whose agent reported."""
        rows = self._c.execute(
            select(sensors.c.id, sensor_reports.c.code_sha256, sensor_reports.c.reported_at)
            .join(sensors, sensors.c.pk == sensor_reports.c.sensor_pk)
            .order_by(sensors.c.id)
        )
        return [(r.id, r.code_sha256, int(r.reported_at)) for r in rows]

    def latest_count(self, sensor_id: str) -> tuple[int, int] | None:
        """(window end, value) of the sensor's newest presence count, or None."""
        row = self._c.execute(
            select(sensor_latest.c.window_end, sensor_latest.c.value)
            .join(sensors, sensors.c.pk == sensor_latest.c.sensor_pk)
            .where(sensors.c.id == sensor_id)
        ).first()
        return (int(row.window_end), int(row.value)) if row else None

    # Purposes and staff access.

    def purposes(self) -> list[Any]:
        """The register of purposes."""
        return list(self._c.execute(select(access_purposes).order_by(access_purposes.c.id)))

    def purpose(self, purpose_id: str) -> Any | None:
        """One registered purpose, or None."""
        return self._c.execute(select(access_purposes).where(access_purposes.c.id == purpose_id)).first()

    def add_purpose(
        self, purpose_id: str, name_de: str, name_en: str, scopes: list[str], *, now: int
    ) -> None:
        """Register a purpose."""
        self._c.execute(
            access_purposes.insert().values(
                id=purpose_id, name_de=name_de, name_en=name_en, scopes=scopes, added_at=now
            )
        )

    def add_access(self, role: str, purpose_id: str, scope: str, *, now: int, log_seq: int) -> None:
        """Record one access by staff."""
        self._c.execute(
            access_log.insert().values(at=now, role=role, purpose_id=purpose_id, scope=scope, log_seq=log_seq)
        )

    def recent_access(self, limit: int) -> list[Any]:
        """The newest accesses with their purpose names, newest first."""
        return list(
            self._c.execute(
                select(access_log, access_purposes.c.name_de, access_purposes.c.name_en)
                .join(access_purposes, access_purposes.c.id == access_log.c.purpose_id)
                .order_by(access_log.c.at.desc(), access_log.c.id.desc())
                .limit(limit)
            )
        )
