"""Public pages: the live page at / and its JSON twin at /index.json."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg import __version__
from freiweg.api.deps import ServicesDep
from freiweg.api.routes.areas import snapshot_response
from freiweg.web.guidance_i18n import say
from freiweg.web.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_SECONDS, choose_language, supported
from freiweg.web.presenters import client_settings, present_home, refresh_seconds

STATIC = Path(__file__).parent / "static"
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")

# The page depends on the language cookie and header, and must be revalidated to stay live.
PAGE_HEADERS = {"Cache-Control": "no-cache", "Vary": "Accept-Language, Cookie"}

router = APIRouter(include_in_schema=False)


def mount_static(app: FastAPI) -> None:
    """Serve the pages' CSS and scripts under /static."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def remember_language(response: Response, language: str, *, secure: bool) -> None:
    """Keep a language chosen with ?lang= for a year: a preference cookie, nothing else."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_SECONDS,
        path="/",
        samesite="lax",
        secure=secure,
    )


@router.api_route("/", methods=["GET", "HEAD"])
async def home(
    request: Request, services: ServicesDep, lang: str | None = None, refresh: str | None = None
) -> Response:
    """The live page: how busy every area is, on a map and in a list."""
    snapshot = await run_in_threadpool(services.crowd.overview)
    language = choose_language(
        lang, request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
    )
    now = services.clock()
    view = present_home(snapshot.payload, language=language, now=now, timezone=services.settings.timezone)
    context = {
        "view": view,
        "_": partial(say, language),
        "client": client_settings(
            language,
            tile_url=services.settings.tile_url,
            tile_attribution=services.settings.tile_attribution,
        ),
        "etag": snapshot.etag,
        "now": int(now.timestamp()),
        "timezone": services.settings.timezone,
        "refresh": refresh_seconds(refresh),
        "version": __version__,
    }
    response = TEMPLATES.TemplateResponse(request, "home.html", context, headers=PAGE_HEADERS)
    response.headers["Content-Language"] = language
    if supported(lang):
        remember_language(response, language, secure=request.url.scheme == "https")
    return response


@router.api_route("/index.json", methods=["GET", "HEAD"])
async def home_json(request: Request, services: ServicesDep) -> Response:
    """The live page as data: the same payload as /api/v1/areas."""
    snapshot = services.crowd.memoised_overview()
    if snapshot is None:
        snapshot = await run_in_threadpool(services.crowd.overview)
    return snapshot_response(request, snapshot)
