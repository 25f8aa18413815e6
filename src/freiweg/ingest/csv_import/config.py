"""The mapping file (TOML) that says which CSV column holds what."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from freiweg.domain.counts import CountKind, Direction
from freiweg.domain.errors import FieldProblem, InvalidInput

EXAMPLE = """\
sensor = "domplatz-laser"          # every row counts for this sensor ...
# sensor_column = "Standort"       # ... or a column names the sensor id
kind = "passage"                   # passage (people crossing a line) or presence
delimiter = ";"
timezone = "Europe/Berlin"         # for times without an offset

[time]
column = "Zeitstempel"
format = "%d.%m.%Y %H:%M"          # strptime format; leave out for ISO 8601
marks = "start"                    # the time is the window's start (or "end")
window_minutes = 60

[values]                           # a column per direction, or one "total" column
in = "Richtung Dom"
out = "Richtung Altstadt"
"""


@dataclass(frozen=True)
class CsvMapping:
    """Which columns hold the time, the sensor and the values, and how to read them."""

    time_column: str
    value_columns: dict[str, str]
    kind: CountKind
    window_minutes: int = 60
    time_format: str | None = None
    time_marks_end: bool = False
    timezone: str = "Europe/Berlin"
    sensor: str | None = None
    sensor_column: str | None = None
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    directions: dict[str, Direction | None] = field(default_factory=dict)


def load_mapping(path: Path) -> CsvMapping:
    """Read a mapping file, or InvalidInput naming every setting to fix."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput([FieldProblem(None, "mapping", f"{path} is not valid TOML: {error}")]) from None
    return mapping_from(document)


def mapping_from(document: dict[str, Any]) -> CsvMapping:
    """A mapping from parsed TOML, or InvalidInput naming every setting to fix."""
    problems: list[FieldProblem] = []

    def text(table: dict[str, Any], name: str, where: str, *, required: bool = False) -> str | None:
        value = table.get(name)
        if value is None:
            if required:
                problems.append(FieldProblem(None, where, "is required"))
            return None
        if not isinstance(value, str) or not value:
            problems.append(FieldProblem(None, where, "must be a non-empty string"))
            return None
        return value

    time: dict[str, Any] = document["time"] if isinstance(document.get("time"), dict) else {}
    values: dict[str, Any] = document["values"] if isinstance(document.get("values"), dict) else {}
    time_column = text(time, "column", "time.column", required=True)
    kind_text = text(document, "kind", "kind") or CountKind.PASSAGE.value
    kind = CountKind.PASSAGE
    try:
        kind = CountKind(kind_text)
    except ValueError:
        problems.append(FieldProblem(None, "kind", "must be 'passage' or 'presence'"))
    directions: dict[str, Direction | None] = {}
    columns: dict[str, str] = {}
    for key, column in values.items():
        if key not in ("in", "out", "total"):
            problems.append(FieldProblem(None, f"values.{key}", "use the keys in, out or total"))
            continue
        if not isinstance(column, str) or not column:
            problems.append(FieldProblem(None, f"values.{key}", "must name a column"))
            continue
        columns[key] = column
        directions[key] = None if key == "total" else Direction(key)
    if not columns:
        problems.append(FieldProblem(None, "values", "name at least one value column (in, out or total)"))
    if kind is CountKind.PRESENCE and set(columns) - {"total"}:
        problems.append(
            FieldProblem(None, "values", "presence counts have one 'total' column, no directions")
        )
    window = time.get("window_minutes", 60)
    if type(window) is not int or not 1 <= window <= 60:
        problems.append(FieldProblem(None, "time.window_minutes", "must be a whole number from 1 to 60"))
        window = 60
    marks = time.get("marks", "start")
    if marks not in ("start", "end"):
        problems.append(FieldProblem(None, "time.marks", "must be 'start' or 'end'"))
    sensor = text(document, "sensor", "sensor")
    sensor_column = text(document, "sensor_column", "sensor_column")
    if (sensor is None) == (sensor_column is None):
        problems.append(FieldProblem(None, "sensor", "give either sensor or sensor_column"))
    zone = text(document, "timezone", "timezone") or "Europe/Berlin"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(FieldProblem(None, "timezone", f"{zone!r} is not a known time zone"))
    delimiter = text(document, "delimiter", "delimiter") or ","
    if len(delimiter) != 1:
        problems.append(FieldProblem(None, "delimiter", "must be one character"))
    if problems or time_column is None:
        raise InvalidInput(problems, title="The mapping file is invalid.")
    return CsvMapping(
        time_column=time_column,
        value_columns=columns,
        kind=kind,
        window_minutes=window,
        time_format=text(time, "format", "time.format"),
        time_marks_end=marks == "end",
        timezone=zone,
        sensor=sensor,
        sensor_column=sensor_column,
        delimiter=delimiter,
        encoding=text(document, "encoding", "encoding") or "utf-8-sig",
        directions=directions,
    )
