"""Distinct counting inside one window: a set of pseudonyms that is emptied when the window closes."""

from __future__ import annotations

from freiweg.privacy.keyed import WindowKey


class WindowedDistinct:
    """Counts distinct identifiers in one window; identifiers are pseudonymised on arrival."""

    __slots__ = ("_key", "_seen")

    def __init__(self) -> None:
        self._key = WindowKey()
        self._seen: set[bytes] = set()

    def add(self, identifier: bytes) -> None:
        """Pseudonymise an identifier at once and remember only its pseudonym."""
        self._seen.add(self._key.pseudonym(identifier))

    def __len__(self) -> int:
        return len(self._seen)

    def close(self) -> int:
        """The distinct count; then the pseudonyms and the key are destroyed and a new key drawn."""
        total = len(self._seen)
        self._seen.clear()
        self._key.forget()
        self._key = WindowKey()
        return total
