"""Forecasts per area and per sensor for the next 48 hours, and the operator's events calendar."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.api.operator import Operator
from freiweg.api.problems import problem
from freiweg.api.schemas import problem_responses
from freiweg.services.events import EventInput

router = APIRouter(prefix="/api/v1", tags=["forecasts"])


class EventIn(BaseModel):
    """An event that changes how busy areas get: a festival, a market, a match."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, examples=["Sandkerwa"])
    start: AwareDatetime
    end: AwareDatetime
    areas: list[str] = Field(default_factory=list, description="Area ids; empty means every area.")
    expected_effect: float | None = Field(
        default=None,
        description="Factor on the usual level (1.5 = 50% busier), used until past events teach one.",
    )


@router.get("/areas/{area_id}/forecast", responses=problem_responses(_404="No such area, or no data yet."))
async def area_forecast(area_id: str, services: ServicesDep) -> Any:
    """Hourly forecast for the next 48 hours with 80% intervals, model version and calendar reasons."""
    known = await run_in_threadpool(services.areas.list_areas)
    if area_id not in {a.id for a in known}:
        return problem(404, "Not found.", detail=f"area {area_id!r} does not exist")
    if services.forecasts is None:
        return problem(503, "Forecasts are not installed.", detail="install freiweg[forecast]")
    forecast = await run_in_threadpool(services.forecasts.for_area, area_id)
    if forecast is None:
        return problem(
            404, "No forecast yet.", detail=f"area {area_id!r} has no measurements to forecast from"
        )
    return forecast


@router.get(
    "/sensors/{sensor_id}/forecast", responses=problem_responses(_404="No such sensor, or no data yet.")
)
async def sensor_forecast(sensor_id: str, services: ServicesDep) -> Any:
    """Hourly forecast of one sensor for the next 48 hours, with 80% intervals, model and reasons."""
    known = await run_in_threadpool(services.sensors.list_sensors)
    if sensor_id not in {s.id for s in known}:
        return problem(404, "Not found.", detail=f"sensor {sensor_id!r} does not exist")
    if services.forecasts is None:
        return problem(503, "Forecasts are not installed.", detail="install freiweg[forecast]")
    forecast = await run_in_threadpool(services.forecasts.for_sensor, sensor_id)
    if forecast is None:
        return problem(
            404, "No forecast yet.", detail=f"sensor {sensor_id!r} has no measurements to forecast from"
        )
    return forecast


@router.get("/events")
async def list_events(services: ServicesDep) -> list[dict[str, Any]]:
    """Every event in the calendar, earliest first."""
    return await run_in_threadpool(services.events.list)


@router.post("/events", status_code=201, responses=problem_responses(_401="Operator token missing or wrong."))
async def add_event(event: EventIn, services: ServicesDep, _operator: Operator) -> dict[str, Any]:
    """Add an event (operator only); it is logged in the transparency log."""
    entry = EventInput(event.name, event.start, event.end, tuple(event.areas), event.expected_effect)
    return await run_in_threadpool(services.events.add, entry)


@router.delete("/events/{event_id}", responses=problem_responses(_404="No such event."))
async def remove_event(event_id: int, services: ServicesDep, _operator: Operator) -> Response:
    """Remove an event (operator only); the removal is logged."""
    await run_in_threadpool(services.events.remove, event_id)
    return Response(status_code=204)
