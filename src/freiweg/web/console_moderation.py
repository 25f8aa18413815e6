"""Console moderation: the purpose-bound queue, publish, decline, answer, enter items received in person."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import MODERATORS, RequireRole
from freiweg.domain.errors import DomainError
from freiweg.domain.feedback import ANSWER_STATUSES, DECLINE_REASONS, KINDS
from freiweg.services.registry import Services
from freiweg.services.staff import StaffSession
from freiweg.web.console_render import language_of, private_json, problem_text, render
from freiweg.web.participation_i18n import MESSAGES, MODERATION

router = APIRouter(prefix="/console", include_in_schema=False)
Moderator = Annotated[StaffSession, Depends(RequireRole(*MODERATORS))]


async def _queue(
    services: Services, session: StaffSession, purpose: str | None
) -> tuple[int, dict[str, Any]]:
    purposes = await run_in_threadpool(services.transparency.access.purposes)
    data: dict[str, Any] = {
        "purposes": [p for p in purposes if "moderation_queue" in p["scopes"]],  # type: ignore[operator]
        "purpose": purpose or "",
        "queue": None,
        "error": None,
    }
    if not purpose:
        return 200, data
    try:
        data["queue"] = await run_in_threadpool(
            lambda: services.feedback.queue(role=session.member.role, purpose_id=purpose)
        )
    except DomainError as error:
        status, data["error"] = problem_text(error)
        return (403 if status in (404, 409) else status), data
    return 200, data


async def _page(
    request: Request,
    services: Services,
    session: StaffSession,
    purpose: str | None,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    status, data = await _queue(services, session, purpose)
    language = language_of(request)
    data.update(
        {
            "text": MODERATION[language],
            "feedback_text": MESSAGES[language],
            "reasons": {key: labels[language] for key, labels in DECLINE_REASONS.items()},
            "answer_statuses": list(ANSWER_STATUSES),
            "kinds": list(KINDS),
        }
    )
    if error:
        data["error"] = error
    return render(
        request,
        services,
        "console/moderation.html",
        data,
        session,
        status_code=status_code if error else status,
    )


def _back(purpose: str) -> RedirectResponse:
    return RedirectResponse("/console/moderation?" + urlencode({"purpose": purpose}), status_code=303)


@router.get("/moderation.json")
async def moderation_json(services: ServicesDep, session: Moderator, purpose: str | None = None) -> Response:
    """The moderation queue as data; needs a registered purpose, and the access is logged."""
    status, data = await _queue(services, session, purpose)
    return private_json(data, status_code=status)


@router.get("/moderation")
async def moderation_page(
    request: Request, services: ServicesDep, session: Moderator, purpose: str | None = None
) -> Response:
    """The moderation queue behind a purpose form."""
    return await _page(request, services, session, purpose)


def _covers_moderation(services: Services, purpose: str) -> bool:
    """True when `purpose` is registered and opens the moderation queue."""
    return any(
        p["id"] == purpose and "moderation_queue" in p["scopes"]  # type: ignore[operator]
        for p in services.transparency.access.purposes()
    )


async def _act(
    request: Request,
    services: Services,
    session: StaffSession,
    purpose: str,
    action: Any,
    *,
    needs_purpose: bool = True,
) -> Response:
    # Acting on an existing item works only under the purpose that opens the queue, so nobody
    # publishes (and thereby reads) an item by its number without a logged, purpose-bound opening.
    if needs_purpose and not await run_in_threadpool(_covers_moderation, services, purpose):
        text = MODERATION[language_of(request)]["purpose_needed"]
        return await _page(request, services, session, None, error=text, status_code=403)
    try:
        await run_in_threadpool(action)
    except DomainError as error:
        status, text = problem_text(error)
        return await _page(request, services, session, purpose, error=text, status_code=status)
    return _back(purpose)


@router.post("/moderation/{item_id}/publish")
async def publish_item(
    item_id: int,
    request: Request,
    services: ServicesDep,
    session: Moderator,
    purpose: Annotated[str, Form()] = "",
) -> Response:
    """Publish an item; logged without its text."""
    return await _act(request, services, session, purpose, lambda: services.feedback.publish(item_id))


@router.post("/moderation/{item_id}/decline")
async def decline_item(
    item_id: int,
    request: Request,
    services: ServicesDep,
    session: Moderator,
    reason: Annotated[str, Form()],
    purpose: Annotated[str, Form()] = "",
) -> Response:
    """Decline an item with a reason from the fixed list; it never appears in public."""
    return await _act(request, services, session, purpose, lambda: services.feedback.decline(item_id, reason))


@router.post("/moderation/{item_id}/answer")
async def answer_item(
    item_id: int,
    request: Request,
    services: ServicesDep,
    session: Moderator,
    text: Annotated[str, Form()],
    status: Annotated[str, Form()],
    lang: Annotated[str, Form()] = "de",
    purpose: Annotated[str, Form()] = "",
) -> Response:
    """Answer a published item in public and set its status."""
    return await _act(
        request,
        services,
        session,
        purpose,
        lambda: services.feedback.answer(item_id, text=text, status=status, language=lang),
    )


@router.post("/moderation/in-person")
async def enter_in_person(
    request: Request,
    services: ServicesDep,
    session: Moderator,
    topic: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    text: Annotated[str, Form()],
    lang: Annotated[str, Form()] = "de",
    purpose: Annotated[str, Form()] = "",
) -> Response:
    """Enter an item received at an information desk or consultation hour (channel: in person)."""
    return await _act(
        request,
        services,
        session,
        purpose,
        lambda: services.feedback.enter_in_person(topic=topic, kind=kind, text=text, language=lang),
        needs_purpose=False,
    )
