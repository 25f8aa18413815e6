"""Sensor health for staff, the public status page, and purpose-bound per-minute counts for analysts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import ANALYSTS, EDITORS, RequireRole
from freiweg.domain.errors import DomainError
from freiweg.services.jobs import job_status
from freiweg.services.registry import Services
from freiweg.services.sensor_health import SensorHealthService
from freiweg.services.staff import StaffSession
from freiweg.services.staff_reads import StaffReads
from freiweg.web.console_i18n import MESSAGES
from freiweg.web.console_render import language_of, private_json, problem_text, render
from freiweg.web.transparency_pages import render as render_public

router = APIRouter(include_in_schema=False)
HealthReader = Annotated[StaffSession, Depends(RequireRole(*EDITORS, *ANALYSTS))]
Analyst = Annotated[StaffSession, Depends(RequireRole(*ANALYSTS))]


def sensor_health(services: Services) -> SensorHealthService:
    """The health service on the app's database, built once per app."""
    built = getattr(services, "_sensor_health", None)
    if built is None:
        built = SensorHealthService(
            database=services.database,
            clock=services.clock,
            tolerance=services.settings.stale_after_intervals,
        )
        services._sensor_health = built  # type: ignore[attr-defined]
    return built


def _health(services: Services) -> dict[str, Any]:
    return {
        "sensors": sensor_health(services).report(),
        "jobs": job_status(services.database, services.settings.timezone),
    }


@router.get("/console/health.json")
async def health_json(services: ServicesDep, _session: HealthReader) -> Response:
    """Per sensor: last count, interval, gaps, software, clock, queue drops; and the jobs' last runs."""
    return private_json(await run_in_threadpool(_health, services))


@router.get("/console/health")
async def health_page(request: Request, services: ServicesDep, session: HealthReader) -> Response:
    """Sensor health and the scheduled jobs as tables."""
    data = await run_in_threadpool(_health, services)
    return render(request, services, "console/health.html", data, session)


@router.api_route("/status.json", methods=["GET", "HEAD"])
async def status_json(services: ServicesDep) -> JSONResponse:
    """Which sensors are live, as data: no internal detail."""
    data = await run_in_threadpool(sensor_health(services).public_status)
    return JSONResponse(data, headers={"Cache-Control": "no-cache"})


@router.api_route("/status", methods=["GET", "HEAD"])
async def status_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """The public status page: which sensors are live."""
    data = await run_in_threadpool(sensor_health(services).public_status)
    language = lang if lang in MESSAGES else language_of(request)
    return render_public(request, services, "console/status.html", {**data, "text": MESSAGES[language]}, lang)


async def _counts(
    services: Services, session: StaffSession, sensor: str | None, purpose: str | None
) -> tuple[int, dict[str, Any]]:
    purposes = await run_in_threadpool(services.transparency.access.purposes)
    data: dict[str, Any] = {
        "purposes": [p for p in purposes if "minute_counts" in p["scopes"]],  # type: ignore[operator]
        "sensor": sensor or "",
        "purpose": purpose or "",
        "result": None,
        "error": None,
    }
    if not sensor or not purpose:
        return 200, data
    reads = StaffReads(database=services.database, clock=services.clock, access=services.transparency.access)
    try:
        data["result"] = await run_in_threadpool(
            lambda: reads.minute_counts(sensor, role=session.member.role, purpose_id=purpose)
        )
    except DomainError as error:
        status, data["error"] = problem_text(error)
        return (403 if status == 409 else status), data
    return 200, data


@router.get("/console/counts.json")
async def counts_json(
    services: ServicesDep, session: Analyst, sensor: str | None = None, purpose: str | None = None
) -> Response:
    """A sensor's per-minute counts of the last day; needs a registered purpose, and the access is logged."""
    status, data = await _counts(services, session, sensor, purpose)
    return private_json(data, status_code=status)


@router.get("/console/counts")
async def counts_page(
    request: Request,
    services: ServicesDep,
    session: Analyst,
    sensor: str | None = None,
    purpose: str | None = None,
) -> Response:
    """Per-minute counts behind a purpose form."""
    status, data = await _counts(services, session, sensor, purpose)
    return render(request, services, "console/counts.html", data, session, status_code=status)
