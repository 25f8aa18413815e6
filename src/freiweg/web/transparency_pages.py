"""Transparency pages: sensors, register, processing record, not collected, the log; all with JSON twins."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from freiweg import __version__
from freiweg.api.deps import ServicesDep
from freiweg.web.i18n import LANGUAGE_COOKIE, choose_language, supported
from freiweg.web.pages import PAGE_HEADERS, TEMPLATES, remember_language
from freiweg.web.participation_pages import feedback_section, published_feedback
from freiweg.web.public_forms import FORM_FIELD, form_token, keep_form_token
from freiweg.web.transparency_i18n import MESSAGES, client_messages, translate

router = APIRouter(include_in_schema=False)
MAP_WIDTH = 600
MAP_HEIGHT = 400


def format_time(epoch_seconds: int | None, timezone: str) -> str:
    """A local date and time, e.g. 13.06.2026 12:05, or an empty string."""
    if epoch_seconds is None:
        return ""
    return (
        datetime.fromtimestamp(epoch_seconds, UTC).astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")
    )


def render(
    request: Request, services: Any, template: str, data: dict[str, Any], lang: str | None
) -> Response:
    """A transparency page in the visitor's language, with the data and helpers templates use."""
    language = choose_language(
        lang, request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
    )
    timezone = services.settings.timezone
    context = {
        "view": {"language": language, "demo": services.settings.demo},
        "data": data,
        "lang": language,
        "_": partial(translate, language),
        "t": lambda value: value.get(language, "") if isinstance(value, dict) else value,
        "when": lambda value: format_time(value, timezone),
        "kind_text": lambda kind: MESSAGES[language].get(f"entry.{kind}", kind),
        "say": lambda key, fallback: MESSAGES[language].get(key, fallback),
        "client": client_messages(language),
        "version": __version__,
        "public_url": services.settings.public_url.rstrip("/"),
    }
    response = TEMPLATES.TemplateResponse(request, template, context, headers=PAGE_HEADERS)
    response.headers["Content-Language"] = language
    if supported(lang):
        remember_language(response, language, secure=request.url.scheme == "https")
    return response


def place_sensors(sensors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """SVG positions for sensors with a location, scaled to fit the map with true proportions."""
    located = [s for s in sensors if s["location"]]
    if not located:
        return []
    lons = [s["location"][0] for s in located]
    lats = [s["location"][1] for s in located]
    squeeze = math.cos(math.radians(sum(lats) / len(lats)))
    width = max((max(lons) - min(lons)) * squeeze, 1e-4)
    height = max(max(lats) - min(lats), 1e-4)
    scale = min((MAP_WIDTH - 60) / width, (MAP_HEIGHT - 60) / height)
    return [
        {
            **s,
            "number": i + 1,
            "x": round(30 + (s["location"][0] - min(lons)) * squeeze * scale, 1),
            "y": round(MAP_HEIGHT - 30 - (s["location"][1] - min(lats)) * scale, 1),
        }
        for i, s in enumerate(located)
    ]


@router.api_route("/sensors.json", methods=["GET", "HEAD"])
async def register_json(services: ServicesDep) -> JSONResponse:
    """The sensor register as data."""
    return JSONResponse(await run_in_threadpool(services.transparency.register))


@router.api_route("/sensors", methods=["GET", "HEAD"])
async def register_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """All sensors on a map and in a list, with status and disclosure."""
    data = await run_in_threadpool(services.transparency.register)
    data = {
        **data,
        "placed": place_sensors(data["sensors"]),
        "map": {"width": MAP_WIDTH, "height": MAP_HEIGHT},
    }
    return render(request, services, "transparency/register.html", data, lang)


@router.api_route("/sensors/{sensor_id}.json", methods=["GET", "HEAD"])
async def sensor_json(sensor_id: str, services: ServicesDep) -> JSONResponse:
    """One sensor's page as data, with the published feedback its page shows."""
    data = await run_in_threadpool(services.transparency.sensor_page, sensor_id)
    feedback = await run_in_threadpool(published_feedback, services, f"sensor:{sensor_id}")
    return JSONResponse({**data, "feedback": feedback})


@router.api_route("/sensors/{sensor_id}", methods=["GET", "HEAD"])
async def sensor_page(
    sensor_id: str, request: Request, services: ServicesDep, lang: str | None = None
) -> Response:
    """One sensor: what it is for, how it works, live facts."""
    data = await run_in_threadpool(services.transparency.sensor_page, sensor_id)
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    language = choose_language(lang, cookie, request.headers.get("accept-language"))
    notice = request.query_params.get("feedback")
    token = form_token(request)  # for the feedback forms and the check (survey/sensor_check.html)
    section = await run_in_threadpool(
        feedback_section, services, f"sensor:{sensor_id}", language, notice, token=token
    )
    page = {**data, "feedback": section, "form_token": token, "form_field": FORM_FIELD}
    response = render(request, services, "transparency/sensor.html", page, lang)
    keep_form_token(request, response, token)
    return response


@router.api_route("/transparency/processing.json", methods=["GET", "HEAD"])
async def processing_json(services: ServicesDep) -> JSONResponse:
    """The record of processing activities as data."""
    return JSONResponse(await run_in_threadpool(services.transparency.processing_register))


@router.api_route("/transparency/processing", methods=["GET", "HEAD"])
async def processing_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """The record of processing activities (GDPR Art. 30), generated from the data."""
    data = await run_in_threadpool(services.transparency.processing_register)
    return render(request, services, "transparency/processing.html", data, lang)


@router.api_route("/transparency/not-collected.json", methods=["GET", "HEAD"])
async def not_collected_json(services: ServicesDep) -> JSONResponse:
    """What freiweg never collects, as data."""
    return JSONResponse(services.transparency.not_collected())


@router.api_route("/transparency/not-collected", methods=["GET", "HEAD"])
async def not_collected_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """Plain answers to the common fears."""
    return render(
        request, services, "transparency/not_collected.html", services.transparency.not_collected(), lang
    )


@router.api_route("/transparency.json", methods=["GET", "HEAD"])
async def log_json(services: ServicesDep) -> JSONResponse:
    """The log page as data."""
    return JSONResponse(await run_in_threadpool(services.transparency.log_page))


@router.api_route("/transparency", methods=["GET", "HEAD"])
async def log_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """The public log: the browser check, witnesses, newest entries, staff accesses, releases."""
    data = await run_in_threadpool(services.transparency.log_page)
    return render(request, services, "transparency/log.html", data, lang)
