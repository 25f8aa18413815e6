"""Console page for the events calendar (editors): the same service as the events API and CLI."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import EDITORS, RequireRole
from freiweg.domain.errors import DomainError, FieldProblem, InvalidInput
from freiweg.services.events import EventInput
from freiweg.services.registry import Services
from freiweg.services.staff import StaffSession
from freiweg.web.console_render import private_json, problem_text, render

router = APIRouter(prefix="/console", include_in_schema=False)
Editor = Annotated[StaffSession, Depends(RequireRole(*EDITORS))]


def _events(services: Services) -> dict[str, Any]:
    return {"events": services.events.list(), "areas": [a.id for a in services.areas.list_areas()]}


async def _page(
    request: Request, services: Services, session: StaffSession, extra: dict[str, Any], status_code: int = 200
) -> Response:
    data = {**(await run_in_threadpool(_events, services)), **extra}
    return render(request, services, "console/events.html", data, session, status_code=status_code)


def _local(value: str, field: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(
            [FieldProblem(None, field, "must be a date and time like 2026-08-20T18:00")],
            title="The event was not stored.",
        ) from error


@router.get("/events.json")
async def events_json(services: ServicesDep, _session: Editor) -> Response:
    """Every event in the calendar."""
    return private_json(await run_in_threadpool(_events, services))


@router.get("/events")
async def events_page(request: Request, services: ServicesDep, session: Editor) -> Response:
    """The events calendar with a form for a new event."""
    return await _page(request, services, session, {})


@router.post("/events")
async def add_event(
    request: Request,
    services: ServicesDep,
    session: Editor,
    name: Annotated[str, Form()],
    start: Annotated[str, Form()],
    end: Annotated[str, Form()],
    areas: Annotated[list[str] | None, Form()] = None,
    expected_effect: Annotated[str, Form()] = "",
) -> Response:
    """Add an event in local time; logged by the events service."""
    try:
        try:
            effect = float(expected_effect) if expected_effect.strip() else None
        except ValueError as error:
            raise InvalidInput([FieldProblem(None, "expected_effect", "must be a number")]) from error
        entry = EventInput(name, _local(start, "start"), _local(end, "end"), tuple(areas or ()), effect)
        await run_in_threadpool(services.events.add, entry)
    except DomainError as error:
        status, text = problem_text(error)
        return await _page(request, services, session, {"error": text}, status)
    return await _page(request, services, session, {}, 201)


@router.post("/events/{event_id}/remove")
async def remove_event(event_id: int, request: Request, services: ServicesDep, session: Editor) -> Response:
    """Remove an event; logged."""
    try:
        await run_in_threadpool(services.events.remove, event_id)
    except DomainError as error:
        status, text = problem_text(error)
        return await _page(request, services, session, {"error": text}, status)
    return RedirectResponse("/console/events", status_code=303)
