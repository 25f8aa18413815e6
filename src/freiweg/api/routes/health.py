"""Liveness and readiness for operators and load balancers."""

from __future__ import annotations

from fastapi import APIRouter

from freiweg import __version__
from freiweg.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["operations"])


@router.get("/health")
async def health(services: ServicesDep) -> dict[str, object]:
    """Whether this process reaches the database, and which version it runs."""
    revision = services.database.peek_revision()
    return {
        "status": "ok",
        "version": __version__,
        "revision": revision,
        "demo": services.settings.demo,
    }
