"""Uploading queued counts to POST /api/v1/counts, with exponential backoff and jitter on failure."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from freiweg.edge.queue import CountQueue, Pending


def iso(seconds: int) -> str:
    """Epoch seconds as ISO 8601 with a UTC offset."""
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def body(pending: list[Pending], agent: dict[str, Any]) -> dict[str, Any]:
    """The upload body for some queued counts."""
    counts = []
    for p in pending:
        item: dict[str, Any] = {
            "start": iso(p.start),
            "end": iso(p.end),
            "kind": "presence",
            "value": p.value,
        }
        if p.quality:
            item["quality"] = p.quality
        counts.append(item)
    return {"counts": counts, "agent": agent}


def refused_items(answer: httpx.Response, size: int) -> list[int]:
    """Indices of the items a 422 problem names; all of them if it names none."""
    try:
        errors = answer.json().get("errors") or []
        named = sorted(
            {e["index"] for e in errors if isinstance(e.get("index"), int) and 0 <= e["index"] < size}
        )
    except (ValueError, AttributeError, KeyError, TypeError):
        named = []
    return named or list(range(size))


class Uploader:
    """Sends the queue's oldest counts; keeps them on any failure and tries again later."""

    def __init__(
        self,
        queue: CountQueue,
        *,
        url: str,
        token: str,
        report: Callable[[], dict[str, Any]],
        batch: int = 500,
        backoff: float = 2.0,
        backoff_max: float = 600.0,
        log: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
        client: httpx.Client | None = None,
        jitter: random.Random | None = None,
    ) -> None:
        self.queue = queue
        self.endpoint = url.rstrip("/") + "/api/v1/counts"
        self._headers = {"Authorization": f"Bearer {token}"}
        self.report = report
        self.batch = batch
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.log = log
        self.client = client or httpx.Client(timeout=30.0)
        self.jitter = jitter or random.Random()
        self.failures = 0
        self.next_attempt = 0.0

    def delay(self) -> float:
        """Seconds to wait after a run of failures: doubling, capped, with jitter on the upper half."""
        ceiling = min(self.backoff_max, self.backoff * 2.0 ** min(self.failures - 1, 30))
        return ceiling * self.jitter.uniform(0.5, 1.0)

    def step(self, now: float) -> None:
        """Upload if something waits and the backoff allows it; never raises on network trouble."""
        if now < self.next_attempt:
            return
        while self.queue.size():
            if not self._send():
                self.failures += 1
                self.next_attempt = now + self.delay()
                return
        self.failures = 0

    def _send(self) -> bool:
        pending = self.queue.oldest(self.batch)
        try:
            answer = self.client.post(self.endpoint, json=body(pending, self.report()), headers=self._headers)
        except httpx.HTTPError as error:
            self.log(f"upload failed, will retry: {type(error).__name__}")
            return False
        if answer.status_code == 200:
            self.queue.remove([p.id for p in pending])
            return True
        if answer.status_code == 413 and self.batch > 1:
            self.batch = max(1, self.batch // 2)
            return True
        if answer.status_code == 422:
            refused = refused_items(answer, len(pending))
            self.log(f"server refused {len(refused)} count(s) for good (422); they are dropped and tallied")
            self.queue.discard([pending[i].id for i in refused])
            return True
        if answer.status_code == 401:
            self.log("server refused the token (401); check the sensor's token, counts are kept")
        else:
            self.log(f"upload answered {answer.status_code}, will retry")
        return False

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()
