"""The group planner: proposals, reservations under a group label, cancellations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["guidance"])


class Slot(BaseModel):
    """One visit to reserve."""

    place_id: str
    starts_at: AwareDatetime


class ReservationRequest(BaseModel):
    """Slots for one group, under a label that names no person."""

    group_label: str = Field(min_length=1, max_length=80)
    group_size: int = Field(ge=1, le=60)
    slots: list[Slot] = Field(min_length=1, max_length=5)


class Cancellation(BaseModel):
    """The code handed out with a reservation."""

    cancel_code: str = Field(min_length=1, max_length=100)


@router.get("/plan")
async def propose_plan(
    services: ServicesDep,
    place: Annotated[list[str], Query(description="place ids, 1 to 5")],
    day: date,
    size: Annotated[int, Query(ge=1, le=60)] = 20,
) -> dict[str, Any]:
    """An order and time slots for a group that avoid busy times and other groups' reservations."""
    return await run_in_threadpool(
        lambda: services.guidance.reservations.plan(place_ids=place, day=day, group_size=size)
    )


@router.post("/reservations", status_code=201)
async def reserve(request: ReservationRequest, services: ServicesDep) -> dict[str, Any]:
    """Reserve slots (all or none); the answer carries the one code that cancels them."""
    slots: list[tuple[str, datetime]] = [(s.place_id, s.starts_at) for s in request.slots]
    reserved = await run_in_threadpool(
        lambda: services.guidance.reservations.reserve_slots(
            slots=slots, group_label=request.group_label, group_size=request.group_size
        )
    )
    return {"reservations": [r.facts for r in reserved], "cancel_code": reserved[0].cancel_code}


@router.post("/reservations/{reservation_id}/cancel", status_code=204)
async def cancel(reservation_id: int, body: Cancellation, services: ServicesDep) -> Response:
    """Cancel a reservation with its cancel code."""
    await run_in_threadpool(services.guidance.reservations.cancel, reservation_id, body.cancel_code)
    return Response(status_code=204)


@router.get("/reservations")
async def reserved_load(services: ServicesDep, day: date) -> dict[str, Any]:
    """People reserved per place and slot on a day (no labels)."""
    return {
        "day": day.isoformat(),
        "reserved": await run_in_threadpool(services.guidance.reservations.day_overview, day),
    }
