"""Rendering the guidance pages: language choice, shared context, SVG projection of areas and routes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from freiweg import __version__
from freiweg.web.guidance_i18n import MESSAGES, say
from freiweg.web.i18n import LANGUAGE_COOKIE, choose_language, supported
from freiweg.web.pages import PAGE_HEADERS, TEMPLATES, remember_language
from freiweg.web.presenters import LEVEL_COLOURS, NO_DATA_FILL, NO_SENSOR_COLOUR

MAP_WIDTH = 1000.0
PADDING = 40.0


def language_of(request: Request, lang: str | None) -> str:
    """The page language: ?lang=, then the cookie, then Accept-Language, then German."""
    return choose_language(lang, request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))


def level_words(language: str, level: str | None) -> str:
    """A level in words, never a colour alone."""
    return MESSAGES[language]["level." + level] if level else say(language, "unknown_level")


def level_fill(level: str | None, status: str | None = None) -> str:
    """The map colour of a level."""
    if status == "no_sensor":
        return NO_SENSOR_COLOUR
    return LEVEL_COLOURS.get(level or "", NO_DATA_FILL)


def render(
    request: Request,
    services: Any,
    template: str,
    data: dict[str, Any],
    *,
    lang: str | None,
    json_href: str,
    extra: dict[str, Any] | None = None,
) -> Response:
    """A guidance page in the visitor's language; remembers a language chosen with ?lang=."""
    language = language_of(request, lang)
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch = MESSAGES[language]["switch_language_code"]
    switch_href = "?" + urlencode([*query, ("lang", switch)])
    context = {
        "view": {"language": language, "demo": services.settings.demo},
        "data": data,
        "lang": language,
        "_": partial(say, language),
        "t": lambda value: value.get(language, "") if isinstance(value, dict) else value,
        "level_words": partial(level_words, language),
        "level_fill": level_fill,
        "version": __version__,
        "json_href": json_href,
        "switch_href": switch_href,
        **(extra or {}),
    }
    response = TEMPLATES.TemplateResponse(request, template, context, headers=PAGE_HEADERS)
    response.headers["Content-Language"] = language
    if supported(lang):
        remember_language(response, language, secure=request.url.scheme == "https")
    return response


def twin(data: Any) -> JSONResponse:
    """A page's JSON twin."""
    return JSONResponse(data, headers={"Cache-Control": "no-cache"})


class Projection:
    """Lon/lat to SVG coordinates fitted to a set of points (equirectangular, true to scale in a town)."""

    def __init__(self, points: Sequence[Sequence[float]], width: float = MAP_WIDTH) -> None:
        self.west = min(p[0] for p in points)
        east = max(p[0] for p in points)
        self.south = min(p[1] for p in points)
        self.north = max(p[1] for p in points)
        self.shrink = math.cos(math.radians((self.south + self.north) / 2))
        span = max((east - self.west) * self.shrink, self.north - self.south, 1e-9)
        self.scale = (width - 2 * PADDING) / span
        self.width = width
        self.height = round((self.north - self.south) * self.scale + 2 * PADDING, 1)

    def xy(self, point: Sequence[float]) -> tuple[float, float]:
        """The SVG position of a lon/lat point."""
        x = PADDING + (point[0] - self.west) * self.shrink * self.scale
        y = PADDING + (self.north - point[1]) * self.scale
        return round(x, 1), round(y, 1)

    def path(self, points: Sequence[Sequence[float]], *, closed: bool) -> str:
        """An SVG path through points."""
        text = "M" + " L".join("{} {}".format(*self.xy(p)) for p in points)
        return text + (" Z" if closed else "")


def area_shapes(
    areas: list[dict[str, Any]], extra_points: Sequence[Sequence[float]] = ()
) -> tuple[Projection, list[dict[str, Any]]]:
    """The projection of the areas (and extra points) and each area's outline path and label spot."""
    points = [p for a in areas for p in a["geometry"]["coordinates"][0]] + list(extra_points)
    projection = Projection(points)
    shapes = []
    for area in areas:
        ring = area["geometry"]["coordinates"][0]
        xs, ys = zip(*(projection.xy(p) for p in ring[:-1]), strict=True)
        shapes.append(
            {
                "area": area,
                "path": projection.path(ring, closed=True),
                "label_x": round(sum(xs) / len(xs), 1),
                "label_y": round(sum(ys) / len(ys), 1),
            }
        )
    return projection, shapes
