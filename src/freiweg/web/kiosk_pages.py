"""The kiosk page for screens in the old town and the embeddable widget, each with a JSON twin."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.services.registry import Services
from freiweg.web.guidance_render import language_of, render, twin
from freiweg.web.presenters import level_texts, sort_key
from freiweg.web.presenters import refresh_seconds as parse_refresh

router = APIRouter(include_in_schema=False)
ROTATE_SECONDS = 10
WIDGET_HEADERS = {
    "Cache-Control": "no-cache",
    "Vary": "Accept-Language, Cookie",
    "Content-Security-Policy": "frame-ancestors *",
}


def board(services: Services, language: str) -> dict[str, Any]:
    """Every area with its level in words, sorted by name, and the local time."""
    zone = ZoneInfo(services.settings.timezone)
    now = services.clock().astimezone(zone)
    payload = services.crowd.overview().payload
    areas = []
    for area in sorted(payload["areas"], key=lambda a: sort_key(a["name"][language])):
        text, _map_text, _fill = level_texts(area, zone=zone, now=now, language=language)
        areas.append(
            {
                "id": area["id"],
                "name": area["name"],
                "status": area["status"],
                "level": area["level"],
                "level_text": text,
                "people": area["people"],
                "updated_at": area["updated_at"],
            }
        )
    stamps = [a["updated_at"] for a in areas if a["updated_at"]]
    newest = max(stamps, key=datetime.fromisoformat) if stamps else None
    data_time = datetime.fromisoformat(newest).astimezone(zone).strftime("%H:%M") if newest else None
    return {
        "time": now.strftime("%H:%M"),
        "demo": payload["demo"],
        "data_until": newest,
        "data_time": data_time,
        "areas": areas,
    }


@router.api_route("/kiosk.json", methods=["GET", "HEAD"])
async def kiosk_json(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """The kiosk board as data."""
    return twin(await run_in_threadpool(board, services, language_of(request, lang)))


@router.api_route("/kiosk", methods=["GET", "HEAD"])
async def kiosk_page(
    request: Request, services: ServicesDep, lang: str | None = None, refresh: str | None = None
) -> Response:
    """Large type, every area in words, one highlighted in turn, reloading itself."""
    language = language_of(request, lang)
    data = await run_in_threadpool(board, services, language)
    moment = int(services.clock().timestamp())
    highlight = (moment // ROTATE_SECONDS) % max(len(data["areas"]), 1)
    seconds = parse_refresh(refresh) if refresh else ROTATE_SECONDS
    return render(
        request,
        services,
        "guidance/kiosk.html",
        data,
        lang=lang,
        json_href="/kiosk.json",
        extra={"highlight": highlight, "refresh": seconds},
    )


@router.api_route("/widget.json", methods=["GET", "HEAD"])
async def widget_json(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """The widget as a small JSON: area, level, people, the time of the data and whether it is demo data."""
    data = await run_in_threadpool(board, services, language_of(request, lang))
    small = [
        {
            "id": a["id"],
            "name": a["name"],
            "status": a["status"],
            "level": a["level"],
            "people": a["people"],
            "updated_at": a["updated_at"],
        }
        for a in data["areas"]
    ]
    response = twin({"demo": data["demo"], "data_until": data["data_until"], "areas": small})
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@router.api_route("/widget", methods=["GET", "HEAD"])
async def widget_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """A small page to embed in an iframe on the city's and hotels' websites."""
    language = language_of(request, lang)
    data = await run_in_threadpool(board, services, language)
    response = render(request, services, "guidance/widget.html", data, lang=lang, json_href="/widget.json")
    response.headers.update(WIDGET_HEADERS)
    return response
