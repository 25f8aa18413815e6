"""Console page for the survey (editors): responses per item and a form to add an item."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import EDITORS, RequireRole
from freiweg.domain.errors import DomainError, FieldProblem, InvalidInput
from freiweg.services.registry import Services
from freiweg.services.staff import StaffSession
from freiweg.web.console_render import private_json, problem_text, render

router = APIRouter(prefix="/console", include_in_schema=False)
Editor = Annotated[StaffSession, Depends(RequireRole(*EDITORS))]


def parse_options(text: str) -> list[tuple[str, str]]:
    """Options typed one per line as `German | English`."""
    options = []
    for index, line in enumerate(line for line in text.splitlines() if line.strip()):
        de, bar, en = line.partition("|")
        if not bar:
            raise InvalidInput(
                [FieldProblem(index, "options", "write each option as German | English")],
                title="The survey item was not added; nothing was changed.",
            )
        options.append((de.strip(), en.strip()))
    return options


def parse_correct(text: str) -> int | None:
    """The number of the right option, or None when left empty."""
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InvalidInput(
            [FieldProblem(None, "correct", "must be the number of an option")],
            title="The survey item was not added; nothing was changed.",
        )
    return int(text)


async def _page(
    request: Request, services: Services, session: StaffSession, extra: dict[str, Any], status_code: int = 200
) -> Response:
    data = {**(await run_in_threadpool(services.survey.counts)), **extra}
    return render(request, services, "console/survey.html", data, session, status_code=status_code)


@router.get("/survey.json")
async def survey_json(services: ServicesDep, _session: Editor) -> Response:
    """Responses, answers and checks stored, and responses per item."""
    return private_json(await run_in_threadpool(services.survey.counts))


@router.get("/survey")
async def survey_page(request: Request, services: ServicesDep, session: Editor) -> Response:
    """The survey's items with their response counts and a form for a new item."""
    return await _page(request, services, session, {})


@router.post("/survey/items")
async def add_item(
    request: Request,
    services: ServicesDep,
    session: Editor,
    item_id: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    text_de: Annotated[str, Form()],
    text_en: Annotated[str, Form()],
    options: Annotated[str, Form()] = "",
    correct: Annotated[str, Form()] = "",
) -> Response:
    """Add an item; the survey service writes it to the transparency log."""
    try:
        added = await run_in_threadpool(
            lambda: services.survey.add_item(
                item_id=item_id,
                kind=kind,
                text_de=text_de,
                text_en=text_en,
                options=parse_options(options),
                correct=parse_correct(correct),
            )
        )
    except DomainError as error:
        status, text = problem_text(error)
        return await _page(request, services, session, {"error": text}, status)
    return await _page(request, services, session, {"added": added["id"]}, 201)
