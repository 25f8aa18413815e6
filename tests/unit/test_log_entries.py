"""Transparency-log entries hash as RFC 9162 prescribes."""

from __future__ import annotations

import hashlib

from freiweg.transparency.entries import LogEntry, leaf_hash, node_hash, tree_hash


def test_the_empty_tree_hashes_to_the_hash_of_nothing() -> None:
    assert tree_hash([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_a_leaf_is_hashed_with_a_zero_prefix_and_a_node_with_a_one() -> None:
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


def test_an_uneven_tree_splits_at_the_largest_power_of_two() -> None:
    leaves = [leaf_hash(bytes([i])) for i in range(5)]
    left = node_hash(node_hash(leaves[0], leaves[1]), node_hash(leaves[2], leaves[3]))
    assert tree_hash(leaves) == node_hash(left, leaves[4])


def test_an_entry_has_one_canonical_form() -> None:
    a = LogEntry("sensor.added", "sensor:x", 10, {"b": 1, "a": "ü"})
    b = LogEntry("sensor.added", "sensor:x", 10, {"a": "ü", "b": 1})
    assert a.canonical() == b.canonical()
    assert (
        a.canonical()
        == '{"appended_at":10,"body":{"a":"ü","b":1},"kind":"sensor.added","subject":"sensor:x"}'.encode()
    )
    assert a.leaf_hash() == leaf_hash(a.canonical())
