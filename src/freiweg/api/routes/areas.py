"""Public crowd data per area: the live picture and today's series."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep, get_services
from freiweg.api.problems import problem
from freiweg.services.crowd import Snapshot

router = APIRouter(prefix="/api/v1", tags=["areas"])


def snapshot_response(request: Request, snapshot: Snapshot) -> Response:
    """The snapshot as JSON with an entity tag, or 304 when the client has it already."""
    headers = {"ETag": snapshot.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == snapshot.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        # Compressed once per answer, not per request as the gzip middleware would.
        headers["Content-Encoding"] = "gzip"
        return Response(snapshot.gzipped(), media_type="application/json", headers=headers)
    return Response(snapshot.body(), media_type="application/json", headers=headers)


@router.get("/areas")
async def list_areas(request: Request) -> Response:
    """Every area: names, outline, crowd level, people estimate with interval, density, freshness."""
    # The busiest public route: no dependency injection, and the memo check (one primary-key
    # lookup) runs here because it is cheaper than a hop to the thread pool.
    services = get_services(request)
    snapshot = services.crowd.memoised_overview()
    if snapshot is None:
        snapshot = await run_in_threadpool(services.crowd.overview)
    return snapshot_response(request, snapshot)


@router.get("/areas/{area_id}")
async def get_area(area_id: str, request: Request, services: ServicesDep) -> Response:
    """One area as in the list, plus today's measured series in 15-minute steps."""
    snapshot = await run_in_threadpool(services.crowd.area, area_id)
    if snapshot is None:
        return problem(404, "Not found.", detail=f"area {area_id!r} does not exist")
    return snapshot_response(request, snapshot)
