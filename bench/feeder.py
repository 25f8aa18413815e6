"""Live sensors in the background: one new count per sensor and minute through the real intake."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx

from bench.dataset import SENSOR_INTERVAL


@dataclass
class FeederStats:
    """What the feeder sent."""

    sent: int = 0
    stored: int = 0
    failed: int = 0


class Feeder:
    """POST one one-minute presence count at a time, round-robin over the sensors.

    At the default pace every sensor sends once per interval, as real sensors do, and every
    stored count bumps the data revision, so the cached areas answer is recomputed after each.
    Push n goes to sensor n mod S with the window starting latest_end + 60 * (n div S).
    """

    def __init__(self, base_url: str, tokens: list[str], latest_end: int) -> None:
        self._url = base_url + "/api/v1/counts"
        self._tokens = tokens
        self._latest_end = latest_end
        self._pause = SENSOR_INTERVAL / len(tokens)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="feeder", daemon=True)
        self.stats = FeederStats()

    @property
    def per_second(self) -> float:
        """Counts sent per second."""
        return 1 / self._pause

    def start(self) -> None:
        """Start sending."""
        self._thread.start()

    def stop(self) -> FeederStats:
        """Stop sending and return what was sent."""
        self._stop.set()
        self._thread.join(timeout=30)
        return self.stats

    def _run(self) -> None:
        started = time.monotonic()
        with httpx.Client(timeout=30) as client:
            n = 0
            while not self._stop.is_set():
                token = self._tokens[n % len(self._tokens)]
                start = self._latest_end + SENSOR_INTERVAL * (n // len(self._tokens))
                body = {
                    "counts": [
                        {
                            "start": _iso(start),
                            "end": _iso(start + SENSOR_INTERVAL),
                            "kind": "presence",
                            "value": 10 + n % 30,
                        }
                    ]
                }
                try:
                    answer = client.post(self._url, json=body, headers={"Authorization": f"Bearer {token}"})
                    self.stats.sent += 1
                    if answer.status_code == 200:
                        self.stats.stored += int(answer.json()["new"])
                    else:
                        self.stats.failed += 1
                except httpx.HTTPError:
                    self.stats.failed += 1
                n += 1
                self._stop.wait(max(0.0, started + n * self._pause - time.monotonic()))


def _iso(moment: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(moment))
