"""Count intake over HTTP: the reference way for a sensor to push its counts."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import bearer_token, get_services
from freiweg.api.problems import problem
from freiweg.api.schemas import IntakeAnswer, problem_responses
from freiweg.ingest.http_push.decode import BATCH, parse_batch
from freiweg.services.intake import IntakeResult

INLINE_COUNTS = 100

router = APIRouter(prefix="/api/v1", tags=["intake"])


@router.post(
    "/counts",
    response_model=IntakeAnswer,
    responses=problem_responses(
        _400="The body is not JSON.",
        _401="Missing, unknown or revoked token.",
        _413="The body is too large.",
        _422="A count is invalid; the whole batch was rejected and nothing stored.",
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CountBatch"}}},
        },
        "security": [{"sensorToken": []}],
    },
)
async def post_counts(request: Request) -> Any:
    """Store a sensor's counts (up to 10,000): all or none, and a repeated count only once."""
    # The hottest route: it reads its token and services directly instead of through dependency
    # injection, which costs more per request than the write of a single count.
    token = bearer_token(request)
    services = get_services(request)
    body = await request.body()
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        return problem(400, "The body is not valid JSON.", detail=str(error))
    if not isinstance(document, dict):
        return problem(
            422,
            "The body must be a JSON object with a list of counts.",
            errors=[{"index": None, "field": "body", "message": "must be an object"}],
        )

    def record() -> IntakeResult:
        return services.intake.record(token=token, read=lambda now: parse_batch(document, now=now))

    # SQLite has one writer per process anyway, so small uploads are written right here: a hop to
    # the thread pool would cost more than the write. Large batches and PostgreSQL use the pool.
    items = document.get("counts")
    small = services.database.is_sqlite and isinstance(items, list) and len(items) <= INLINE_COUNTS
    result = record() if small else await run_in_threadpool(record)
    answer = {"sensor": result.sensor, "received": result.received, "new": result.new, "known": result.known}
    return Response(orjson.dumps(answer), media_type="application/json")


def document_schemas(openapi: dict[str, Any]) -> None:
    """Add the push format's schemas, which the route reads itself, to the OpenAPI components."""
    schema = BATCH.json_schema(ref_template="#/components/schemas/{model}")
    components = openapi.setdefault("components", {}).setdefault("schemas", {})
    components.update(schema.pop("$defs", {}))
    components["CountBatch"] = schema
    schemes = openapi["components"].setdefault("securitySchemes", {})
    schemes["sensorToken"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "The token `freiweg sensor add` printed for this sensor.",
    }
