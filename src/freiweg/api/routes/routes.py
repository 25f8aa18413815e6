"""Walking routes around crowds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from freiweg.api.deps import ServicesDep
from freiweg.domain.errors import NotFound
from freiweg.guidance.routing import DEFAULT_MAX_DETOUR, NoRoute

router = APIRouter(prefix="/api/v1", tags=["guidance"])


@router.get("/route")
async def walking_route(
    services: ServicesDep,
    origin: Annotated[str, Query(alias="from", description="place, area or junction id")],
    destination: Annotated[str, Query(alias="to", description="place, area or junction id")],
    max_detour: Annotated[
        float, Query(ge=0, le=1, description="longest detour as a fraction")
    ] = DEFAULT_MAX_DETOUR,
) -> dict[str, Any]:
    """The quietest walking route at most max_detour longer than the shortest; quiet zones are avoided."""
    try:
        return await run_in_threadpool(
            services.guidance.guide.route, origin, destination, max_detour=max_detour
        )
    except NoRoute as error:
        raise NotFound(str(error)) from error
