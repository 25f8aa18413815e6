"""Calibration per sensor: its status for everyone, manual count sessions and fits for operators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from freiweg.api.deps import ServicesDep
from freiweg.api.operator import Operator
from freiweg.api.problems import problem
from freiweg.api.schemas import problem_responses
from freiweg.domain.counts import Direction
from freiweg.services.calibration_sessions import CalibrationSessionService, calibration_json
from freiweg.services.registry import Services

router = APIRouter(prefix="/api/v1/sensors", tags=["calibration"])


class SessionIn(BaseModel):
    """People counted by hand at a sensor between start and end."""

    model_config = ConfigDict(extra="forbid")

    start: AwareDatetime
    end: AwareDatetime
    people: int = Field(ge=0, description="People present on average (presence) or passing (passage).")
    direction: Direction | None = None
    note: str = Field(default="", max_length=200)


class FitIn(BaseModel):
    """Which sessions to fit from."""

    model_config = ConfigDict(extra="forbid")

    since: AwareDatetime | None = Field(default=None, description="Use sessions from here; valid from here.")
    apply: bool = Field(default=True, description="Store the fitted factor as the new calibration.")


def calibration_sessions(services: Services) -> CalibrationSessionService:
    """The calibration session service on the app's database, built once per app."""
    return services.calibration_sessions


@router.get("/{sensor_id}/calibration")
async def calibration_status(sensor_id: str, services: ServicesDep) -> dict[str, Any]:
    """The factor in use now (or that the sensor is uncalibrated), every version and the session count."""
    return await run_in_threadpool(calibration_sessions(services).status, sensor_id)


@router.get("/{sensor_id}/calibration/sessions", responses=problem_responses(_404="No such sensor."))
async def list_sessions(sensor_id: str, services: ServicesDep, _operator: Operator) -> list[dict[str, Any]]:
    """The sensor's manual count sessions, oldest first."""
    found = await run_in_threadpool(calibration_sessions(services).sessions, sensor_id)
    return [
        {
            "id": s.id,
            "start": s.started_at,
            "end": s.ended_at,
            "people": s.people,
            "direction": s.direction or None,
            "note": s.note,
        }
        for s in found
    ]


@router.post(
    "/{sensor_id}/calibration/sessions",
    status_code=201,
    responses=problem_responses(_401="Operator token missing or wrong.", _404="No such sensor."),
)
async def record_session(
    sensor_id: str, session: SessionIn, services: ServicesDep, _operator: Operator
) -> dict[str, Any]:
    """Record one manual count session."""
    number = await run_in_threadpool(
        lambda: calibration_sessions(services).record(
            sensor_id,
            start=session.start,
            end=session.end,
            people=session.people,
            direction=session.direction.value if session.direction else None,
            note=session.note,
        )
    )
    return {"id": number, "sensor": sensor_id}


@router.post(
    "/{sensor_id}/calibration/fit",
    responses=problem_responses(_401="Operator token missing or wrong.", _422="Too few usable sessions."),
)
async def fit_calibration(sensor_id: str, request: FitIn, services: ServicesDep, _operator: Operator) -> Any:
    """Fit the factor from the sessions and, unless apply is false, store it as a new logged version."""
    result = await run_in_threadpool(
        lambda: calibration_sessions(services).fit(sensor_id, since=request.since, apply=request.apply)
    )
    if result.calibration is None and request.apply:
        return problem(500, "The calibration was not stored.")
    return {
        "sensor": sensor_id,
        "factor": result.fit.factor,
        "low": result.fit.low,
        "high": result.fit.high,
        "sessions_used": list(result.fit.sessions_used),
        "sessions_without_devices": list(result.fit.sessions_without_devices),
        "stored": calibration_json(result.calibration) if result.calibration else None,
    }
