"""Participation pages: feedback sections of area and sensor pages, /participate, /opt-out, their forms."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from freiweg.api.deps import ServicesDep
from freiweg.api.routes.feedback import client_address
from freiweg.domain.errors import DomainError, InvalidInput, NotFound
from freiweg.domain.feedback import KINDS, TooMany, Topic, parse_topic
from freiweg.services.registry import Services
from freiweg.settings import Settings
from freiweg.web.guidance_render import language_of, render, twin
from freiweg.web.participation_i18n import texts
from freiweg.web.public_forms import FORM_FIELD, form_token, form_token_matches, keep_form_token, refused_text

router = APIRouter(include_in_schema=False)
MAX_FORM_BYTES = 16_384
NOTICES = ("sent", "supported")


def page_of(topic: Topic) -> str:
    """The public page a topic belongs to: forms go back there, never anywhere else."""
    if topic.kind == "area":
        return f"/areas/{topic.id}"
    if topic.kind == "sensor":
        return f"/sensors/{topic.id}"
    return "/participate"


def published_feedback(services: Services, topic: str) -> dict[str, Any]:
    """A topic's published items with their answers: what a page's feedback part and its JSON twin show."""
    return {"topic": topic, "items": services.feedback.published(topic)}


def feedback_section(
    services: Services, topic: str, language: str, notice: str | None = None, *, token: str
) -> dict[str, Any]:
    """What the feedback part of a page shows: published items with answers, the forms, a notice.

    `token` is the page's form token (`public_forms.form_token`); every form of the part carries it,
    and the page that renders the part must keep it in the cookie (`public_forms.keep_form_token`).
    """
    return {
        **published_feedback(services, topic),
        "kinds": list(KINDS),
        "language": language,
        "text": texts(language),
        "notice": notice if notice in NOTICES else None,
        "form_token": token,
        "form_field": FORM_FIELD,
    }


def opt_out_facts(settings: Settings) -> dict[str, Any]:
    """How not to be counted, the limits of that, what the city does anyway, and whom to write to."""

    def text(de: str, en: str) -> dict[str, str]:
        return {"de": de, "en": en}

    return {
        "how": [
            text(
                "Schalten Sie das WLAN Ihres Telefons in den Einstellungen aus – nicht nur im Schnellmenü. "
                "Dort trennen manche Telefone nur die Verbindung und suchen weiter nach Netzen.",
                "Switch off Wi-Fi on your phone in the settings – not only in the quick menu: on some phones "
                "that only disconnects and keeps searching for networks.",
            ),
            text(
                "Schalten Sie auch die WLAN-Suche für die Standortbestimmung aus (Android: Standort → "
                "Standortdienste → WLAN-Suche), ebenso die Bluetooth-Suche.",
                "Switch off Wi-Fi scanning for location (Android: Location → Location services → Wi-Fi "
                "scanning; likewise Bluetooth scanning).",
            ),
            text(
                "Oder schalten Sie den Flugmodus ein und lassen Sie WLAN und Bluetooth darin aus.",
                "Or switch on flight mode and keep Wi-Fi and Bluetooth off in it.",
            ),
        ],
        "limits": [
            text(
                "Manche Telefone senden auch bei ausgeschaltetem WLAN gelegentlich Suchanfragen, etwa für "
                "die Ortung. Ganz sicher ist nur ein ausgeschaltetes Telefon.",
                "Some phones still send probe requests now and then with Wi-Fi switched off, for location; "
                "only a phone that is switched off is certain not to.",
            ),
            text(
                "Moderne Telefone verwenden zufällige, wechselnde Adressen. Das schützt Sie ohnehin; es "
                "bedeutet aber auch, dass die Zählung nur schätzt und deshalb mit Zählungen von Hand "
                "abgeglichen wird.",
                "Phones use random, changing addresses. That protects you anyway; it also means the count is "
                "an estimate, calibrated with counts by hand.",
            ),
            text(
                "Lichtschranken und Zählkameras zählen alle, die vorbeigehen – ganz gleich, ob sie ein "
                "Telefon dabeihaben. Dort kann sich niemand ausnehmen; sie erkennen aber auch niemanden "
                "wieder.",
                "Light barriers and counting cameras count everyone who passes, phone or not. Nobody can "
                "be left out there – and they recognise nobody either.",
            ),
        ],
        "city": [
            text(
                "Ein Sensor gibt nur Zahlen weiter: wie viele Geräte oder Personen in einigen Minuten da "
                "waren.",
                "A sensor passes on numbers only: how many devices or people were there within a few "
                "minutes.",
            ),
            text(
                "Keine Kennungen: Geräteadressen werden im Sensor sofort mit einem Zufallsschlüssel "
                "unkenntlich gemacht; der Schlüssel liegt nur im Arbeitsspeicher und wird alle paar Minuten "
                "gelöscht. Danach lässt sich niemand wiedererkennen, auch nicht von der Stadt.",
                "No identifiers: device addresses are made unrecognisable inside the sensor at once with a "
                "random key that exists only in memory and is erased every few minutes. After that nobody "
                "can be recognised, not even by the city.",
            ),
            text(
                "Jeder Sensor hat eine öffentliche Seite mit Zweck, Technik und Protokoll; jede Änderung "
                "steht im öffentlichen Transparenzprotokoll.",
                "Every sensor has a public page with purpose, technology and log; every change is in the "
                "public transparency log.",
            ),
        ],
        "contact": {
            "privacy_officer": settings.privacy_officer,
            "operator": settings.operator_name,
            "operator_contact": settings.operator_contact,
        },
        "objection_topic": "project",
    }


async def form_fields(request: Request) -> dict[str, str]:
    """The first value of each field of a small urlencoded form.

    Bytes that are not UTF-8 are kept as lone surrogates (not silently replaced), so the text rules
    refuse them as binary instead of storing replacement characters.
    """
    body = await request.body()
    raw = body[:MAX_FORM_BYTES].decode("utf-8", "surrogateescape")
    fields = parse_qs(raw, keep_blank_values=True, errors="surrogateescape")
    return {name: values[0] for name, values in fields.items()}


def printable(fields: dict[str, str]) -> dict[str, str]:
    """The fields as they can be shown again: bytes that were not UTF-8 become "?"."""
    return {name: value.encode("utf-8", "replace").decode("utf-8") for name, value in fields.items()}


def _statistics(services: Services) -> list[dict[str, Any]]:
    return [asdict(m) for m in services.feedback.monthly_answer_statistics()]


def _participate_data(services: Services) -> dict[str, Any]:
    return {
        **published_feedback(services, "project"),
        "answer_statistics": _statistics(services),
        "areas": [
            {"id": a.id, "name": {"de": a.name_de, "en": a.name_en}} for a in services.areas.list_areas()
        ],
    }


@router.api_route("/participate.json", methods=["GET", "HEAD"])
async def participate_json(services: ServicesDep) -> Response:
    """The project page as data: published items about the project, answer statistics, places."""
    return twin(await run_in_threadpool(_participate_data, services))


@router.api_route("/participate", methods=["GET", "HEAD"])
async def participate_page(
    request: Request, services: ServicesDep, lang: str | None = None, feedback: str | None = None
) -> Response:
    """Ask, object or suggest about the project as a whole; see the answers."""
    language = language_of(request, lang)
    token = form_token(request)
    data = await run_in_threadpool(_participate_data, services)
    section = await run_in_threadpool(feedback_section, services, "project", language, feedback, token=token)
    response = render(
        request,
        services,
        "participation/participate.html",
        data,
        lang=lang,
        json_href="/participate.json",
        extra={"p": texts(language), "feedback": section},
    )
    keep_form_token(request, response, token)
    return response


@router.api_route("/opt-out.json", methods=["GET", "HEAD"])
async def opt_out_json(services: ServicesDep) -> Response:
    """How not to be counted, as data, with the published items about the project the page shows."""
    feedback = await run_in_threadpool(published_feedback, services, "project")
    return twin({**opt_out_facts(services.settings), "feedback": feedback})


@router.api_route("/opt-out", methods=["GET", "HEAD"])
async def opt_out_page(
    request: Request, services: ServicesDep, lang: str | None = None, feedback: str | None = None
) -> Response:
    """How not to be counted, the limits of that, what the city does anyway, whom to write to."""
    language = language_of(request, lang)
    token = form_token(request)
    section = await run_in_threadpool(feedback_section, services, "project", language, feedback, token=token)
    section["default_kind"] = "objection"
    response = render(
        request,
        services,
        "participation/opt_out.html",
        opt_out_facts(services.settings),
        lang=lang,
        json_href="/opt-out.json",
        extra={"p": texts(language), "feedback": section},
    )
    keep_form_token(request, response, token)
    return response


def hints_for(error: DomainError) -> list[str]:
    """The message keys that tell a resident, in plain words, what to change."""
    if isinstance(error, TooMany):
        return ["problem.too_many"]
    if isinstance(error, NotFound):
        return ["problem.not_found"]
    if isinstance(error, InvalidInput):
        keys = [f"problem.{p.field}" for p in error.problems]
        return [key for key in dict.fromkeys(keys) if key in texts("de")]
    return ["problem.conflict"]


def _problem_page(
    request: Request,
    services: Services,
    *,
    fields: dict[str, str],
    back: str,
    status: int,
    error: DomainError | None,
) -> Response:
    """The form again with the reason it was refused, in plain words; nothing of it was stored.

    Without an error the form came without a valid form token: the page says so and carries a
    fresh token, so sending the form from it again works.
    """
    language = language_of(request, fields.get("lang"))
    shown = {name: value for name, value in printable(fields).items() if name != FORM_FIELD}
    data: dict[str, Any] = {"fields": shown, "back": back}
    if error is None:
        data |= {"message": "", "hints": [], "refused": refused_text(language)}
    else:
        data |= {"message": str(error), "hints": hints_for(error), "refused": None}
    token = form_token(request)
    response = render(
        request,
        services,
        "participation/problem.html",
        data,
        lang=None,
        json_href="/participate.json",
        extra={"p": texts(language), "kinds": list(KINDS), "form_token": token, "form_field": FORM_FIELD},
    )
    response.status_code = status
    keep_form_token(request, response, token)
    return response


def _flooded_page(
    request: Request, services: Services, *, fields: dict[str, str], back: str, error: TooMany
) -> Response:
    """429 with the reason, and when the flood guard forgets this connection (Retry-After)."""
    response = _problem_page(request, services, fields=fields, back=back, status=429, error=error)
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


@router.post("/feedback")
async def submit_feedback_form(request: Request, services: ServicesDep) -> Response:
    """The no-script form of every feedback section: same service as the API; back to the page on success."""
    fields = await form_fields(request)
    try:
        back = page_of(parse_topic(fields.get("topic", "")))
    except InvalidInput:
        back = "/participate"
    if not form_token_matches(request, fields.get(FORM_FIELD)):
        return _problem_page(request, services, fields=fields, back=back, status=403, error=None)
    address = client_address(request)
    language = fields.get("lang") if fields.get("lang") in ("de", "en") else language_of(request, None)
    try:
        await run_in_threadpool(
            lambda: services.feedback.submit(
                topic=fields.get("topic", ""),
                kind=fields.get("kind", ""),
                text=fields.get("text", ""),
                language=language,
                source=address,
                honeypot=fields.get("website", ""),
            )
        )
    except TooMany as error:
        return _flooded_page(request, services, fields=fields, back=back, error=error)
    except DomainError as error:
        return _problem_page(request, services, fields=fields, back=back, status=422, error=error)
    return RedirectResponse(f"{back}?feedback=sent#feedback", status_code=303)


@router.post("/feedback/{item_id}/support")
async def support_form(item_id: int, request: Request, services: ServicesDep) -> Response:
    """The support button of a published idea."""
    fields = await form_fields(request)
    try:
        back = page_of(parse_topic(fields.get("topic", "")))
    except InvalidInput:
        back = "/participate"
    if not form_token_matches(request, fields.get(FORM_FIELD)):
        return _problem_page(request, services, fields=fields, back=back, status=403, error=None)
    address = client_address(request)
    try:
        await run_in_threadpool(lambda: services.feedback.support(item_id, source=address))
    except TooMany as error:
        return _flooded_page(request, services, fields=fields, back=back, error=error)
    except NotFound as error:
        return _problem_page(request, services, fields=fields, back=back, status=404, error=error)
    except DomainError as error:
        return _problem_page(request, services, fields=fields, back=back, status=409, error=error)
    return RedirectResponse(f"{back}?feedback=supported#item-{item_id}", status_code=303)
