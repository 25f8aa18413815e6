"""Rendering console pages: language, the signed-in member, the CSRF token and no caching."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import Request
from starlette.responses import JSONResponse, Response

from freiweg import __version__
from freiweg.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from freiweg.services.registry import Services
from freiweg.services.staff import StaffSession
from freiweg.web.console_i18n import translate
from freiweg.web.i18n import LANGUAGE_COOKIE, choose_language
from freiweg.web.pages import TEMPLATES

# Console pages hold non-public data and one-time secrets: never stored by a browser or a proxy.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Vary": "Accept-Language, Cookie"}


def language_of(request: Request) -> str:
    """The language of a console request (?lang=, cookie, Accept-Language; German by default)."""
    return choose_language(
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
    )


def render(
    request: Request,
    services: Services,
    template: str,
    data: dict[str, Any],
    session: StaffSession | None,
    *,
    status_code: int = 200,
    csrf: str | None = None,
) -> Response:
    """A console page in the member's language."""
    language = language_of(request)
    context = {
        "view": {"language": language, "demo": services.settings.demo},
        "data": data,
        "member": session.member if session else None,
        "csrf": csrf or (session.csrf if session else ""),
        "_": partial(translate, language),
        "version": __version__,
        "path": request.url.path,
    }
    response = TEMPLATES.TemplateResponse(
        request, template, context, status_code=status_code, headers=PRIVATE_HEADERS
    )
    response.headers["Content-Language"] = language
    return response


def private_json(data: Any, status_code: int = 200) -> JSONResponse:
    """A console page's JSON twin, never cached."""
    return JSONResponse(data, status_code=status_code, headers={"Cache-Control": "no-store"})


def problem_text(error: DomainError) -> tuple[int, str]:
    """HTTP status and one line for a service refusal shown in a console form."""
    if isinstance(error, InvalidInput):
        return 422, str(error)
    if isinstance(error, NotFound):
        return 404, str(error)
    if isinstance(error, Conflict):
        return 409, str(error)
    return 400, str(error)
