"""The Merkle tree hashes, proves and checks exactly as RFC 9162 and the public RFC 6962 vectors say."""

from __future__ import annotations

import base64

import pytest

from freiweg.transparency.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    ProofError,
    leaf_hash,
    node_hash,
    split_point,
    tree_root,
    verify_consistency,
    verify_inclusion,
)

# The classic eight leaves of the RFC 6962 reference tests and the roots of their prefixes.
LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

# Happy paths from transparency-dev/merkle testdata (inclusion/1, inclusion/3, consistency/1, 3, 4).
INCLUSION_VECTORS = [
    (
        0,
        8,
        "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
        "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
        [
            "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=",
            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
            "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=",
        ],
    ),
    (
        2,
        3,
        "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=",
        "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=",
        ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],
    ),
]
CONSISTENCY_VECTORS = [
    (
        1,
        8,
        "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
        "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
        [
            "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=",
            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
            "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=",
        ],
    ),
    (
        2,
        5,
        "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=",
        "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=",
        ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],
    ),
    (
        6,
        7,
        "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=",
        "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=",
        [
            "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=",
            "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=",
            "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=",
        ],
    ),
]


def b64(text: str) -> bytes:
    return base64.b64decode(text)


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH written straight from the RFC's recursive definition."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def test_the_empty_tree_hashes_to_the_sha256_of_nothing() -> None:
    assert MerkleTree().root().hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_every_prefix_of_the_eight_classic_leaves_has_the_published_root() -> None:
    tree = MerkleTree(leaf_hash(d) for d in LEAVES)
    for size, expected in enumerate(ROOTS, start=1):
        assert tree.root(size).hex() == expected
        assert tree_root([leaf_hash(d) for d in LEAVES[:size]]).hex() == expected


@pytest.mark.parametrize(("index", "size", "root", "leaf", "proof"), INCLUSION_VECTORS)
def test_the_published_inclusion_proofs_are_produced_and_accepted(
    index: int, size: int, root: str, leaf: str, proof: list[str]
) -> None:
    tree = MerkleTree(leaf_hash(d) for d in LEAVES)
    assert tree.leaf(index) == b64(leaf)
    assert tree.root(size) == b64(root)
    assert tree.inclusion_proof(index, size) == [b64(p) for p in proof]
    verify_inclusion(index, size, b64(leaf), [b64(p) for p in proof], b64(root))


@pytest.mark.parametrize(("old", "new", "old_root", "new_root", "proof"), CONSISTENCY_VECTORS)
def test_the_published_consistency_proofs_are_produced_and_accepted(
    old: int, new: int, old_root: str, new_root: str, proof: list[str]
) -> None:
    tree = MerkleTree(leaf_hash(d) for d in LEAVES)
    assert tree.consistency_proof(old, new) == [b64(p) for p in proof]
    verify_consistency(old, new, b64(old_root), b64(new_root), [b64(p) for p in proof])


def test_roots_match_the_recursive_definition_for_every_size_up_to_70() -> None:
    leaves = [leaf_hash(str(i).encode()) for i in range(70)]
    tree = MerkleTree()
    for size in range(1, 71):
        tree.append(leaves[size - 1])
        assert tree.root() == reference_root(leaves[:size])


def test_every_proof_in_trees_up_to_33_leaves_verifies_and_any_flipped_bit_fails() -> None:
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(33)]
    tree = MerkleTree(leaves)
    for size in range(1, 34):
        root = tree.root(size)
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            verify_inclusion(index, size, leaves[index], proof, root)
            with pytest.raises(ProofError):
                verify_inclusion(index, size, leaf_hash(b"other"), proof, root)
            if proof:
                broken = [*proof[:-1], bytes([proof[-1][0] ^ 1]) + proof[-1][1:]]
                with pytest.raises(ProofError):
                    verify_inclusion(index, size, leaves[index], broken, root)
                with pytest.raises(ProofError):
                    verify_inclusion(index, size, leaves[index], proof[:-1], root)
            with pytest.raises(ProofError):
                verify_inclusion(index, size, leaves[index], [*proof, root], root)
        for old in range(1, size + 1):
            proof = tree.consistency_proof(old, size)
            verify_consistency(old, size, tree.root(old), root, proof)
            if old < size:
                with pytest.raises(ProofError):
                    verify_consistency(old, size, leaf_hash(b"forked"), root, proof)
                with pytest.raises(ProofError):
                    verify_consistency(old, size, tree.root(old), root, proof[:-1])
                with pytest.raises(ProofError):
                    verify_consistency(old, size, tree.root(old), root, [*proof, root])


def test_a_proof_about_an_empty_old_tree_or_wrong_sizes_is_rejected() -> None:
    tree = MerkleTree(leaf_hash(d) for d in LEAVES)
    with pytest.raises(ProofError):
        verify_consistency(0, 8, EMPTY_ROOT, tree.root(), [])
    with pytest.raises(ProofError):
        verify_consistency(5, 4, tree.root(5), tree.root(4), [])
    with pytest.raises(ProofError):
        verify_inclusion(8, 8, tree.leaf(0), [], tree.root())
    with pytest.raises(ProofError):
        verify_inclusion(0, 8, tree.leaf(0), [b"short"], tree.root())
    with pytest.raises(ProofError):
        tree.inclusion_proof(3, 9)
    with pytest.raises(ProofError):
        verify_consistency(4, 4, tree.root(4), tree.root(5), [])
