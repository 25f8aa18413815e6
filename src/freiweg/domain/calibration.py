"""Calibration: the factor that turns a sensor's device count into people, with its uncertainty."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from freiweg.domain.errors import FieldProblem, InvalidInput


@dataclass(frozen=True, slots=True)
class Calibration:
    """people = devices x factor; low and high bound the factor's 80 % interval.

    valid_from and valid_until are epoch seconds; valid_until None means open-ended.
    """

    sensor_id: str
    factor: float
    low: float
    high: float
    valid_from: int
    valid_until: int | None = None
    method: str = "default"

    def covers(self, moment: int) -> bool:
        """True when the calibration applies at moment (epoch seconds)."""
        return self.valid_from <= moment and (self.valid_until is None or moment < self.valid_until)


def uncalibrated(sensor_id: str) -> Calibration:
    """The honest default before any calibration: one device is one person, give or take a lot.

    Wi-Fi counts of a site are typically between half and twice the people present (MAC
    randomisation inflates, phones in sleep and people without phones deflate), so the default
    interval is that wide until a calibration session narrows it.
    """
    return Calibration(sensor_id, factor=1.0, low=0.5, high=2.0, valid_from=0, method="uncalibrated")


def check_calibration(calibration: Calibration) -> None:
    """Raise InvalidInput unless 0 < low <= factor <= high and the validity period is ordered."""
    problems = []
    if not 0 < calibration.low <= calibration.factor <= calibration.high:
        problems.append(FieldProblem(None, "factor", "needs 0 < low <= factor <= high"))
    if calibration.valid_until is not None and calibration.valid_until <= calibration.valid_from:
        problems.append(FieldProblem(None, "valid_until", "must be after valid_from"))
    if problems:
        raise InvalidInput(problems, title="The calibration is invalid.")


def calibration_at(calibrations: Sequence[Calibration], *, sensor_id: str, moment: int) -> Calibration:
    """The newest calibration of the sensor that covers moment, else the uncalibrated default."""
    best: Calibration | None = None
    for calibration in calibrations:
        if calibration.sensor_id == sensor_id and calibration.covers(moment):
            if best is None or calibration.valid_from >= best.valid_from:
                best = calibration
    return best if best is not None else uncalibrated(sensor_id)
