"""Manual count sessions and the devices-to-people factor fitted from them, per sensor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from freiweg.domain.calibration import Calibration, calibration_at
from freiweg.domain.calibration_fit import MIN_SESSIONS, FactorFit, SessionComparison, fit_factor
from freiweg.domain.counts import CountKind, Direction
from freiweg.domain.errors import FieldProblem, InvalidInput, NotFound
from freiweg.domain.sensors import SensorKind
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.services.sensors import SensorService
from freiweg.storage.counter_sources import SessionRepository, StoredSession
from freiweg.storage.unit_of_work import Database

LONGEST_SESSION = timedelta(hours=24)
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_PEOPLE = 1_000_000
PASSAGE_KINDS = frozenset((SensorKind.PASSAGE, SensorKind.CAMERA))


@dataclass(frozen=True, slots=True)
class CalibrationFit:
    """A fitted factor, the comparisons behind it and the calibration stored from it (if applied)."""

    fit: FactorFit
    comparisons: tuple[SessionComparison, ...]
    calibration: Calibration | None


class CalibrationSessionService:
    """Record manual counts, fit each sensor's factor from them and store it as a logged calibration."""

    def __init__(self, *, database: Database, clock: Clock, sensors: SensorService) -> None:
        self._database = database
        self._clock = clock
        self._sensors = sensors

    def record(
        self,
        sensor_id: str,
        *,
        start: datetime,
        end: datetime,
        people: int,
        direction: str | None = None,
        note: str = "",
    ) -> int:
        """Store one manual count session (people counted between start and end); return its number."""
        self._check(start=start, end=end, people=people, direction=direction, note=note)
        stamp = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            found = uow.sensors.get(sensor_id)
            if found is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            number = SessionRepository(uow.connection).add(
                sensor_pk=found[0],
                started_at=epoch(start),
                ended_at=epoch(end),
                people=people,
                direction=direction or "",
                note=note,
                now=stamp,
            )
            record_change(
                uow,
                kind="calibration.session_recorded",
                subject=f"sensor:{sensor_id}",
                body={
                    "session": number,
                    "start": epoch(start),
                    "end": epoch(end),
                    "people": people,
                    "direction": direction or None,
                },
                now=stamp,
            )
            uow.commit()
        return number

    def _check(
        self, *, start: datetime, end: datetime, people: int, direction: str | None, note: str
    ) -> None:
        """Raise InvalidInput naming every field of a session that is wrong."""
        now = self._clock()
        problems = []
        if start.tzinfo is None or end.tzinfo is None:
            problems.append(FieldProblem(None, "start", "start and end need a UTC offset"))
        elif end <= start:
            problems.append(FieldProblem(None, "end", "must be after start"))
        elif end - start > LONGEST_SESSION:
            problems.append(FieldProblem(None, "end", "a session must not be longer than 24 hours"))
        elif end > now + FUTURE_TOLERANCE:
            problems.append(FieldProblem(None, "end", "must not be in the future"))
        if not 0 <= people <= MAX_PEOPLE:
            problems.append(FieldProblem(None, "people", f"must be between 0 and {MAX_PEOPLE}"))
        if direction not in (None, "", *(d.value for d in Direction)):
            problems.append(FieldProblem(None, "direction", "must be 'in', 'out' or absent"))
        if len(note) > 200:
            problems.append(FieldProblem(None, "note", "must be at most 200 characters"))
        if problems:
            raise InvalidInput(problems, title="The count session was not recorded.")

    def amend(
        self,
        session_id: int,
        *,
        start: datetime,
        end: datetime,
        people: int,
        direction: str | None = None,
        note: str = "",
    ) -> StoredSession:
        """Correct a recorded session (times, people, direction, note); logged like recording it.

        A later fit uses the corrected values; calibrations fitted before stay as they were stored.
        """
        self._check(start=start, end=end, people=people, direction=direction, note=note)
        stamp = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = SessionRepository(uow.connection)
            stored = repository.get(session_id)
            if stored is None:
                raise NotFound(f"count session {session_id} does not exist")
            repository.change(
                session_id,
                started_at=epoch(start),
                ended_at=epoch(end),
                people=people,
                direction=direction or "",
                note=note,
            )
            record_change(
                uow,
                kind="calibration.session_changed",
                subject=f"sensor:{stored.sensor_id}",
                body={
                    "session": session_id,
                    "start": epoch(start),
                    "end": epoch(end),
                    "people": people,
                    "direction": direction or None,
                },
                now=stamp,
            )
            uow.commit()
        return StoredSession(
            session_id, stored.sensor_id, epoch(start), epoch(end), people, direction or "", note
        )

    def sessions(self, sensor_id: str) -> list[StoredSession]:
        """The sensor's sessions, oldest first."""
        with self._database.reading() as reader:
            if reader.sensors.get(sensor_id) is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            return SessionRepository(reader.connection).of_sensor(sensor_id)

    def compare(self, sensor_id: str, *, since: datetime | None = None) -> list[SessionComparison]:
        """Each session's people next to what the sensor counted in it.

        Presence sensors are compared by the mean device count of the windows inside the session
        (people then means people present on average); passage sensors by the sum of passages,
        in the session's direction if it has one.
        """
        with self._database.reading() as reader:
            found = reader.sensors.get(sensor_id)
            if found is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            pk, sensor = found
            repository = SessionRepository(reader.connection)
            comparisons = []
            for session in repository.of_sensor(sensor_id):
                if since is not None and session.started_at < epoch(since):
                    continue
                passage = sensor.kind in PASSAGE_KINDS or bool(session.direction)
                windows, total = repository.counted_during(
                    sensor_pk=pk,
                    start=session.started_at,
                    end=session.ended_at,
                    kind=(CountKind.PASSAGE if passage else CountKind.PRESENCE).value,
                    direction=session.direction or None,
                )
                devices = float(total) if passage else (total / windows if windows else 0.0)
                comparisons.append(SessionComparison(session.id, float(session.people), devices))
        return comparisons

    def fit(self, sensor_id: str, *, since: datetime | None = None, apply: bool = True) -> CalibrationFit:
        """Fit the factor from the sessions (since a moment, if given) and, unless told not to, store it.

        The new calibration is valid from `since`, else from the first session used, onwards; older
        versions stay stored, and estimates use whichever was valid at the time of a count.
        """
        comparisons = self.compare(sensor_id, since=since)
        fit = fit_factor(comparisons)
        calibration = None
        if apply:
            sessions = {s.id: s for s in self.sessions(sensor_id)}
            first = min(sessions[i].started_at for i in fit.sessions_used)
            valid_from = since or datetime.fromtimestamp(first, UTC)
            calibration = self._sensors.calibrate(
                sensor_id,
                factor=round(fit.factor, 4),
                low=round(fit.low, 4),
                high=round(fit.high, 4),
                valid_from=valid_from,
                method=fit.method,
            )
        return CalibrationFit(fit, tuple(comparisons), calibration)

    def status(self, sensor_id: str) -> dict[str, Any]:
        """The sensor's calibration now, every stored version and how many sessions it has."""
        now = epoch(self._clock())
        with self._database.reading() as reader:
            if reader.sensors.get(sensor_id) is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            versions = [c for c in reader.calibrations.all() if c.sensor_id == sensor_id]
            sessions = SessionRepository(reader.connection).of_sensor(sensor_id)
        current = calibration_at(versions, sensor_id=sensor_id, moment=now)
        return {
            "sensor": sensor_id,
            "calibrated": current.method != "uncalibrated",
            "current": calibration_json(current),
            "versions": [
                {**calibration_json(c), "in_use_until": _iso(_in_use_until(c, versions))} for c in versions
            ],
            "sessions": len(sessions),
            "min_sessions": MIN_SESSIONS,
        }


def _in_use_until(calibration: Calibration, versions: list[Calibration]) -> int | None:
    """When a newer version takes over from this one (or its own end, if earlier); None if still in use."""
    later = [v.valid_from for v in versions if v.valid_from > calibration.valid_from]
    ends = [*later, *([calibration.valid_until] if calibration.valid_until is not None else [])]
    return min(ends) if ends else None


def _iso(moment: int | None) -> str | None:
    return None if moment is None else datetime.fromtimestamp(moment, UTC).isoformat()


def calibration_json(calibration: Calibration) -> dict[str, Any]:
    """A calibration with ISO times, as the API and the CLI show it."""
    return {
        "factor": calibration.factor,
        "low": calibration.low,
        "high": calibration.high,
        "valid_from": _iso(calibration.valid_from),
        "valid_until": _iso(calibration.valid_until),
        "method": calibration.method,
    }
