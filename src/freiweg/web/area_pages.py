"""The area page (now, today's curve, best times, quieter places, how it is made) and the places list."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.web.area_chart import forecast_chart
from freiweg.web.guidance_i18n import MESSAGES
from freiweg.web.guidance_render import language_of, render, twin
from freiweg.web.participation_pages import feedback_section, published_feedback
from freiweg.web.presenters import clock_text, has_estimate, level_texts, people_text
from freiweg.web.public_forms import form_token, keep_form_token

router = APIRouter(include_in_schema=False)


def now_texts(area: dict[str, Any], *, language: str, now: datetime, zone: ZoneInfo) -> dict[str, str]:
    """The area's state now in words: level, people with range, time, compared with usual."""
    level_text, _map_text, _fill = level_texts(area, zone=zone, now=now, language=language)
    live = has_estimate(area)
    updated = clock_text(area["updated_at"], zone=zone, now=now, language=language) if live else ""
    usual = area.get("usual")
    return {
        "level_text": level_text,
        "people_text": people_text(area["people"], language) if live else "",
        "time_text": MESSAGES[language]["as_of"].format(time=updated) if updated else "",
        "usual_text": MESSAGES[language][f"usual.{usual['comparison']}"] if live and usual else "",
    }


@router.api_route("/areas/{area_id}.json", methods=["GET", "HEAD"])
async def area_json(area_id: str, services: ServicesDep) -> Response:
    """The area page as data, with the published feedback its page shows."""
    data = await run_in_threadpool(services.guidance.guide.area_day, area_id)
    feedback = await run_in_threadpool(published_feedback, services, f"area:{area_id}")
    return twin({**data, "feedback": feedback})


@router.api_route("/areas/{area_id}", methods=["GET", "HEAD"])
async def area_page(
    area_id: str, request: Request, services: ServicesDep, lang: str | None = None
) -> Response:
    """One area: now, today, when to come, what instead, how it is measured."""
    data = await run_in_threadpool(services.guidance.guide.area_day, area_id)
    language = language_of(request, lang)
    zone = ZoneInfo(services.settings.timezone)
    now = services.clock().astimezone(zone)
    places_by_id = {p["id"]: p for p in data["places"]}
    token = form_token(request)
    response = render(
        request,
        services,
        "guidance/area.html",
        data,
        lang=lang,
        json_href=f"/areas/{area_id}.json",
        extra={
            "now": now_texts(data, language=language, now=now, zone=zone),
            "chart": forecast_chart(data, now=now, language=language),
            "places_by_id": places_by_id,
            "feedback": await run_in_threadpool(
                feedback_section,
                services,
                f"area:{area_id}",
                language,
                request.query_params.get("feedback"),
                token=token,
            ),
        },
    )
    keep_form_token(request, response, token)
    return response


@router.api_route("/places.json", methods=["GET", "HEAD"])
async def places_json(services: ServicesDep) -> Response:
    """Every curated place with its area's level now."""
    return twin({"places": await run_in_threadpool(services.guidance.guide.places_overview)})


@router.api_route("/places", methods=["GET", "HEAD"])
async def places_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """Sights, museums and viewpoints with kind, area, level and opening hours."""
    places = await run_in_threadpool(services.guidance.guide.places_overview)
    areas = (await run_in_threadpool(services.crowd.overview)).payload["areas"]
    return render(
        request,
        services,
        "guidance/places.html",
        {"places": places},
        lang=lang,
        json_href="/places.json",
        extra={"area_names": {a["id"]: a["name"] for a in areas}},
    )
