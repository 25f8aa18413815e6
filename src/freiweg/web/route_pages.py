"""The route page: from A to B on foot around the crowds, on a map and as steps."""

from __future__ import annotations

from typing import Any

import xstatic.pkg.leaflet as leaflet
from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.domain.errors import NotFound
from freiweg.guidance.routing import DEFAULT_MAX_DETOUR, NoRoute
from freiweg.web.guidance_render import area_shapes, language_of, level_fill, level_words, render, twin

router = APIRouter(include_in_schema=False)


def mount_leaflet(app: FastAPI) -> None:
    """Serve Leaflet from its installed package under /static/leaflet: no CDN at run time."""
    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")


def detour_fraction(raw: str | None) -> float:
    """A detour given in percent (0 to 100) as a fraction; the default when absent or unreadable."""
    try:
        percent = float(raw) if raw not in (None, "") else DEFAULT_MAX_DETOUR * 100
    except ValueError:
        return DEFAULT_MAX_DETOUR
    return min(max(percent, 0.0), 100.0) / 100


def find_route(services: Any, origin: str | None, destination: str | None, detour: float) -> dict[str, Any]:
    """The route page's data: the endpoints to choose from and, when both are given, the route."""
    guide = services.guidance.guide
    data: dict[str, Any] = {"from": origin, "to": destination, "max_detour": detour, "route": None}
    if origin and destination:
        data["route"] = guide.route(origin, destination, max_detour=detour)
    return data


@router.api_route("/route.json", methods=["GET", "HEAD"])
async def route_json(request: Request, services: ServicesDep, detour: str | None = None) -> Response:
    """The route as data (from, to: place, area or junction ids; detour in percent)."""
    origin, destination = request.query_params.get("from"), request.query_params.get("to")
    return twin(await run_in_threadpool(find_route, services, origin, destination, detour_fraction(detour)))


@router.api_route("/route", methods=["GET", "HEAD"])
async def route_page(
    request: Request, services: ServicesDep, lang: str | None = None, detour: str | None = None
) -> Response:
    """Choose start and destination; see the quietest reasonable way as steps and on a map."""
    origin, destination = request.query_params.get("from"), request.query_params.get("to")
    fraction = detour_fraction(detour)
    problem = None
    try:
        data = await run_in_threadpool(find_route, services, origin, destination, fraction)
    except (NotFound, NoRoute) as error:
        data, problem = {"route": None}, str(error)
    endpoints = await run_in_threadpool(services.guidance.guide.endpoints)
    extra: dict[str, Any] = {
        "endpoints": endpoints,
        "chosen_from": origin,
        "chosen_to": destination,
        "detour_percent": round(fraction * 100),
        "problem": problem,
        "avoided": "",
    }
    if data.get("route"):
        language = language_of(request, lang)
        areas = (await run_in_threadpool(services.crowd.overview)).payload["areas"]
        line = data["route"]["geometry"]["coordinates"]
        projection, shapes = area_shapes(areas, line)
        extra["map"] = {
            "width": projection.width,
            "height": projection.height,
            "shapes": shapes,
            "route": projection.path(line, closed=False),
            # What the Leaflet map draws on top of the SVG, when the script runs.
            "leaflet": {
                "tiles": services.settings.tile_url,
                "attribution": services.settings.tile_attribution,
                "route": line,
                "areas": [
                    {
                        "name": a["name"][language],
                        "level": a["level"],
                        "text": level_words(language, a["level"]),
                        "fill": level_fill(a["level"], a["status"]),
                        "ring": a["geometry"]["coordinates"][0],
                    }
                    for a in areas
                ],
            },
        }
        names = {a["id"]: a["name"][language] for a in areas}
        extra["avoided"] = ", ".join(names.get(a, a) for a in data["route"]["avoided_areas"])
    return render(
        request,
        services,
        "guidance/route.html",
        data,
        lang=lang,
        json_href="/route.json?" + str(request.query_params),
        extra=extra,
    )
