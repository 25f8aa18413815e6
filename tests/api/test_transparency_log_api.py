"""The log API serves signed checkpoints, entries and RFC 9162 proofs that check out independently."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from freiweg.services.log_keys import ed25519_verify
from freiweg.settings import Settings
from freiweg.transparency.checkpoints import parse_checkpoint, parse_note, parse_verifier_key, verify_note
from freiweg.transparency.merkle import leaf_hash, verify_consistency, verify_inclusion
from tests.conftest import TEST_SECRET
from tests.support.log_keys import TEST_LOG_KEY


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, demo=False, log_key=TEST_LOG_KEY)


def b64(text: str) -> bytes:
    return base64.b64decode(text)


def signed_checkpoint(client: Any) -> Any:
    response = client.get("/api/v1/log/checkpoint")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    key = parse_verifier_key(client.get("/api/v1/log/key").text)
    note = parse_note(response.text)
    verify_note(note, key, ed25519_verify)
    return parse_checkpoint(note.text)


def test_the_checkpoint_is_a_c2sp_note_signed_by_the_published_key(
    client: Any, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz", "obstmarkt")
    checkpoint = signed_checkpoint(client)
    assert checkpoint.origin == "test.freiweg.example/freiweg-log"
    assert checkpoint.size == 4  # two areas, two sensors
    lines = client.get("/api/v1/log/checkpoint").text.split("\n")
    assert lines[3] == "" and lines[4].startswith("\u2014 test.freiweg.example/freiweg-log ")


def test_every_entry_is_proven_included_and_every_older_size_consistent(
    client: Any, town: Callable[..., dict[str, str]], services: Any
) -> None:
    town("domplatz", "obstmarkt", "maxplatz")
    services.sensors.rotate_token("domplatz-1")
    checkpoint = signed_checkpoint(client)
    entries = client.get(f"/api/v1/log/entries?start=0&end={checkpoint.size}").json()["entries"]
    assert [e["index"] for e in entries] == list(range(checkpoint.size))
    for item in entries:
        assert b64(item["leaf_hash"]) == leaf_hash(item["entry"].encode())
        proof = client.get(f"/api/v1/log/proof/inclusion?index={item['index']}&size={checkpoint.size}").json()
        verify_inclusion(
            item["index"],
            checkpoint.size,
            b64(item["leaf_hash"]),
            [b64(p) for p in proof["inclusion_path"]],
            checkpoint.root,
        )
    roots = {}
    for size in range(1, checkpoint.size + 1):
        from freiweg.transparency.merkle import MerkleTree

        roots[size] = MerkleTree(b64(e["leaf_hash"]) for e in entries[:size]).root()
    for old in range(1, checkpoint.size + 1):
        proof = client.get(f"/api/v1/log/proof/consistency?from={old}&to={checkpoint.size}").json()
        verify_consistency(
            old, checkpoint.size, roots[old], checkpoint.root, [b64(p) for p in proof["consistency_path"]]
        )


def test_a_grown_log_gets_a_new_checkpoint_and_old_ones_are_kept(
    client: Any, town: Callable[..., dict[str, str]], services: Any
) -> None:
    town("domplatz")
    first = signed_checkpoint(client)
    assert signed_checkpoint(client) == first
    services.sensors.revoke("domplatz-1")
    second = signed_checkpoint(client)
    assert second.size == first.size + 1
    proof = client.get(f"/api/v1/log/proof/consistency?from={first.size}&to={second.size}").json()
    verify_consistency(
        first.size, second.size, first.root, second.root, [b64(p) for p in proof["consistency_path"]]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/log/proof/inclusion?index=5&size=2",
        "/api/v1/log/proof/inclusion?index=0&size=99",
        "/api/v1/log/proof/consistency?from=3&to=2",
        "/api/v1/log/proof/consistency?from=1&to=99",
        "/api/v1/log/entries?start=3&end=1",
        "/api/v1/log/entries?start=-1",
    ],
)
def test_impossible_proof_requests_get_a_problem_that_names_the_field(
    client: Any, town: Callable[..., dict[str, str]], path: str
) -> None:
    town("domplatz")
    response = client.get(path)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"].split(".")[-1] in {
        "index",
        "size",
        "from",
        "to",
        "start",
        "end",
    }


def test_without_a_signing_key_outside_demo_mode_the_log_says_so(database_url: str, clock: Any) -> None:
    from fastapi.testclient import TestClient

    from freiweg.bootstrap import create_app

    app = create_app(Settings(database_url=database_url, secret_key=TEST_SECRET, demo=False), clock=clock)
    with TestClient(app) as test_client:
        response = test_client.get("/api/v1/log/checkpoint")
    app.state.services.database.dispose()
    assert response.status_code == 503
    assert "FREIWEG_LOG_KEY" in response.json()["detail"]
