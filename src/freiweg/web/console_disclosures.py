"""Console pages for disclosures (editors): list, edit a draft (purpose first), publish, see the history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import EDITORS, RequireRole
from freiweg.domain.errors import DomainError
from freiweg.services.disclosures import EDITABLE_FIELDS, EDITABLE_TEXTS, editable_values
from freiweg.services.registry import Services
from freiweg.services.staff import StaffSession
from freiweg.transparency.disclosures import LANGUAGES
from freiweg.web.console_render import private_json, problem_text, render

router = APIRouter(prefix="/console", include_in_schema=False)
Editor = Annotated[StaffSession, Depends(RequireRole(*EDITORS))]


def _local(services: Services, moment: int | None) -> str | None:
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, ZoneInfo(services.settings.timezone)).isoformat()


def _overview(services: Services) -> dict[str, Any]:
    rows = services.transparency.disclosures.overview()
    for row in rows:
        row["published_at_local"] = _local(services, row["published_at"])
        row["draft_saved_at_local"] = _local(services, row["draft_saved_at"])
    return {"disclosures": rows}


def _sensor(services: Services, sensor_id: str) -> dict[str, Any]:
    disclosures = services.transparency.disclosures
    draft = disclosures.working_draft(sensor_id)
    versions = disclosures.versions(sensor_id)
    return {
        "sensor": sensor_id,
        "status": "draft" if draft.saved or not versions else "published",
        "draft": {
            "saved": draft.saved,
            "based_on": draft.based_on,
            "saved_at": draft.saved_at,
            "saved_at_local": _local(services, draft.saved_at),
            "saved_by": draft.saved_by,
            "document": draft.document,
        },
        "fields": editable_values(draft.document),
        "versions": [
            {
                "version": v.version,
                "published_at": v.published_at,
                "published_at_local": _local(services, v.published_at),
                "sha256": v.sha256,
                "log_seq": v.log_seq,
                "purpose": v.document.get("purpose"),
            }
            for v in versions
        ],
    }


async def _sensor_page(
    request: Request,
    services: Services,
    session: StaffSession,
    sensor_id: str,
    extra: dict[str, Any],
    status_code: int = 200,
) -> Response:
    try:
        data = await run_in_threadpool(_sensor, services, sensor_id)
    except DomainError as error:
        status, text = problem_text(error)
        overview = await run_in_threadpool(_overview, services)
        return render(
            request,
            services,
            "console/disclosures.html",
            {**overview, "error": text},
            session,
            status_code=status,
        )
    data.update(extra)
    data["texts"] = EDITABLE_TEXTS
    data["languages"] = LANGUAGES
    return render(request, services, "console/disclosure.html", data, session, status_code=status_code)


@router.get("/disclosures.json")
async def disclosures_json(services: ServicesDep, _session: Editor) -> Response:
    """Every sensor's disclosure: draft or published, version, when."""
    return private_json(await run_in_threadpool(_overview, services))


@router.get("/disclosures")
async def disclosures_page(request: Request, services: ServicesDep, session: Editor) -> Response:
    """The list of disclosures with their status."""
    data = await run_in_threadpool(_overview, services)
    return render(request, services, "console/disclosures.html", data, session)


@router.get("/disclosures/{sensor_id}.json")
async def disclosure_json(sensor_id: str, services: ServicesDep, _session: Editor) -> Response:
    """A sensor's working draft, its editable fields and every published version."""
    try:
        data = await run_in_threadpool(_sensor, services, sensor_id)
    except DomainError as error:
        status, text = problem_text(error)
        return private_json({"error": text}, status_code=status)
    return private_json(data)


@router.get("/disclosures/{sensor_id}")
async def disclosure_page(
    sensor_id: str, request: Request, services: ServicesDep, session: Editor
) -> Response:
    """The draft form (purpose first) and the history of versions."""
    return await _sensor_page(request, services, session, sensor_id, {})


@router.post("/disclosures/{sensor_id}")
async def save_draft(sensor_id: str, request: Request, services: ServicesDep, session: Editor) -> Response:
    """Save the edited fields as the sensor's draft (not public); an invalid draft is refused whole."""
    form = await request.form()
    changes = {name: str(form[name]) for name in EDITABLE_FIELDS if name in form}
    try:
        await run_in_threadpool(
            lambda: services.transparency.disclosures.save_draft(sensor_id, changes, by=session.member.name)
        )
    except DomainError as error:
        status, text = problem_text(error)
        # The form keeps what was typed, so one wrong field does not cost the others.
        return await _sensor_page(
            request, services, session, sensor_id, {"error": text, "typed": changes}, status
        )
    return await _sensor_page(request, services, session, sensor_id, {"saved_now": True})


@router.post("/disclosures/{sensor_id}/publish")
async def publish(sensor_id: str, request: Request, services: ServicesDep, session: Editor) -> Response:
    """Publish the working draft as a new version; the log entry is written in the same transaction."""
    try:
        published = await run_in_threadpool(services.transparency.disclosures.publish, sensor_id)
    except DomainError as error:
        status, text = problem_text(error)
        return await _sensor_page(request, services, session, sensor_id, {"error": text}, status)
    done = {"version": published.version, "log_seq": published.log_seq}
    return await _sensor_page(request, services, session, sensor_id, {"published_now": done}, 201)


@router.post("/disclosures/{sensor_id}/discard")
async def discard(sensor_id: str, request: Request, services: ServicesDep, session: Editor) -> Response:
    """Throw the saved draft away; the published version stays."""
    try:
        await run_in_threadpool(services.transparency.disclosures.discard_draft, sensor_id)
    except DomainError as error:
        status, text = problem_text(error)
        return await _sensor_page(request, services, session, sensor_id, {"error": text}, status)
    return RedirectResponse(f"/console/disclosures/{sensor_id}", status_code=303)
