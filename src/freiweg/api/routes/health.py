"""Liveness and readiness for operators and load balancers."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from freiweg import __version__
from freiweg.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["operations"])


@router.get("/health")
async def health(services: ServicesDep) -> dict[str, object]:
    """Whether this process reaches the database, and which version it runs."""

    def probe() -> int:
        with services.database.reading() as reader:
            return reader.revision.current()

    revision = await run_in_threadpool(probe)
    return {
        "status": "ok",
        "version": __version__,
        "revision": revision,
        "demo": services.settings.demo,
    }
