"""Signed notes, checkpoints and cosignatures follow C2SP and agree with the Go reference vector."""

from __future__ import annotations

import base64

import pytest

from freiweg.services.note_keys import ed25519_verify, signer_from_text
from freiweg.transparency.checkpoints import (
    COSIGNATURE_V1,
    Checkpoint,
    NoteError,
    SignedNote,
    cosign,
    cosignatures,
    parse_checkpoint,
    parse_note,
    parse_signer_key,
    parse_verifier_key,
    sign_note,
    verify_cosignature,
    verify_note,
)
from tests.support.log_keys import TEST_LOG_KEY, TEST_WITNESS_KEY

# golang.org/x/mod/sumdb/note: the published example key and note.
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + "\n\u2014 PeterNeumann "
    + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_the_go_reference_note_verifies_and_our_signer_reproduces_it_byte_for_byte() -> None:
    key = parse_verifier_key(GO_VERIFIER)
    assert key.text() == GO_VERIFIER
    verify_note(parse_note(GO_NOTE), key, ed25519_verify)
    signer = signer_from_text(GO_SIGNER)
    assert signer.verifier_key.text() == GO_VERIFIER
    signature = sign_note(GO_TEXT, signer.name, signer.public_key, signer.sign)
    assert SignedNote(GO_TEXT, (signature,)).render() == GO_NOTE


def test_a_changed_text_a_foreign_key_or_a_mangled_key_is_refused() -> None:
    key = parse_verifier_key(GO_VERIFIER)
    with pytest.raises(NoteError):
        verify_note(parse_note(GO_NOTE.replace("problem", "answer", 1)), key, ed25519_verify)
    with pytest.raises(NoteError):
        verify_note(parse_note(GO_NOTE), signer_from_text(TEST_LOG_KEY).verifier_key, ed25519_verify)
    for broken in (
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann",
        "a b+00+AA==",
    ):
        with pytest.raises(NoteError):
            parse_verifier_key(broken)
    with pytest.raises(NoteError):
        parse_signer_key("PRIVATE+KEY+x")


def test_a_checkpoint_body_round_trips_and_rejects_leading_zeros_and_short_roots() -> None:
    checkpoint = Checkpoint("bamberg.example/freiweg-log", 20852163, bytes(range(32)))
    body = checkpoint.body()
    assert body == f"bamberg.example/freiweg-log\n20852163\n{base64.b64encode(bytes(range(32))).decode()}\n"
    assert parse_checkpoint(body) == checkpoint
    for broken in (
        body.replace("20852163", "020852163"),
        body[:-1],
        "origin\n1\nAAAA\n",
        "\n1\n" + body.split("\n")[2] + "\n",
    ):
        with pytest.raises(NoteError):
            parse_checkpoint(broken)


def test_a_cosignature_signs_the_time_and_the_checkpoint_and_is_found_among_signatures() -> None:
    log = signer_from_text(TEST_LOG_KEY)
    witness = signer_from_text(TEST_WITNESS_KEY)
    assert witness.key_type == COSIGNATURE_V1
    body = Checkpoint(log.name, 3, bytes(32)).body()
    note = SignedNote(
        body,
        (
            sign_note(body, log.name, log.public_key, log.sign),
            cosign(body, witness.name, witness.public_key, 1_781_000_000, witness.sign),
        ),
    )
    parsed = parse_note(note.render())
    assert (
        verify_cosignature(body, parsed.signatures[1], witness.verifier_key, ed25519_verify) == 1_781_000_000
    )
    assert cosignatures(parsed, [witness.verifier_key], ed25519_verify) == [
        (witness.verifier_key, 1_781_000_000)
    ]
    other = Checkpoint(log.name, 4, bytes(32)).body()
    with pytest.raises(NoteError):
        verify_cosignature(other, parsed.signatures[1], witness.verifier_key, ed25519_verify)
    verify_note(parsed, log.verifier_key, ed25519_verify)


def test_a_note_without_signatures_or_with_stray_lines_is_refused() -> None:
    for broken in (GO_TEXT, GO_TEXT + "\n", GO_TEXT + "\nnot a signature\n", GO_NOTE[:-1]):
        with pytest.raises(NoteError):
            parse_note(broken)
