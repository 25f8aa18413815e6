"""Per-window limits on public writes, keyed on addresses hashed under a key that is dropped hourly."""

from __future__ import annotations

import hashlib
import os
import threading
from collections import Counter

from freiweg.services.clock import Clock, epoch

KEY_SECONDS = 3600

# Per source and hour: feedback items, support for ideas, survey answers, sensor-page checks.
FLOOD_LIMITS: dict[str, int] = {"feedback": 5, "support": 30, "survey": 3, "check": 10}


class FloodGuard:
    """Hold off floods of submissions, votes and survey answers without tracking anyone.

    An address is never stored: it is hashed with keyed BLAKE2b under a 32-byte key from
    ``os.urandom`` that lives in this process's memory only and is replaced, together with every
    counter, at the start of each hour. Within the hour a source may act ``limit`` times per
    ``action``; after the hour nothing links it to what it did before. Counters are per process:
    with several server processes the effective limit is ``limit`` times their number.
    """

    def __init__(self, clock: Clock, *, limits: dict[str, int]) -> None:
        self._clock = clock
        self._limits = dict(limits)
        self._lock = threading.Lock()
        self._hour = -1
        self._key = b""
        self._counts: Counter[tuple[str, bytes]] = Counter()

    def limit_of(self, action: str) -> int:
        """How many times one source may do ``action`` within the hour."""
        return self._limits[action]

    def retry_after(self) -> int:
        """Seconds until the next hour, when the key and every counter are dropped (1 to 3600)."""
        return KEY_SECONDS - epoch(self._clock()) % KEY_SECONDS

    def allow(self, address: str | None, action: str) -> bool:
        """Count one ``action`` from ``address``; False once the source used up its limit this hour."""
        limit = self._limits[action]
        with self._lock:
            self._rotate()
            source = hashlib.blake2b((address or "").encode(), key=self._key, digest_size=16).digest()
            slot = (action, source)
            if self._counts[slot] >= limit:
                return False
            self._counts[slot] += 1
            return True

    def _rotate(self) -> None:
        hour = epoch(self._clock()) // KEY_SECONDS
        if hour != self._hour:
            self._hour = hour
            self._key = os.urandom(32)
            self._counts = Counter()
