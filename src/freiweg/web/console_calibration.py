"""Console page for calibration (editors): manual count sessions and the fitted devices-to-people factor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import EDITORS, RequireRole
from freiweg.domain.errors import DomainError, FieldProblem, InvalidInput
from freiweg.services.calibration_sessions import CalibrationFit
from freiweg.services.registry import Services
from freiweg.services.staff import StaffSession
from freiweg.web.console_render import private_json, problem_text, render

router = APIRouter(prefix="/console", include_in_schema=False)
Editor = Annotated[StaffSession, Depends(RequireRole(*EDITORS))]


def _local_text(moment: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(moment, zone).strftime("%Y-%m-%dT%H:%M")


def _calibration(services: Services, sensor_id: str | None) -> dict[str, Any]:
    sensors = [s.id for s in services.sensors.list_sensors()]
    chosen = sensor_id if sensor_id in sensors else (sensors[0] if sensors else None)
    data: dict[str, Any] = {"sensors": sensors, "sensor": chosen, "status": None, "sessions": []}
    if chosen is None:
        return data
    zone = ZoneInfo(services.settings.timezone)
    service = services.calibration_sessions
    devices = {c.session_id: c.devices for c in service.compare(chosen)}
    data["status"] = service.status(chosen)
    data["sessions"] = [
        {
            "id": s.id,
            "start": _local_text(s.started_at, zone),
            "end": _local_text(s.ended_at, zone),
            "people": s.people,
            "devices": devices.get(s.id),
            "direction": s.direction or None,
            "note": s.note,
        }
        for s in service.sessions(chosen)
    ]
    return data


def _fit_json(result: CalibrationFit) -> dict[str, Any]:
    fit = result.fit
    return {
        "factor": round(fit.factor, 4),
        "low": round(fit.low, 4),
        "high": round(fit.high, 4),
        "sessions_used": list(fit.sessions_used),
        "sessions_without_devices": list(fit.sessions_without_devices),
        "stored": result.calibration is not None,
    }


async def _page(
    request: Request,
    services: Services,
    session: StaffSession,
    sensor_id: str | None,
    extra: dict[str, Any],
    status_code: int = 200,
) -> Response:
    data = {**(await run_in_threadpool(_calibration, services, sensor_id)), **extra}
    editing = request.query_params.get("edit")
    if "form" not in data:
        data["form"] = next((s for s in data["sessions"] if str(s["id"]) == editing), None)
    return render(request, services, "console/calibration.html", data, session, status_code=status_code)


def _moment(value: str, field: str, zone: ZoneInfo) -> datetime:
    """A datetime-local value in the installation's time zone, as an aware datetime."""
    try:
        moment = datetime.fromisoformat(value.strip())
        # At the ends of the calendar (year 1, year 9999) the shift to UTC leaves it.
        return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise InvalidInput(
            [FieldProblem(None, field, "must be a date and time like 2026-08-20T18:00")],
            title="The count session was not recorded.",
        ) from error


def _people(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError as error:
        raise InvalidInput(
            [FieldProblem(None, "people", "must be a whole number")],
            title="The count session was not recorded.",
        ) from error


@router.get("/calibration.json")
async def calibration_json(services: ServicesDep, _session: Editor, sensor: str | None = None) -> Response:
    """One sensor's calibration now, its versions and its count sessions (?sensor=ID)."""
    return private_json(await run_in_threadpool(_calibration, services, sensor))


@router.get("/calibration")
async def calibration_page(
    request: Request, services: ServicesDep, session: Editor, sensor: str | None = None
) -> Response:
    """Calibration: count sessions of a sensor, a form to record or correct one, and the fit."""
    return await _page(request, services, session, sensor, {})


@router.post("/calibration/sessions")
async def save_session(
    request: Request,
    services: ServicesDep,
    session: Editor,
    sensor: Annotated[str, Form()],
    start: Annotated[str, Form()],
    end: Annotated[str, Form()],
    people: Annotated[str, Form()],
    direction: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    session_id: Annotated[str, Form()] = "",
) -> Response:
    """Record a new session, or correct the one named by session_id; both logged."""
    zone = ZoneInfo(services.settings.timezone)
    service = services.calibration_sessions
    try:
        begin, finish, counted = _moment(start, "start", zone), _moment(end, "end", zone), _people(people)
        if session_id.strip():
            await run_in_threadpool(
                lambda: service.amend(
                    int(session_id),
                    start=begin,
                    end=finish,
                    people=counted,
                    direction=direction or None,
                    note=note,
                )
            )
        else:
            await run_in_threadpool(
                lambda: service.record(
                    sensor, start=begin, end=finish, people=counted, direction=direction or None, note=note
                )
            )
    except (DomainError, ValueError) as error:
        if isinstance(error, ValueError):
            error = InvalidInput([FieldProblem(None, "session_id", "must be a session number")])
        status, text = problem_text(error)
        form = {
            "id": session_id,
            "start": start,
            "end": end,
            "people": people,
            "direction": direction,
            "note": note,
        }
        return await _page(request, services, session, sensor, {"error": text, "form": form}, status)
    return await _page(request, services, session, sensor, {"form": None}, 200 if session_id else 201)


@router.post("/calibration/fit")
async def fit_factor(
    request: Request,
    services: ServicesDep,
    session: Editor,
    sensor: Annotated[str, Form()],
    store: Annotated[bool, Form()] = False,
) -> Response:
    """Fit the devices-to-people factor from the sessions; preview, or store it as a new version."""
    try:
        result = await run_in_threadpool(lambda: services.calibration_sessions.fit(sensor, apply=store))
    except DomainError as error:
        status, text = problem_text(error)
        return await _page(request, services, session, sensor, {"error": text}, status)
    return await _page(request, services, session, sensor, {"fit": _fit_json(result)})
