"""Checking a freiweg log from outside: signature, consistency with what was seen before, every entry."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from freiweg.transparency.checkpoints import (
    Checkpoint,
    NoteError,
    SignatureCheck,
    VerifierKey,
    cosignatures,
    parse_checkpoint,
    parse_note,
    parse_verifier_key,
    verify_note,
)
from freiweg.transparency.merkle import (
    MerkleTree,
    ProofError,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

KEY_PATH = "/api/v1/log/key"
CHECKPOINT_PATH = "/api/v1/log/checkpoint"
ENTRIES_PAGE = 1000


class VerificationFailed(Exception):
    """The log failed a check; the message says which, in plain words."""


class LogSource(Protocol):
    """Where the log is read from: a server (over HTTP) or anything that answers the same paths."""

    def text(self, path: str) -> str:
        """The body of a text resource."""
        ...

    def json(self, path: str) -> Any:
        """The decoded body of a JSON resource."""
        ...


@dataclass
class VerifierMemory:
    """What a verifier keeps between runs: the log's key and the last checkpoint it accepted."""

    log_key: str | None = None
    checkpoint: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The memory as JSON-ready data."""
        return {"log_key": self.log_key, "checkpoint": self.checkpoint}


@dataclass
class VerificationReport:
    """The result of a successful verification and what to remember."""

    checkpoint: Checkpoint
    memory: VerifierMemory
    notes: list[str] = field(default_factory=list)
    witnessed_by: list[tuple[str, int]] = field(default_factory=list)


def decode_hash(text: str, what: str) -> bytes:
    """A base64 SHA-256 hash from a server answer, or VerificationFailed."""
    try:
        value = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError) as error:
        raise VerificationFailed(f"the server sent a {what} that is not base64") from error
    if len(value) != 32:
        raise VerificationFailed(f"the server sent a {what} that is not 32 bytes long")
    return value


def open_checkpoint(note_text: str, key: VerifierKey, verify: SignatureCheck) -> tuple[Checkpoint, str]:
    """The checkpoint of a signed note after checking its signature by key, and the note text."""
    try:
        note = parse_note(note_text)
        verify_note(note, key, verify)
        checkpoint = parse_checkpoint(note.text)
    except NoteError as error:
        raise VerificationFailed(f"the checkpoint is not validly signed by the log: {error}") from error
    if checkpoint.origin != key.name:
        raise VerificationFailed(
            f"the checkpoint names the log {checkpoint.origin!r}, but its key belongs to {key.name!r}"
        )
    return checkpoint, note.text


def check_consistency(source: LogSource, old: Checkpoint, new: Checkpoint) -> str:
    """Make sure new extends old; return what was checked in words."""
    if old.origin != new.origin:
        raise VerificationFailed(f"the log changed its name from {old.origin!r} to {new.origin!r}")
    if new.size < old.size:
        raise VerificationFailed(
            f"the log shrank from {old.size} to {new.size} entries since the last check: entries were removed"
        )
    if new.size == old.size:
        if new.root != old.root:
            raise VerificationFailed(
                f"the log shows a different history for the same {new.size} entries: "
                "it was forked or rewritten"
            )
        return f"unchanged since the last check ({new.size} entries)"
    if old.size == 0:
        return f"grew from 0 to {new.size} entries"
    answer = source.json(f"/api/v1/log/proof/consistency?from={old.size}&to={new.size}")
    proof = [decode_hash(h, "proof hash") for h in answer.get("consistency_path", [])]
    try:
        verify_consistency(old.size, new.size, old.root, new.root, proof)
    except ProofError as error:
        raise VerificationFailed(
            f"the log of {new.size} entries does not extend the one of {old.size} entries seen before: "
            f"it was forked or rewritten ({error})"
        ) from error
    return f"grew from {old.size} to {new.size} entries and still contains everything seen before"


def fetch_entries(source: LogSource, size: int, *, page: int = ENTRIES_PAGE) -> list[dict[str, Any]]:
    """All entries of a tree of size entries, in order, checking that none is missing."""
    entries: list[dict[str, Any]] = []
    while len(entries) < size:
        start = len(entries)
        end = min(size, start + page)
        answer = source.json(f"/api/v1/log/entries?start={start}&end={end}")
        batch = answer.get("entries", [])
        if not batch:
            raise VerificationFailed(
                f"the log serves only {start} entries, but its checkpoint says {size}: entries were removed"
            )
        for item in batch:
            if item.get("index") != len(entries):
                raise VerificationFailed(
                    f"the log served entry {item.get('index')} where {len(entries)} belongs"
                )
            entries.append(item)
    return entries[:size]


def audit_entries(checkpoint: Checkpoint, entries: Sequence[dict[str, Any]]) -> MerkleTree:
    """Recompute the tree from the entries themselves and compare it with the signed root."""
    tree = MerkleTree()
    changed: list[int] = []
    for item in entries:
        computed = leaf_hash(str(item["entry"]).encode())
        stated = item.get("leaf_hash")
        if stated is not None and stated != base64.b64encode(computed).decode():
            changed.append(int(item["index"]))
        tree.append(computed)
    if tree.root(checkpoint.size) != checkpoint.root:
        where = ""
        if len(changed) == 1:
            where = f" (entry {changed[0]} no longer matches its logged hash)"
        elif changed:
            where = f" (entries {', '.join(map(str, changed[:10]))} no longer match their logged hashes)"
        raise VerificationFailed(
            f"the {checkpoint.size} entries do not hash to the signed root: an entry was changed, "
            f"removed, added or reordered{where}"
        )
    return tree


def check_inclusion(source: LogSource, checkpoint: Checkpoint, index: int, entry: str) -> None:
    """Fetch and check the inclusion proof of entry index against the checkpoint."""
    if not 0 <= index < checkpoint.size:
        raise VerificationFailed(f"entry {index} is not in the log of {checkpoint.size} entries")
    answer = source.json(f"/api/v1/log/proof/inclusion?index={index}&size={checkpoint.size}")
    proof = [decode_hash(h, "proof hash") for h in answer.get("inclusion_path", [])]
    try:
        verify_inclusion(index, checkpoint.size, leaf_hash(entry.encode()), proof, checkpoint.root)
    except ProofError as error:
        raise VerificationFailed(f"entry {index} is not proven to be in the log: {error}") from error


def find_hash(entries: Sequence[dict[str, Any]], wanted: str) -> int | None:
    """The index of the first entry whose text or leaf hash contains the given hash, or None."""
    needle = wanted.strip().lower()
    for item in entries:
        leaf = base64.b64decode(item.get("leaf_hash", "") or "").hex()
        if needle in str(item["entry"]).lower() or needle == leaf:
            return int(item["index"])
    return None


def verify_log(
    source: LogSource,
    *,
    memory: VerifierMemory,
    verify: SignatureCheck,
    pinned_key: str | None = None,
    witness_keys: Sequence[str] = (),
    entries: Sequence[int] = (),
    hashes: Sequence[str] = (),
    audit: bool = True,
) -> VerificationReport:
    """Run every check on a log and return the report, or raise VerificationFailed."""
    served_key = source.text(KEY_PATH).strip()
    trusted = pinned_key or memory.log_key or served_key
    try:
        key = parse_verifier_key(trusted)
    except NoteError as error:
        raise VerificationFailed(f"the log key is not usable: {error}") from error
    if served_key != key.text():
        raise VerificationFailed(
            f"the log now publishes the key {served_key!r}, but the trusted key is {key.text()!r}"
        )
    notes = [f"log {key.name}, key {key.key_id.hex()}"]
    note_text = source.text(CHECKPOINT_PATH)
    checkpoint, text = open_checkpoint(note_text, key, verify)
    notes.append(f"checkpoint signed by the log: {checkpoint.size} entries")
    if memory.checkpoint:
        try:
            previous = parse_checkpoint(memory.checkpoint)
        except NoteError as error:
            raise VerificationFailed(f"the remembered checkpoint is damaged: {error}") from error
        notes.append(check_consistency(source, previous, checkpoint))
    else:
        notes.append("first check of this log: nothing remembered to compare with")
    fetched: list[dict[str, Any]] = []
    if audit or hashes:
        fetched = fetch_entries(source, checkpoint.size)
        audit_entries(checkpoint, fetched)
        notes.append(f"all {checkpoint.size} entries hash to the signed root")
    wanted = list(entries)
    for value in hashes:
        found = find_hash(fetched, value)
        if found is None:
            raise VerificationFailed(f"no entry in the log contains the hash {value}")
        wanted.append(found)
    for index in wanted:
        entry = fetched[index]["entry"] if index < len(fetched) else _entry(source, index)
        check_inclusion(source, checkpoint, index, str(entry))
        notes.append(f"entry {index} is included in the signed tree")
    witnessed: list[tuple[str, int]] = []
    if witness_keys:
        try:
            keys = [parse_verifier_key(k) for k in witness_keys]
        except NoteError as error:
            raise VerificationFailed(f"a witness key is not usable: {error}") from error
        witnessed = [(k.name, t) for k, t in cosignatures(parse_note(note_text), keys, verify)]
        missing = {k.name for k in keys} - {name for name, _ in witnessed}
        if missing:
            raise VerificationFailed(
                f"no valid cosignature by {', '.join(sorted(missing))} on the checkpoint"
            )
        notes.append(f"cosigned by {', '.join(name for name, _ in witnessed)}")
    return VerificationReport(checkpoint, VerifierMemory(key.text(), text), notes, witnessed)


def _entry(source: LogSource, index: int) -> str:
    answer = source.json(f"/api/v1/log/entries?start={index}&end={index + 1}")
    batch = answer.get("entries", [])
    if not batch or batch[0].get("index") != index:
        raise VerificationFailed(f"the log does not serve entry {index}")
    return str(batch[0]["entry"])
