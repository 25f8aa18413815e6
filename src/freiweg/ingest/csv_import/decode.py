"""Reading counter exports row by row into counts, with a reason for every row that is skipped."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from freiweg.domain.counts import Count, epoch_seconds
from freiweg.domain.errors import FieldProblem, InvalidInput
from freiweg.ingest.csv_import.config import CsvMapping


@dataclass(frozen=True, slots=True)
class RowCounts:
    """The counts of one CSV row for one sensor (line numbers as an editor shows them)."""

    line: int
    sensor_id: str
    counts: tuple[Count, ...]


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row that became no count, and why."""

    line: int
    reason: str


def read_rows(lines: Iterable[str], mapping: CsvMapping) -> Iterator[RowCounts | SkippedRow]:
    """Counts or a skip reason for every data row; InvalidInput if the header lacks a mapped column."""
    reader = csv.DictReader(lines, delimiter=mapping.delimiter)
    header = reader.fieldnames or []
    needed = [mapping.time_column, *mapping.value_columns.values()]
    if mapping.sensor_column:
        needed.append(mapping.sensor_column)
    missing = [c for c in needed if c not in header]
    if missing:
        shown = ", ".join(repr(h) for h in header[:12])
        raise InvalidInput(
            [FieldProblem(None, "header", f"no column {c!r}; the file has {shown}") for c in missing],
            title="The CSV file does not match the mapping.",
        )
    zone = ZoneInfo(mapping.timezone)
    window = int(timedelta(minutes=mapping.window_minutes).total_seconds())
    for row in reader:
        line = reader.line_num
        moment = _moment(row.get(mapping.time_column) or "", mapping, zone)
        if moment is None:
            yield SkippedRow(line, f"time {row.get(mapping.time_column)!r} is unreadable")
            continue
        start = moment - window if mapping.time_marks_end else moment
        sensor_id = mapping.sensor or (row.get(mapping.sensor_column or "") or "").strip()
        if not sensor_id:
            yield SkippedRow(line, "no sensor id")
            continue
        counts = []
        reason = None
        for key, column in mapping.value_columns.items():
            text = (row.get(column) or "").strip()
            if not text:
                reason = f"no value in {column!r}"
                break
            if not text.isdigit():
                reason = f"value {text!r} in {column!r} is not a whole number of zero or more"
                break
            counts.append(Count(start, start + window, mapping.kind, int(text), mapping.directions[key]))
        if reason:
            yield SkippedRow(line, reason)
            continue
        yield RowCounts(line, sensor_id, tuple(counts))


def _moment(text: str, mapping: CsvMapping, zone: ZoneInfo) -> int | None:
    text = text.strip()
    try:
        if mapping.time_format:
            moment = datetime.strptime(text, mapping.time_format)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return epoch_seconds(moment)
