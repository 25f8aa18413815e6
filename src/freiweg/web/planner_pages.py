"""The group planner page: propose an order and slots, reserve them under a group label, cancel."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from freiweg.guidance.planner import MAX_PLACES
from freiweg.services.registry import Services
from freiweg.services.reservations import MAX_GROUP, MAX_LABEL, ReservationConflict, UnknownReservation
from freiweg.web.guidance_i18n import say
from freiweg.web.guidance_render import language_of, render, twin
from freiweg.web.public_forms import FORM_FIELD, form_token, form_token_matches, keep_form_token, refused_text

router = APIRouter(include_in_schema=False)
MAX_FORM_BYTES = 8192
# The limits each refused field names, for the translated messages.
FIELD_LIMITS = {"group_label": MAX_LABEL, "group_size": MAX_GROUP, "places": MAX_PLACES, "slots": MAX_PLACES}


def problem_text(error: DomainError, language: str) -> str:
    """Why a plan, reservation or cancellation failed, in the page's language."""
    if isinstance(error, ReservationConflict):
        facts = dict(error.facts)
        if isinstance(facts.get("place"), dict):
            facts["place"] = facts["place"][language]
        return say(language, f"planner.problem.{error.reason}", **facts)
    if isinstance(error, UnknownReservation):
        return say(language, "planner.problem.no_reservation", id=error.reservation_id)
    if isinstance(error, NotFound):
        return say(language, "planner.problem.unknown_place")
    if isinstance(error, InvalidInput):
        texts = [
            say(language, f"planner.problem.{p.field}", max=FIELD_LIMITS[p.field])
            for p in error.problems
            if p.field in FIELD_LIMITS
        ]
        if texts:
            return " ".join(dict.fromkeys(texts))
    return str(error)


def planner_day(services: Services, raw: str | None) -> date:
    """The day asked for (YYYY-MM-DD), else tomorrow in the town's time zone."""
    try:
        return date.fromisoformat(raw) if raw else _tomorrow(services)
    except ValueError:
        return _tomorrow(services)


def _tomorrow(services: Services) -> date:
    return services.clock().astimezone(services.guidance.guide.zone).date() + timedelta(days=1)


def group_size(raw: str | None) -> int:
    """A group size from a form field, 20 when absent or unreadable."""
    try:
        return int(raw) if raw else 20
    except ValueError:
        return 20


def planner_data(services: Services, *, place_ids: list[str], day: date, size: int) -> dict[str, Any]:
    """The plan for the chosen places (if any) and the reserved load of the day."""
    reservations = services.guidance.reservations
    plan = reservations.plan(place_ids=place_ids, day=day, group_size=size) if place_ids else None
    return {
        "day": day.isoformat(),
        "group_size": size,
        "plan": plan,
        "reserved": reservations.day_overview(day),
    }


async def form_fields(request: Request) -> dict[str, list[str]]:
    """The fields of a small urlencoded form."""
    body = await request.body()
    return parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True)


async def show(
    request: Request,
    services: Services,
    *,
    lang: str | None,
    place_ids: list[str],
    day: date,
    size: int,
    message: str | None = None,
    problem: str | None = None,
    status: int | None = None,
) -> Response:
    """Render the planner with an optional proposal, message or problem; its forms carry the token."""
    data: dict[str, Any] = {"day": day.isoformat(), "group_size": size, "plan": None}
    if place_ids and problem is None:
        try:
            data = await run_in_threadpool(planner_data, services, place_ids=place_ids, day=day, size=size)
        except (Conflict, InvalidInput, NotFound) as error:
            problem = problem_text(error, language_of(request, lang))
    places = await run_in_threadpool(services.guidance.guide.places_overview)
    token = form_token(request)
    extra = {
        "places": places,
        "chosen": place_ids,
        "size": size,
        "day": day.isoformat(),
        "message": message,
        "problem": problem,
        "form_token": token,
        "form_field": FORM_FIELD,
    }
    response = render(
        request, services, "guidance/planner.html", data, lang=lang, json_href="/planner.json", extra=extra
    )
    response.status_code = status or (409 if problem else 200)
    keep_form_token(request, response, token)
    return response


@router.api_route("/planner.json", methods=["GET", "HEAD"])
async def planner_json(request: Request, services: ServicesDep) -> Response:
    """The planner as data: the proposal for ?place=…&size=…&day=… and the day's reserved load."""
    query = request.query_params
    data = await run_in_threadpool(
        planner_data,
        services,
        place_ids=query.getlist("place"),
        day=planner_day(services, query.get("day")),
        size=group_size(query.get("size")),
    )
    return twin(data)


@router.api_route("/planner", methods=["GET", "HEAD"])
async def planner_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """Choose group size, day and places; get an order and slots that avoid busy times."""
    query = request.query_params
    return await show(
        request,
        services,
        lang=lang,
        place_ids=query.getlist("place"),
        day=planner_day(services, query.get("day")),
        size=group_size(query.get("size")),
    )


@router.post("/planner/reserve")
async def planner_reserve(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """Reserve the proposed slots under a group label; all of them or none."""
    fields = await form_fields(request)
    language = language_of(request, lang)
    size = group_size((fields.get("size") or [""])[0])
    if not form_token_matches(request, (fields.get(FORM_FIELD) or [""])[0]):
        day = planner_day(services, None)
        return await show(
            request,
            services,
            lang=lang,
            place_ids=[],
            day=day,
            size=size,
            problem=refused_text(language),
            status=403,
        )
    label = (fields.get("label") or [""])[0]
    slots = []
    for raw in fields.get("slot", []):
        place_id, _, start = raw.partition("@")
        try:
            slots.append((place_id, datetime.fromisoformat(start)))
        except ValueError:
            continue
    day = slots[0][1].date() if slots else planner_day(services, None)
    try:
        reserved = await run_in_threadpool(
            lambda: services.guidance.reservations.reserve_slots(
                slots=slots, group_label=label, group_size=size
            )
        )
    except (Conflict, InvalidInput, NotFound) as error:
        problem = problem_text(error, language)
        return await show(request, services, lang=lang, place_ids=[], day=day, size=size, problem=problem)
    ids = ", ".join(str(r.id) for r in reserved)
    message = say(language, "planner.done", id=ids, code=reserved[0].cancel_code)
    return await show(request, services, lang=lang, place_ids=[], day=day, size=size, message=message)


@router.post("/planner/cancel")
async def planner_cancel(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """Cancel a reservation with its cancel code."""
    fields = await form_fields(request)
    language = language_of(request, lang)
    raw_id, code = (fields.get("id") or [""])[0].strip(), (fields.get("code") or [""])[0].strip()
    day = planner_day(services, None)
    if not form_token_matches(request, (fields.get(FORM_FIELD) or [""])[0]):
        return await show(
            request,
            services,
            lang=lang,
            place_ids=[],
            day=day,
            size=20,
            problem=refused_text(language),
            status=403,
        )
    try:
        if not raw_id.isdigit():
            raise UnknownReservation(raw_id)
        await run_in_threadpool(services.guidance.reservations.cancel, int(raw_id), code)
    except (Conflict, NotFound) as error:
        problem = problem_text(error, language)
        return await show(request, services, lang=lang, place_ids=[], day=day, size=20, problem=problem)
    return await show(
        request,
        services,
        lang=lang,
        place_ids=[],
        day=day,
        size=20,
        message=say(language, "planner.cancelled"),
    )
