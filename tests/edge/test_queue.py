"""The durable queue: counts survive a restart, the bound drops the oldest and tallies the drop."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from freiweg.edge.queue import CountQueue


def test_counts_survive_closing_and_reopening_the_queue(tmp_path: Path) -> None:
    queue = CountQueue(tmp_path / "queue.db")
    queue.put(0, 300, 12, ["clock_uncertain"])
    queue.put(300, 600, 14, [])
    queue.close()
    again = CountQueue(tmp_path / "queue.db")
    assert [(p.start, p.value, p.quality) for p in again.oldest(10)] == [
        (0, 12, ["clock_uncertain"]),
        (300, 14, []),
    ]
    again.close()


def test_a_full_queue_drops_the_oldest_counts_and_counts_the_drop(tmp_path: Path) -> None:
    queue = CountQueue(tmp_path / "queue.db", capacity=3)
    for i in range(5):
        queue.put(i * 300, i * 300 + 300, i, [])
    assert [p.value for p in queue.oldest(10)] == [2, 3, 4]
    assert queue.dropped == 2
    queue.close()


def test_acknowledged_counts_are_removed_and_refused_ones_are_tallied_as_dropped(tmp_path: Path) -> None:
    queue = CountQueue(tmp_path / "queue.db")
    for i in range(4):
        queue.put(i * 300, i * 300 + 300, i, [])
    pending = queue.oldest(4)
    queue.remove([pending[0].id, pending[1].id])
    queue.discard([pending[2].id])
    assert [p.value for p in queue.oldest(10)] == [3]
    assert queue.dropped == 1
    queue.close()


def test_the_queue_holds_nothing_but_windows_values_and_flags(tmp_path: Path) -> None:
    queue = CountQueue(tmp_path / "queue.db")
    queue.put(0, 300, 7, [])
    queue.close()
    db = sqlite3.connect(tmp_path / "queue.db")
    columns = {row[1] for row in db.execute("PRAGMA table_info(pending)")}
    db.close()
    reopened = CountQueue(tmp_path / "queue.db")
    synchronous = reopened._db.execute("PRAGMA synchronous").fetchone()[0]
    reopened.close()
    assert columns == {"id", "start", "end", "value", "quality"}
    assert synchronous == 2  # FULL: every commit is fsync'd


def test_a_queue_without_room_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CountQueue(tmp_path / "queue.db", capacity=0)
