"""Importing counter exports from CSV: every good row stored once, every skipped row explained."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from freiweg.domain.counts import FUTURE_TOLERANCE, Count, check_counts, epoch_seconds
from freiweg.domain.errors import FieldProblem, InvalidInput
from freiweg.domain.sensors import SensorStatus
from freiweg.ingest.csv_import.config import CsvMapping
from freiweg.ingest.csv_import.decode import RowCounts, SkippedRow, read_rows
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.storage.unit_of_work import Database

CHUNK = 2000
EXAMPLES_PER_REASON = 3


@dataclass
class ImportReport:
    """What an import did: rows read, counts stored new or already known, rows skipped and why."""

    rows: int = 0
    imported_rows: int = 0
    counts: int = 0
    new: int = 0
    known: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=dict)
    dry_run: bool = False

    def skip(self, line: int, reason: str) -> None:
        """Note a skipped row."""
        self.skipped[reason] += 1
        self.examples.setdefault(reason, [])
        if len(self.examples[reason]) < EXAMPLES_PER_REASON:
            self.examples[reason].append(line)


class CsvImportService:
    """Reads a CSV export with a mapping and stores its counts in one transaction, idempotently."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def import_file(
        self,
        path: Path,
        mapping: CsvMapping,
        *,
        dry_run: bool = False,
        progress: Callable[[int], object] | None = None,
    ) -> ImportReport:
        """Import path; with dry_run nothing is stored. progress(n) is called with rows read so far.

        The whole file is one transaction: an interrupted import stores nothing, and running it
        again stores only counts not yet known (a count's window is its identity).
        """
        now = self._clock()
        latest_start = epoch_seconds(now + FUTURE_TOLERANCE)
        longest = int(timedelta(hours=1).total_seconds())
        report = ImportReport(dry_run=dry_run)
        seen: dict[tuple[str, tuple[int, int, str, str]], tuple[int, int]] = {}
        per_sensor: dict[str, list[Count]] = {}
        lines_of: dict[str, list[int]] = {}
        try:
            handle = path.open(encoding=mapping.encoding, newline="")
        except OSError as error:
            raise InvalidInput([FieldProblem(None, "file", str(error))]) from None
        digest = hashlib.sha256()
        with handle:
            lines = _hashing(handle, digest)
            for item in read_rows(lines, mapping):
                report.rows += 1
                if progress is not None and report.rows % 1000 == 0:
                    progress(1000)
                if isinstance(item, SkippedRow):
                    report.skip(item.line, item.reason)
                    continue
                reason = _row_problem(item, seen, latest_start=latest_start, longest=longest)
                if reason:
                    report.skip(item.line, reason)
                    continue
                per_sensor.setdefault(item.sensor_id, []).extend(item.counts)
                lines_of.setdefault(item.sensor_id, []).append(item.line)
                report.imported_rows += 1
        if progress is not None:
            progress(report.rows % 1000)
        with self._database.unit_of_work() as uow:
            for sensor_id, counts in list(per_sensor.items()):
                found = uow.sensors.get(sensor_id)
                if found is None or found[1].status is not SensorStatus.ACTIVE:
                    why = "does not exist" if found is None else f"is {found[1].status.value}"
                    for line in lines_of[sensor_id]:
                        report.skip(line, f"sensor {sensor_id!r} {why}")
                    report.imported_rows -= len(lines_of[sensor_id])
                    del per_sensor[sensor_id]
                    continue
                check_counts(counts, now=now)
                report.counts += len(counts)
                for offset in range(0, len(counts), CHUNK):
                    report.new += uow.counts.add(found[0], counts[offset : offset + CHUNK], now=epoch(now))
            report.known = report.counts - report.new
            if dry_run:
                return report
            if report.new:
                record_change(
                    uow,
                    kind="counts.imported",
                    subject="import:csv",
                    body={
                        "file_sha256": digest.hexdigest(),
                        "sensors": sorted(per_sensor),
                        "new": report.new,
                        "known": report.known,
                        "skipped_rows": sum(report.skipped.values()),
                    },
                    now=epoch(now),
                )
                uow.revision.bump()
            uow.commit()
        return report


def _row_problem(
    item: RowCounts,
    seen: dict[tuple[str, tuple[int, int, str, str]], tuple[int, int]],
    *,
    latest_start: int,
    longest: int,
) -> str | None:
    """Why a well-read row cannot be stored, or None; remembers the row's windows."""
    for count in item.counts:
        if count.start > latest_start:
            return "the time lies in the future"
        if count.end - count.start > longest:
            return "the window is longer than one hour"
        earlier = seen.get((item.sensor_id, count.key))
        if earlier is not None:
            line, value = earlier
            if value != count.value:
                return f"contradicts line {line} for the same window (a daylight saving change?)"
            return f"repeats line {line}"
    for count in item.counts:
        seen[(item.sensor_id, count.key)] = (item.line, count.value)
    return None


def _hashing(handle: TextIO, digest: Any) -> Iterator[str]:
    """The lines of handle, fed into digest on the way (the log names the imported file by it)."""
    for line in handle:
        digest.update(line.encode())
        yield line
