"""Keyed pseudonyms under a 32-byte key that lives in RAM for one window and is then destroyed."""

from __future__ import annotations

import hashlib
import os

KEY_BYTES = 32
PSEUDONYM_BYTES = 8


class WindowKey:
    """A random key for one counting window; `forget` overwrites it, after which it cannot be used."""

    __slots__ = ("_key", "_hasher")

    def __init__(self) -> None:
        self._key = bytearray(os.urandom(KEY_BYTES))
        self._hasher: hashlib.blake2b | None = hashlib.blake2b(
            key=bytes(self._key), digest_size=PSEUDONYM_BYTES
        )

    def pseudonym(self, identifier: bytes) -> bytes:
        """The keyed BLAKE2b digest (8 bytes) of an identifier; stable only while this key lives."""
        if self._hasher is None:
            raise RuntimeError("this window's key has been forgotten")
        hasher = self._hasher.copy()
        hasher.update(identifier)
        return hasher.digest()

    def forget(self) -> None:
        """Overwrite the key bytes and drop the keyed hasher."""
        for index in range(len(self._key)):
            self._key[index] = 0
        self._hasher = None

    @property
    def forgotten(self) -> bool:
        """Whether the key has been destroyed."""
        return self._hasher is None

    def __repr__(self) -> str:
        return "WindowKey(<secret>)"
