"""Ed25519 note keys with `cryptography`: signing, checking, making and reading keys; no server imports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from freiweg.transparency.checkpoints import (
    COSIGNATURE_V1,
    ED25519,
    NoteError,
    SignerKey,
    VerifierKey,
    key_id,
    parse_signer_key,
)


@dataclass(frozen=True)
class NoteSigner:
    """A named Ed25519 key that signs notes (type 0x01) or cosignatures (type 0x04)."""

    name: str
    key_type: int
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> bytes:
        """The raw 32-byte public key."""
        return self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def verifier_key(self) -> VerifierKey:
        """The key to publish so that anyone can check the signatures."""
        return VerifierKey(self.name, self.key_type, self.public_key)

    def sign(self, message: bytes) -> bytes:
        """A 64-byte Ed25519 signature."""
        return self.private_key.sign(message)


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when signature is a valid Ed25519 signature of message under public_key."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def new_key_text(name: str, *, key_type: int = ED25519) -> str:
    """A fresh private key in the PRIVATE+KEY+<name>+<id>+<base64> text form."""
    private_key = Ed25519PrivateKey.generate()
    seed = private_key.private_bytes_raw()
    public = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return SignerKey(name, key_type, seed).text(public)


def signer_from_text(text: str, *, key_type: int | None = None) -> NoteSigner:
    """A signer from a private key text (or the path of a file holding one), its key ID checked."""
    candidate = text.strip()
    if not candidate.startswith("PRIVATE+KEY+") and Path(candidate).is_file():
        candidate = Path(candidate).read_text(encoding="utf-8").strip()
    parsed = parse_signer_key(candidate)
    if key_type is not None and parsed.key_type != key_type:
        raise NoteError(f"expected a key of type {key_type:#04x}, got {parsed.key_type:#04x}")
    private_key = Ed25519PrivateKey.from_private_bytes(parsed.seed)
    public = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    if parsed.stated_key_id != key_id(parsed.name, parsed.key_type, public).hex():
        raise NoteError("the key ID in the signing key does not match its key")
    return NoteSigner(parsed.name, parsed.key_type, private_key)


__all__ = ["COSIGNATURE_V1", "ED25519", "NoteSigner", "ed25519_verify", "new_key_text", "signer_from_text"]
