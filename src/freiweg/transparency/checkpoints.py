"""C2SP signed notes, checkpoints and cosignatures as text; signing itself is passed in as a function."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014"
MAX_SIGNATURES = 16
NAME = re.compile(r"^[^\s+]+$")

# verify(public_key, message, signature) -> True when the Ed25519 signature is good.
SignatureCheck = Callable[[bytes, bytes, bytes], bool]


class NoteError(ValueError):
    """A note, key or checkpoint that is not well formed or not signed by a trusted key."""


def key_id(name: str, key_type: int, public_key: bytes) -> bytes:
    """The 4-byte key ID: SHA-256(name || 0x0A || type || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()[:4]


def check_name(name: str) -> str:
    """The key name if it has no spaces and no '+', else NoteError."""
    if not name or not NAME.match(name):
        raise NoteError(f"a key name must be non-empty without spaces or '+': {name!r}")
    return name


@dataclass(frozen=True)
class VerifierKey:
    """A public key with its name and type, as published in the note verifier-key text form."""

    name: str
    key_type: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        """The key ID that signature lines carry."""
        return key_id(self.name, self.key_type, self.public_key)

    def text(self) -> str:
        """<name>+<hex key ID>+<base64(type || public key)>."""
        material = base64.b64encode(bytes([self.key_type]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{material}"


def parse_verifier_key(text: str) -> VerifierKey:
    """Read a verifier key in its text form, checking that its key ID matches."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError("a verifier key looks like <name>+<key id>+<base64 key>")
    name, hex_id, material = parts
    check_name(name)
    raw = _b64(material, "verifier key")
    if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteError("only Ed25519 verifier keys (type 0x01 or 0x04) are supported")
    key = VerifierKey(name, raw[0], raw[1:])
    if key.key_id.hex() != hex_id.lower():
        raise NoteError(f"the key ID {hex_id} does not match the key of {name}")
    return key


@dataclass(frozen=True)
class SignerKey:
    """A private Ed25519 seed with its name, in the PRIVATE+KEY+<name>+<id>+<base64> text form."""

    name: str
    key_type: int
    seed: bytes
    stated_key_id: str = ""

    def text(self, public_key: bytes) -> str:
        """The private key text (the key ID needs the public key)."""
        hex_id = key_id(self.name, self.key_type, public_key).hex()
        material = base64.b64encode(bytes([self.key_type]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{hex_id}+{material}"


def parse_signer_key(text: str) -> SignerKey:
    """Read a private key text; the key ID is checked once the public key is known."""
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
        raise NoteError("a signing key looks like PRIVATE+KEY+<name>+<key id>+<base64 seed>")
    name = check_name(parts[2])
    raw = _b64(parts[4], "signing key")
    if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteError("the signing key must be an Ed25519 seed of 32 bytes")
    return SignerKey(name, raw[0], raw[1:], parts[3].lower())


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's origin, its size and its root hash."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        """The checkpoint note text: origin, size, base64 root and extension lines, each ending in LF."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "".join(f"{line}\n" for line in lines)


def parse_checkpoint(body: str) -> Checkpoint:
    """Read a checkpoint note text (without signatures)."""
    if not body.endswith("\n"):
        raise NoteError("a checkpoint ends with a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("a checkpoint has an origin, a size and a root hash line")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise NoteError("the checkpoint has an empty origin line")
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise NoteError(f"the tree size {size_text!r} is not a decimal number without leading zeros")
    root = _b64(root_text, "root hash")
    if len(root) != 32:
        raise NoteError("the root hash does not have 32 bytes")
    if any(not line for line in extensions):
        raise NoteError("a checkpoint has no empty lines")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: who signed, with which key ID, and the signature bytes."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        """— <name> <base64(key ID || signature)>."""
        return f"{DASH} {self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


@dataclass(frozen=True)
class SignedNote:
    """A note text and its signature lines."""

    text: str
    signatures: tuple[NoteSignature, ...]

    def render(self) -> str:
        """The note as served: text, a blank line, the signature lines."""
        return self.text + "\n" + "".join(s.line() for s in self.signatures)


def parse_note(note: str) -> SignedNote:
    """Split a signed note into its text and its signature lines."""
    if not note.endswith("\n"):
        raise NoteError("a signed note ends with a newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("a signed note has a blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    signatures = []
    for line in block[:-1].split("\n"):
        prefix = DASH + " "
        if not line.startswith(prefix):
            raise NoteError("every line after the blank line must be a signature starting with '— '")
        name, space, material = line[len(prefix) :].partition(" ")
        if not space:
            raise NoteError("a signature line has a key name and a base64 signature")
        raw = _b64(material, "signature")
        if len(raw) < 5:
            raise NoteError("a signature is too short")
        signatures.append(NoteSignature(check_name(name), raw[:4], raw[4:]))
    if not signatures:
        raise NoteError("the note has no signatures")
    return SignedNote(text, tuple(signatures))


def sign_note(text: str, name: str, key: bytes, sign: Callable[[bytes], bytes]) -> NoteSignature:
    """Sign a note text with an Ed25519 key (sign takes the message and returns 64 bytes)."""
    return NoteSignature(check_name(name), key_id(name, ED25519, key), sign(text.encode()))


def verify_note(note: SignedNote, key: VerifierKey, verify: SignatureCheck) -> None:
    """Raise NoteError unless a signature line of key verifies over the note text."""
    if len(note.signatures) > MAX_SIGNATURES * 4:
        raise NoteError("the note carries too many signatures")
    for signature in note.signatures:
        if signature.name == key.name and signature.key_id == key.key_id:
            if key.key_type == ED25519 and verify(key.public_key, note.text.encode(), signature.signature):
                return
    raise NoteError(f"no valid signature by {key.name} ({key.key_id.hex()}) on this note")


def cosignature_message(checkpoint_text: str, timestamp: int) -> bytes:
    """What a cosigner signs: 'cosignature/v1', 'time <t>' and the checkpoint text."""
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


def cosign(
    checkpoint_text: str, name: str, key: bytes, timestamp: int, sign: Callable[[bytes], bytes]
) -> NoteSignature:
    """A cosignature/v1 line over a checkpoint text."""
    signature = struct.pack(">Q", timestamp) + sign(cosignature_message(checkpoint_text, timestamp))
    return NoteSignature(check_name(name), key_id(name, COSIGNATURE_V1, key), signature)


def verify_cosignature(
    checkpoint_text: str, signature: NoteSignature, key: VerifierKey, verify: SignatureCheck
) -> int:
    """The cosignature's timestamp if it is a valid cosignature/v1 by key, else NoteError."""
    if key.key_type != COSIGNATURE_V1:
        raise NoteError(f"{key.name} is not a cosignature key (type 0x04)")
    if signature.name != key.name or signature.key_id != key.key_id:
        raise NoteError(f"the signature is not by {key.name}")
    if len(signature.signature) != 8 + 64:
        raise NoteError("a cosignature has an 8-byte time and a 64-byte signature")
    (timestamp,) = struct.unpack(">Q", signature.signature[:8])
    if timestamp >= 2**63 or not verify(
        key.public_key, cosignature_message(checkpoint_text, timestamp), signature.signature[8:]
    ):
        raise NoteError(f"the cosignature by {key.name} does not verify")
    return int(timestamp)


def cosignatures(
    note: SignedNote, keys: Sequence[VerifierKey], verify: SignatureCheck
) -> list[tuple[VerifierKey, int]]:
    """Every known cosigner whose cosignature on the note verifies, with its timestamp."""
    found = []
    for key in keys:
        for signature in note.signatures:
            if signature.name == key.name and signature.key_id == key.key_id:
                try:
                    found.append((key, verify_cosignature(note.text, signature, key, verify)))
                except NoteError:
                    continue
                break
    return found


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise NoteError(f"the {what} is not valid base64") from error
