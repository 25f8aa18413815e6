"""Public places: sights, museums and viewpoints with kind, area, opening hours and level now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from freiweg.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["guidance"])


@router.get("/places")
async def list_places(services: ServicesDep) -> dict[str, Any]:
    """Every curated place with its category, area, opening hours and its area's level now."""
    return {"places": await run_in_threadpool(services.guidance.guide.places_overview)}


@router.get("/areas/{area_id}/day")
async def area_day(area_id: str, services: ServicesDep) -> dict[str, Any]:
    """An area now, today's series, the usual profile (or forecast), best times and quieter places."""
    return await run_in_threadpool(services.guidance.guide.area_day, area_id)
