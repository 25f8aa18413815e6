"""The public log: signed checkpoints, entries, inclusion and consistency proofs, witnesses' cosignatures."""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from freiweg.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from freiweg.services.clock import Clock, epoch
from freiweg.services.log_keys import NoteSigner, ed25519_verify
from freiweg.services.logbook import record_change
from freiweg.storage.transparency_repository import TransparencyRepository
from freiweg.storage.unit_of_work import Database
from freiweg.transparency.checkpoints import (
    COSIGNATURE_V1,
    Checkpoint,
    NoteError,
    SignedNote,
    check_name,
    parse_checkpoint,
    parse_note,
    parse_verifier_key,
    sign_note,
    verify_cosignature,
)
from freiweg.transparency.merkle import MerkleTree, ProofError

MAX_ENTRIES_PER_PAGE = 1000
logger = logging.getLogger("freiweg.transparency")


class LogIntegrityError(RuntimeError):
    """The stored log no longer matches a checkpoint the log signed: rows were changed or removed."""


@dataclass(frozen=True)
class LogStatus:
    """What the log page shows about the log's own health."""

    size: int
    signed_size: int
    intact: bool
    problem: str | None


class LogService:
    """Reads the append-only log, signs its tree heads and proves entries; each process keeps a tree cache."""

    def __init__(self, *, database: Database, clock: Clock, signer: Callable[[], NoteSigner]) -> None:
        self._database = database
        self._clock = clock
        self._load_signer = signer
        self._signer: NoteSigner | None = None
        self._tree = MerkleTree()
        self._last_seq = 0
        self._lock = threading.Lock()

    @property
    def signer(self) -> NoteSigner:
        """The checkpoint signer, loaded on first use."""
        if self._signer is None:
            self._signer = self._load_signer()
        return self._signer

    @property
    def origin(self) -> str:
        """The log's name, the first line of every checkpoint."""
        return self.signer.name

    def key_text(self) -> str:
        """The verifier key anyone can check checkpoints with."""
        return self.signer.verifier_key.text()

    def _sync(self, repository: TransparencyRepository) -> MerkleTree:
        # Add entries committed since the last look; the tree only ever grows, like the log.
        with self._lock:
            for seq, hex_hash in repository.leaf_hashes_after(self._last_seq):
                self._tree.append(bytes.fromhex(hex_hash))
                self._last_seq = seq
        return self._tree

    def tree(self) -> MerkleTree:
        """The tree over every entry committed so far."""
        with self._database.reading() as uow:
            return self._sync(TransparencyRepository(uow.connection))

    def _tree_of(self, size: int) -> MerkleTree:
        # Proofs for a size this process has already read need no database round trip: the log
        # only grows, and a tree of that size never changes.
        return self._tree if 0 < size <= self._tree.size else self.tree()

    def checkpoint(self) -> str:
        """The newest signed checkpoint with its cosignatures; signs a new one when the log grew."""
        with self._database.reading() as uow:
            repository = TransparencyRepository(uow.connection)
            tree = self._sync(repository)
            latest = repository.latest_checkpoint()
        # The tree holds every row this process has read; a fresh process reads them all, so rows
        # removed or changed under a signed checkpoint show up as a disagreement below.
        size = tree.size
        if latest is not None:
            problem = self._disagreement(tree, size, latest)
            if problem is not None:
                # Never sign over a changed history; keep serving the last honest head and say so.
                logger.error("transparency log integrity: %s", problem)
                return self._with_cosignatures(latest.note, int(latest.size))
            if int(latest.size) >= size:
                return self._with_cosignatures(latest.note, int(latest.size))
        note = self._sign(Checkpoint(self.origin, size, tree.root(size)))
        with self._database.unit_of_work() as uow:
            repository = TransparencyRepository(uow.connection)
            repository.add_checkpoint(size, tree.root(size).hex(), note, now=epoch(self._clock()))
            uow.commit()
        return note

    def status(self) -> LogStatus:
        """How big the log is, how much of it is signed, and whether the stored rows still match."""
        # Recomputed from the stored rows, not from this process's cache.
        with self._database.reading() as uow:
            repository = TransparencyRepository(uow.connection)
            size = repository.log_size()
            latest = repository.latest_checkpoint()
            leaves = [bytes.fromhex(h) for _, h in repository.leaf_hashes_after(0)]
        signed = int(latest.size) if latest is not None else 0
        problem = self._disagreement(MerkleTree(leaves), size, latest) if latest is not None else None
        return LogStatus(size, signed, problem is None, problem)

    @staticmethod
    def _disagreement(tree: MerkleTree, size: int, latest: Any) -> str | None:
        signed = int(latest.size)
        if size < signed or tree.size < signed:
            return f"the log has {min(size, tree.size)} entries but a checkpoint of {signed} was signed"
        if tree.root(signed).hex() != latest.root:
            return f"the first {signed} entries no longer hash to the signed root"
        return None

    def _sign(self, checkpoint: Checkpoint) -> str:
        body = checkpoint.body()
        signer = self.signer
        signature = sign_note(body, signer.name, signer.public_key, signer.sign)
        return SignedNote(body, (signature,)).render()

    def _with_cosignatures(self, note: str, size: int) -> str:
        with self._database.reading() as uow:
            lines = [row.line for row in TransparencyRepository(uow.connection).cosignatures(size)]
        return note + "".join(lines)

    def entries(self, start: int, end: int | None) -> list[dict[str, Any]]:
        """Entries start..end-1 (at most 1000) with their canonical text and leaf hash."""
        if start < 0:
            raise InvalidInput([FieldProblem(None, "start", "must be 0 or more")])
        end = start + MAX_ENTRIES_PER_PAGE if end is None else end
        if end <= start:
            raise InvalidInput([FieldProblem(None, "end", "must be greater than start")])
        end = min(end, start + MAX_ENTRIES_PER_PAGE)
        with self._database.reading() as uow:
            rows = TransparencyRepository(uow.connection).entries(start, end)
        return [
            {
                "index": start + i,
                "kind": row.kind,
                "subject": row.subject,
                "appended_at": int(row.appended_at),
                "entry": row.body,
                "leaf_hash": base64.b64encode(bytes.fromhex(row.leaf_hash)).decode(),
            }
            for i, row in enumerate(rows)
        ]

    def inclusion_proof(self, index: int, size: int) -> list[str]:
        """The audit path of entry index in the tree of size entries, base64, lowest first."""
        tree = self._tree_of(size)
        if not 0 < size <= tree.size:
            raise InvalidInput([FieldProblem(None, "size", f"must be between 1 and {tree.size}")])
        if not 0 <= index < size:
            raise InvalidInput([FieldProblem(None, "index", f"must be between 0 and {size - 1}")])
        return [base64.b64encode(h).decode() for h in tree.inclusion_proof(index, size)]

    def consistency_proof(self, old_size: int, new_size: int) -> list[str]:
        """The proof that the tree of old_size entries is a prefix of the one of new_size, base64."""
        tree = self._tree_of(new_size)
        if not 0 <= new_size <= tree.size:
            raise InvalidInput([FieldProblem(None, "to", f"must be between 0 and {tree.size}")])
        if not 0 <= old_size <= new_size:
            raise InvalidInput([FieldProblem(None, "from", f"must be between 0 and {new_size}")])
        try:
            return [base64.b64encode(h).decode() for h in tree.consistency_proof(old_size, new_size)]
        except ProofError as error:
            raise InvalidInput([FieldProblem(None, "from", str(error))]) from error

    def add_witness(self, name: str, verifier_key: str) -> None:
        """Register an independent witness by its cosignature key (type 0x04); logged."""
        try:
            key = parse_verifier_key(verifier_key)
            check_name(name)
        except NoteError as error:
            raise InvalidInput([FieldProblem(None, "key", str(error))]) from error
        if key.key_type != COSIGNATURE_V1 or key.name != name:
            raise InvalidInput(
                [FieldProblem(None, "key", f"must be a cosignature key (type 0x04) named {name!r}")]
            )
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = TransparencyRepository(uow.connection)
            if any(w.name == name for w in repository.witnesses()):
                raise Conflict(f"witness {name!r} is already registered")
            repository.add_witness(name, key.text(), now=now)
            record_change(
                uow, kind="witness.added", subject=f"witness:{name}", body={"key": key.text()}, now=now
            )
            uow.commit()

    def witnesses(self) -> list[dict[str, Any]]:
        """Registered witnesses and their keys."""
        with self._database.reading() as uow:
            rows = TransparencyRepository(uow.connection).witnesses()
        return [{"name": r.name, "key": r.verifier_key, "added_at": int(r.added_at)} for r in rows]

    def add_cosignatures(self, note_text: str) -> list[str]:
        """Keep the valid cosignatures by registered witnesses on a checkpoint this log signed."""
        try:
            note = parse_note(note_text)
            checkpoint = parse_checkpoint(note.text)
        except NoteError as error:
            raise InvalidInput([FieldProblem(None, "body", str(error))]) from error
        now = epoch(self._clock())
        accepted = []
        with self._database.unit_of_work() as uow:
            repository = TransparencyRepository(uow.connection)
            stored = repository.checkpoint(checkpoint.size)
            if stored is None or parse_note(stored.note).text != note.text:
                raise NotFound(f"this log never signed that checkpoint of size {checkpoint.size}")
            for witness in repository.witnesses():
                key = parse_verifier_key(witness.verifier_key)
                for signature in note.signatures:
                    if signature.name != key.name or signature.key_id != key.key_id:
                        continue
                    try:
                        cosigned_at = verify_cosignature(note.text, signature, key, ed25519_verify)
                    except NoteError:
                        continue
                    repository.add_cosignature(
                        checkpoint.size, key.name, signature.line(), cosigned_at, now=now
                    )
                    accepted.append(key.name)
            if not accepted:
                raise InvalidInput(
                    [FieldProblem(None, "body", "no valid cosignature by a registered witness")],
                    title="No cosignature was accepted.",
                )
            uow.commit()
        return accepted
