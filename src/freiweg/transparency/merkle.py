"""An append-only Merkle tree with RFC 9162 hashing, inclusion and consistency proofs and their checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof does not prove what it claims, or asks for sizes the tree cannot have."""


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry): the hash of a leaf (RFC 9162 section 2.1.1)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two strictly smaller than size (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


class MerkleTree:
    """Leaf hashes and every complete subtree above them, so proofs cost O(log n) lookups.

    Level k holds the hashes of the complete subtrees of 2**k leaves, left to right, packed in
    one bytearray (32 bytes each); a million leaves take about 64 MB.
    """

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0
        for leaf in leaves:
            self.append(leaf)

    @property
    def size(self) -> int:
        """How many leaves the tree has."""
        return self._size

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash at the right edge."""
        if len(leaf) != HASH_SIZE:
            raise ValueError("a leaf hash has 32 bytes")
        self._levels[0] += leaf
        self._size += 1
        level, index, current = 0, self._size - 1, leaf
        while index & 1:
            left = self._node(level, index - 1)
            current = node_hash(left, current)
            level += 1
            index >>= 1
            if len(self._levels) == level:
                self._levels.append(bytearray())
            self._levels[level] += current

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Add leaf hashes in order."""
        for leaf in leaves:
            self.append(leaf)

    def leaf(self, index: int) -> bytes:
        """The hash of leaf index."""
        if not 0 <= index < self._size:
            raise IndexError(index)
        return self._node(0, index)

    def _node(self, level: int, index: int) -> bytes:
        start = index * HASH_SIZE
        return bytes(self._levels[level][start : start + HASH_SIZE])

    def _range_hash(self, start: int, end: int) -> bytes:
        # MTH(D[start:end]) for a range that appears in the RFC 9162 recursion: its start is aligned.
        width = end - start
        level = width.bit_length() - 1
        if width == 1 << level and start % width == 0:
            return self._node(level, start >> level)
        k = split_point(width)
        return node_hash(self._range_hash(start, start + k), self._range_hash(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        """The tree hash of the first size leaves (all by default)."""
        size = self._size if size is None else size
        self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._range_hash(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """The audit path of leaf index in the tree of the first size leaves, lowest node first."""
        self._check_size(size)
        if not 0 <= index < size:
            raise ProofError(f"leaf {index} is not in a tree of size {size}")
        return self._path(index, 0, size)

    def _path(self, index: int, start: int, end: int) -> list[bytes]:
        if end - start == 1:
            return []
        middle = start + split_point(end - start)
        if index < middle:
            return [*self._path(index, start, middle), self._range_hash(middle, end)]
        return [*self._path(index, middle, end), self._range_hash(start, middle)]

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """The proof that the tree of old_size leaves is a prefix of the tree of new_size leaves."""
        self._check_size(new_size)
        if not 0 <= old_size <= new_size:
            raise ProofError(f"cannot prove size {old_size} against size {new_size}")
        if old_size in (0, new_size):
            return []
        return self._subproof(old_size, 0, new_size, complete=True)

    def _subproof(self, old_size: int, start: int, end: int, *, complete: bool) -> list[bytes]:
        if old_size == end - start:
            return [] if complete else [self._range_hash(start, end)]
        k = split_point(end - start)
        if old_size <= k:
            return [
                *self._subproof(old_size, start, start + k, complete=complete),
                self._range_hash(start + k, end),
            ]
        return [
            *self._subproof(old_size - k, start + k, end, complete=False),
            self._range_hash(start, start + k),
        ]

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self._size:
            raise ProofError(f"the tree has {self._size} leaves, not {size}")


def tree_root(leaves: Sequence[bytes]) -> bytes:
    """The tree hash over leaf hashes, computed level by level without keeping the tree."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def _check_hashes(*hashes: bytes) -> None:
    for value in hashes:
        if len(value) != HASH_SIZE:
            raise ProofError("a hash in the proof does not have 32 bytes")


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that an inclusion proof leads to (RFC 9162 section 2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    _check_hashes(leaf, *proof)
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            raise ProofError("the inclusion proof is too long")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the inclusion proof is too short")
    return result


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise ProofError unless the leaf sits at index in the tree of size leaves with this root."""
    _check_hashes(root)
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise ProofError(f"entry {index} is not in the tree of size {size} with this root")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ProofError unless the old tree is a prefix of the new one (RFC 9162 section 2.1.4.2)."""
    _check_hashes(old_root, new_root, *proof)
    if not 0 < old_size <= new_size:
        raise ProofError(f"cannot check size {old_size} against size {new_size}")
    if old_size == new_size:
        if proof:
            raise ProofError("a proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError("two different roots for the same size: the log was forked")
        return
    if not proof:
        raise ProofError("the consistency proof is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first = second = path[0]
    for node in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            first = node_hash(node, first)
            second = node_hash(node, second)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            second = node_hash(second, node)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the consistency proof is too short")
    if first != old_root:
        raise ProofError(f"the tree of size {old_size} is not a prefix of the tree of size {new_size}")
    if second != new_root:
        raise ProofError(f"the consistency proof does not lead to the root of size {new_size}")
