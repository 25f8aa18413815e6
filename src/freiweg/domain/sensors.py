"""Sensors: boxes and counters that report counts for one area."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from freiweg.domain.errors import FieldProblem, InvalidInput

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}\Z")  # \Z: "$" also matches before a final "\n"


class SensorKind(StrEnum):
    """What a sensor measures with."""

    WIFI = "wifi"
    PAXCOUNTER = "paxcounter"
    PASSAGE = "passage"
    CAMERA = "camera"
    MANUAL = "manual"


class SensorStatus(StrEnum):
    """Whether a sensor may send counts."""

    ACTIVE = "active"
    REVOKED = "revoked"
    RETIRED = "retired"


DEFAULT_INTERVAL_SECONDS: dict[SensorKind, int] = {
    SensorKind.WIFI: 300,
    SensorKind.PAXCOUNTER: 60,
    SensorKind.PASSAGE: 300,
    SensorKind.CAMERA: 60,
    SensorKind.MANUAL: 3600,
}


@dataclass(frozen=True)
class Location:
    """A point in WGS 84 longitude and latitude."""

    lon: float
    lat: float


@dataclass(frozen=True)
class Sensor:
    """A registered counter in one area."""

    id: str
    kind: SensorKind
    area_id: str
    status: SensorStatus = SensorStatus.ACTIVE
    location: Location | None = None
    interval_seconds: int = 300


def check_identifier(value: str, *, field: str) -> None:
    """Raise InvalidInput unless value is a lower-case slug usable in URLs."""
    if not ID_PATTERN.match(value):
        raise InvalidInput(
            [
                FieldProblem(
                    None,
                    field,
                    f"{value!r} is not a valid id: use 1-63 lower-case letters, digits, "
                    "'-' or '_', starting with a letter or digit",
                )
            ]
        )


def parse_kind(value: str) -> SensorKind:
    """Return the sensor kind named by value or raise InvalidInput listing the known kinds."""
    try:
        return SensorKind(value)
    except ValueError:
        known = ", ".join(k.value for k in SensorKind)
        raise InvalidInput(
            [FieldProblem(None, "kind", f"unknown kind {value!r}; use one of {known}")]
        ) from None
