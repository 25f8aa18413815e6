"""Console page for alert rules and the alert history (editors)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import EDITORS, RequireRole
from freiweg.domain.errors import DomainError
from freiweg.services.alerts import CHANNELS, RULE_KINDS, AlertService, deliver
from freiweg.services.registry import Services
from freiweg.services.staff import StaffSession
from freiweg.web.console_health import sensor_health
from freiweg.web.console_render import private_json, problem_text, render

router = APIRouter(prefix="/console", include_in_schema=False)
Editor = Annotated[StaffSession, Depends(RequireRole(*EDITORS))]


def alert_service(services: Services) -> AlertService:
    """The alert service on the app's database, built once per app."""
    built = getattr(services, "_alerts", None)
    if built is None:
        built = AlertService(
            database=services.database,
            clock=services.clock,
            crowd=services.crowd,
            health=sensor_health(services),
            send=deliver(services.settings),
            forecasts=services.forecasts,
        )
        services._alerts = built  # type: ignore[attr-defined]
    return built


def _alerts(services: Services) -> dict[str, Any]:
    service = alert_service(services)
    return {"rules": service.rules(), "history": service.history(), "kinds": RULE_KINDS, "channels": CHANNELS}


async def _page(
    request: Request, services: Services, session: StaffSession, extra: dict[str, Any], status_code: int = 200
) -> Response:
    data = {**(await run_in_threadpool(_alerts, services)), **extra}
    return render(request, services, "console/alerts.html", data, session, status_code=status_code)


@router.get("/alerts.json")
async def alerts_json(services: ServicesDep, _session: Editor) -> Response:
    """Alert rules and history."""
    data = await run_in_threadpool(_alerts, services)
    return private_json({"rules": data["rules"], "history": data["history"]})


@router.get("/alerts")
async def alerts_page(request: Request, services: ServicesDep, session: Editor) -> Response:
    """Alert rules, a form for a new one, and the history."""
    return await _page(request, services, session, {})


@router.post("/alerts")
async def add_rule(
    request: Request,
    services: ServicesDep,
    session: Editor,
    kind: Annotated[str, Form()],
    subject: Annotated[str, Form()],
    channel: Annotated[str, Form()],
    target: Annotated[str, Form()],
    threshold: Annotated[str, Form()] = "",
    minutes: Annotated[int, Form()] = 0,
) -> Response:
    """Store a new alert rule."""
    try:
        await run_in_threadpool(
            lambda: alert_service(services).add_rule(
                kind=kind,
                subject=subject,
                threshold=threshold,
                minutes=minutes,
                channel=channel,
                target=target,
            )
        )
    except DomainError as error:
        status, text = problem_text(error)
        return await _page(request, services, session, {"error": text}, status)
    return await _page(request, services, session, {}, 201)


@router.post("/alerts/check")
async def check_now(request: Request, services: ServicesDep, session: Editor) -> Response:
    """Check every rule now (the `freiweg alerts run` job does this periodically)."""
    await run_in_threadpool(alert_service(services).check)
    return await _page(request, services, session, {})
