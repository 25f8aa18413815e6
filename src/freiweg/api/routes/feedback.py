"""Feedback API: submit a question, concern, objection or idea; read published items; support ideas."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from freiweg.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["participation"])

WAITS = {
    "de": "Danke. Ihr Beitrag wartet auf die Moderation.",
    "en": "Thank you. Your item waits for moderation.",
}


class FeedbackRequest(BaseModel):
    """One item from the public; no account, no name, no e-mail."""

    topic: str = Field(max_length=80, description="project, area:<id> or sensor:<id>")
    kind: str = Field(max_length=16, description="question, concern, objection or idea")
    text: str = Field(max_length=20_000, description="3 to 2,000 characters of plain text")
    lang: str = Field(default="de", max_length=8, description="de or en")
    website: str = Field(default="", max_length=500, description="leave empty (a trap for robots)")


def json_only(request: Request) -> None:
    """Refuse a body-less POST unless it says `application/json`, which a cross-site form cannot send.

    Endpoints with a JSON body get this from FastAPI's strict content-type check; the support button
    has no body, so without this a form on another site could make a visitor's browser support ideas.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise HTTPException(415, "Send the request with Content-Type: application/json; nothing was stored.")


def client_address(request: Request) -> str | None:
    """The connection's address, only for the flood guard's hourly-keyed hash; never stored."""
    return request.client.host if request.client else None


@router.post("/feedback", status_code=202)
async def submit_feedback(body: FeedbackRequest, request: Request, services: ServicesDep) -> JSONResponse:
    """Submit an item; it is published only after moderation. Stored: text, topic, hour, language."""
    address = client_address(request)
    receipt = await run_in_threadpool(
        lambda: services.feedback.submit(
            topic=body.topic,
            kind=body.kind,
            text=body.text,
            language=body.lang,
            source=address,
            honeypot=body.website,
        )
    )
    message = WAITS["en" if body.lang == "en" else "de"]
    if receipt is None:  # the robot trap was filled: answer as usual, keep nothing
        return JSONResponse({"id": None, "status": "new", "message": message}, status_code=202)
    return JSONResponse({"id": receipt["id"], "status": "new", "message": message}, status_code=202)


@router.get("/feedback")
async def published_feedback(
    services: ServicesDep,
    topic: Annotated[str, Query(max_length=80, description="project, area:<id>, sensor:<id>")],
) -> dict[str, Any]:
    """Published items of a topic with their public answers; support for small counts is shown as a bound."""
    items = await run_in_threadpool(services.feedback.published, topic)
    return {"topic": topic, "items": items}


@router.post("/feedback/{item_id}/support", status_code=202, dependencies=[Depends(json_only)])
async def support_idea(item_id: int, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Support a published idea with one click; limited per connection and hour without storing who."""
    address = client_address(request)
    return await run_in_threadpool(lambda: services.feedback.support(item_id, source=address))
