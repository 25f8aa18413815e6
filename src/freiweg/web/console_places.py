"""Console page for places (editors): sights, museums, viewpoints; the same service as `freiweg place`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import EDITORS, RequireRole
from freiweg.domain.errors import DomainError
from freiweg.guidance.places import PlaceCategory
from freiweg.services.guidance import place_facts
from freiweg.services.registry import Services
from freiweg.services.staff import StaffSession
from freiweg.web.console_render import private_json, problem_text, render

router = APIRouter(prefix="/console", include_in_schema=False)
Editor = Annotated[StaffSession, Depends(RequireRole(*EDITORS))]


def _places(services: Services) -> dict[str, Any]:
    return {
        "places": [place_facts(p) for p in services.guidance.places.places()],
        "areas": [a.id for a in services.areas.list_areas()],
        "categories": [c.value for c in PlaceCategory],
    }


async def _page(
    request: Request, services: Services, session: StaffSession, extra: dict[str, Any], status_code: int = 200
) -> Response:
    data = {**(await run_in_threadpool(_places, services)), **extra}
    editing = request.query_params.get("edit")
    if "form" not in data:
        data["form"] = next((p for p in data["places"] if p["id"] == editing), None)
    return render(request, services, "console/places.html", data, session, status_code=status_code)


@router.get("/places.json")
async def places_json(services: ServicesDep, _session: Editor) -> Response:
    """Every place with category, area, coordinates and opening hours."""
    return private_json(await run_in_threadpool(_places, services))


@router.get("/places")
async def places_page(request: Request, services: ServicesDep, session: Editor) -> Response:
    """Places: list, add, edit (?edit=ID) and remove."""
    return await _page(request, services, session, {})


@router.post("/places")
async def save_place(
    request: Request,
    services: ServicesDep,
    session: Editor,
    place_id: Annotated[str, Form()],
    name_de: Annotated[str, Form()],
    name_en: Annotated[str, Form()],
    category: Annotated[str, Form()],
    area_id: Annotated[str, Form()],
    lon: Annotated[str, Form()],
    lat: Annotated[str, Form()],
    opening_hours: Annotated[str, Form()],
    capacity: Annotated[str, Form()] = "60",
    visit_minutes: Annotated[str, Form()] = "45",
) -> Response:
    """Create or change a place with the same validation as `freiweg place add`; nothing partial."""
    fields = {
        "id": place_id.strip(),
        "name_de": name_de,
        "name_en": name_en,
        "category": category,
        "area_id": area_id,
        "lon": lon.strip().replace(",", "."),
        "lat": lat.strip().replace(",", "."),
        "opening_hours": opening_hours,
        "capacity": capacity.strip(),
        "visit_minutes": visit_minutes.strip(),
    }
    try:
        created = await run_in_threadpool(services.guidance.places.save_place, fields)
    except DomainError as error:
        status, text = problem_text(error)
        # The form keeps what was typed, so one wrong field does not cost the others.
        form = {**fields, "name": {"de": name_de, "en": name_en}}
        return await _page(request, services, session, {"error": text, "form": form}, status)
    saved = {"id": fields["id"], "created": created}
    return await _page(request, services, session, {"saved": saved, "form": None}, 201 if created else 200)


@router.post("/places/{place_id}/remove")
async def remove_place(place_id: str, request: Request, services: ServicesDep, session: Editor) -> Response:
    """Delete a place."""
    try:
        await run_in_threadpool(services.guidance.places.remove_place, place_id)
    except DomainError as error:
        status, text = problem_text(error)
        return await _page(request, services, session, {"error": text}, status)
    return RedirectResponse("/console/places", status_code=303)
