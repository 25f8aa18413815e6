"""RFC 9457 problem details: every error says what went wrong and, for input, which item and field."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from freiweg.domain.errors import Conflict, InvalidInput, NotFound
from freiweg.domain.feedback import TooMany
from freiweg.services.intake import Unauthenticated

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("freiweg.requests")


def _refused(request: Request, status: int, reason: str, fields: list[str] | None = None) -> None:
    # The route template, never the concrete path, the body, the caller's address or any header.
    route = getattr(request.scope.get("route"), "path", "unmatched")
    extra: dict[str, Any] = {"status": status, "route": route, "method": request.method, "reason": reason}
    if fields is not None:
        extra["fields"] = sorted(set(fields))[:20]
    logger.info("request refused", extra=extra)


def problem(
    status: int,
    title: str,
    *,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _item_and_field(location: tuple[Any, ...]) -> tuple[int | None, str]:
    parts = [p for p in location if p != "body"]
    index = None
    # Batch items are addressed as <collection>, <index>, <field...>.
    if len(parts) >= 2 and isinstance(parts[1], int):
        index = parts[1]
        parts = parts[2:] or [parts[0]]
    return index, ".".join(str(p) for p in parts) or "body"


def install_problem_handlers(app: FastAPI) -> None:
    """Turn every error into problem+json."""

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        fields = [_item_and_field(tuple(e.get("loc", ())))[1] for e in errors]
        _refused(_request, 422, "invalid request", fields)
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem(
                400,
                "The body is not valid JSON.",
                detail=str(errors[0].get("ctx", {}).get("error", "")) or None,
            )
        items = []
        for error in errors:
            index, field = _item_and_field(tuple(error.get("loc", ())))
            items.append({"index": index, "field": field, "message": error.get("msg", "invalid")})
        return problem(
            422,
            "The submitted data is invalid; nothing of it was stored.",
            detail=f"{len(items)} problem(s) found.",
            errors=items,
        )

    @app.exception_handler(InvalidInput)
    async def _invalid_input(_request: Request, exc: InvalidInput) -> Response:
        _refused(_request, 422, "invalid input", [p.field for p in exc.problems])
        items = [{"index": p.index, "field": p.field, "message": p.message} for p in exc.problems]
        return problem(422, exc.title, detail=f"{len(items)} problem(s) found.", errors=items)

    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(_request: Request, exc: Unauthenticated) -> Response:
        _refused(_request, 401, str(exc))
        return problem(
            401,
            "A valid sensor token is required.",
            detail=str(exc),
            headers={"WWW-Authenticate": 'Bearer realm="freiweg"'},
        )

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> Response:
        return problem(404, "Not found.", detail=str(exc))

    @app.exception_handler(Conflict)
    async def _conflict(_request: Request, exc: Conflict) -> Response:
        return problem(409, "Conflict.", detail=str(exc))

    @app.exception_handler(TooMany)
    async def _too_many(_request: Request, exc: TooMany) -> Response:
        retry = None if exc.retry_after is None else {"Retry-After": str(exc.retry_after)}
        return problem(429, "Too many submissions from this connection.", detail=str(exc), headers=retry)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        return problem(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))
