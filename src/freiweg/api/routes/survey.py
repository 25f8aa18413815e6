"""Survey API: the instrument, anonymous answers, and the sensor pages' comprehension checks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from freiweg.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1/survey", tags=["participation"])

THANKS = {
    "de": "Danke. Die Ergebnisse erscheinen, sobald mindestens 10 Antworten vorliegen.",
    "en": "Thank you. Results appear once at least 10 answers are in.",
}


class SurveyAnswer(BaseModel):
    """One answered item."""

    item: str = Field(max_length=40, description="the item's id, see GET /api/v1/survey")
    value: int = Field(description="an option's value: 1-5 for statements, the option number for questions")


class SurveyResponse(BaseModel):
    """One response: any number of the items, each at most once; nothing about the person."""

    answers: list[SurveyAnswer] = Field(max_length=100)
    lang: str = Field(default="de", max_length=8, description="de or en")
    website: str = Field(default="", max_length=500, description="leave empty (a trap for robots)")


class ComprehensionCheck(BaseModel):
    """The short check on a sensor page."""

    sensor_id: str = Field(max_length=63)
    answer: str | None = Field(default=None, max_length=20, description="counts, identifiers or photos")
    helped: bool | None = Field(default=None, description="did the sensor page help?")
    website: str = Field(default="", max_length=500, description="leave empty (a trap for robots)")


def client_address(request: Request) -> str | None:
    """The connection's address, only for the flood guard's hourly-keyed hash; never stored."""
    return request.client.host if request.client else None


@router.get("")
async def instrument(services: ServicesDep) -> dict[str, Any]:
    """The survey: items in German and English with their options, and the publication threshold."""
    return await run_in_threadpool(services.survey.instrument)


@router.post("/responses", status_code=202)
async def submit_response(body: SurveyResponse, request: Request, services: ServicesDep) -> JSONResponse:
    """Submit answers; stored: a random response id, the month, the language, item and value."""
    address = client_address(request)
    await run_in_threadpool(
        lambda: services.survey.submit(
            answers=[(a.item, a.value) for a in body.answers],
            language=body.lang,
            address=address,
            website=body.website,
        )
    )
    message = THANKS["en" if body.lang == "en" else "de"]
    return JSONResponse({"message": message, "results": "/trust"}, status_code=202)


@router.post("/checks", status_code=202)
async def submit_check(body: ComprehensionCheck, request: Request, services: ServicesDep) -> JSONResponse:
    """Submit a sensor page's check; stored: sensor, month, right or wrong, helped or not."""
    address = client_address(request)
    await run_in_threadpool(
        lambda: services.survey.check(
            sensor_id=body.sensor_id,
            answer=body.answer,
            helped=body.helped,
            address=address,
            website=body.website,
        )
    )
    return JSONResponse({"message": "ok", "results": "/trust"}, status_code=202)
