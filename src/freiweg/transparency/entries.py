"""Log entries: canonical bytes of a change and their RFC 9162 leaf hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LogEntry:
    """One change that freiweg made public: what kind, about what, when, and the facts."""

    kind: str
    subject: str
    appended_at: int
    body: Mapping[str, Any]

    def canonical(self) -> bytes:
        """The entry as canonical JSON (sorted keys, no spaces, UTF-8): the bytes that are hashed."""
        document = {
            "appended_at": self.appended_at,
            "body": self.body,
            "kind": self.kind,
            "subject": self.subject,
        }
        return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def leaf_hash(self) -> bytes:
        """SHA-256(0x00 || entry), the RFC 9162 hash of a leaf."""
        return leaf_hash(self.canonical())


def leaf_hash(entry: bytes) -> bytes:
    """RFC 9162 section 2.1.1 leaf hash."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 section 2.1.1 interior node hash."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def tree_hash(leaf_hashes: list[bytes]) -> bytes:
    """The Merkle tree hash (MTH) over leaf hashes; the empty tree hashes to SHA-256('')."""
    if not leaf_hashes:
        return hashlib.sha256(b"").digest()
    level = list(leaf_hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]
