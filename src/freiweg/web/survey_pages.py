"""The survey page (no script needed), its thank-you page, the sensor-page check form and /trust."""

from __future__ import annotations

import csv
import io
import re
from functools import partial
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, RedirectResponse, Response

from freiweg import __version__
from freiweg.api.deps import ServicesDep
from freiweg.domain.errors import InvalidInput
from freiweg.domain.feedback import TooMany
from freiweg.domain.survey import CHECK_OPTIONS, CHECK_QUESTION, CONSTRUCTS, INSTRUMENT, check_is_correct
from freiweg.services.registry import Services
from freiweg.web.i18n import LANGUAGE_COOKIE, choose_language, supported
from freiweg.web.pages import PAGE_HEADERS, TEMPLATES, remember_language
from freiweg.web.public_forms import FORM_FIELD, form_token, form_token_matches, keep_form_token, refused_text
from freiweg.web.survey_i18n import MESSAGES, say
from freiweg.web.trust_charts import line_chart

router = APIRouter(include_in_schema=False)
MAX_FORM_BYTES = 16_384
_SMALL_NUMBER = re.compile(r"-?[0-9]{1,6}")
CHARTED = ("understanding", "trust", "acceptance")


def language_of(request: Request, lang: str | None) -> str:
    """The page language: ?lang=, then the cookie, then Accept-Language, then German."""
    return choose_language(lang, request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))


def render(
    request: Request,
    services: Services,
    template: str,
    data: dict[str, Any],
    *,
    lang: str | None,
    json_href: str,
    status_code: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    """A survey or trust page in the visitor's language; remembers a language chosen with ?lang=."""
    language = language_of(request, lang)
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    context = {
        "view": {"language": language, "demo": services.settings.demo},
        "data": data,
        "lang": language,
        "_": partial(say, language),
        "t": lambda value: value.get(language, "") if isinstance(value, dict) else value,
        "version": __version__,
        "json_href": json_href,
        "switch_href": "?" + urlencode([*query, ("lang", MESSAGES[language]["switch_language_code"])]),
        **(extra or {}),
    }
    response = TEMPLATES.TemplateResponse(
        request, template, context, status_code=status_code, headers=PAGE_HEADERS
    )
    response.headers["Content-Language"] = language
    if supported(lang):
        remember_language(response, language, secure=request.url.scheme == "https")
    return response


def twin(data: Any, status_code: int = 200) -> JSONResponse:
    """A page's JSON twin."""
    return JSONResponse(data, status_code=status_code, headers={"Cache-Control": "no-cache"})


async def form_fields(request: Request) -> dict[str, str]:
    """The first value of each field of a small urlencoded form."""
    body = await request.body()
    fields = parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def client_address(request: Request) -> str | None:
    """The connection's address, only for the flood guard's hourly-keyed hash; never stored."""
    return request.client.host if request.client else None


def sensor_check(language: str) -> dict[str, Any]:
    """The sensor page's question and options in language, for the include on the sensor page."""
    return {
        "question": CHECK_QUESTION[language],
        "options": [{"value": value, "text": text[language]} for value, text in CHECK_OPTIONS],
        "texts": {key.removeprefix("check."): text for key, text in MESSAGES[language].items()
                  if key.startswith("check.")},
    }  # fmt: skip


# The sensor page (web/transparency_pages.py) includes survey/sensor_check.html, which reads this.
TEMPLATES.env.globals["survey_sensor_check"] = sensor_check


# --- the survey ---------------------------------------------------------------------------------


def survey_data(services: Services) -> dict[str, Any]:
    """The instrument grouped by kind, in the order the form asks."""
    instrument = services.survey.instrument()
    parts = [
        {"kind": kind, "items": [i for i in instrument["items"] if i["kind"] == kind]} for kind in CONSTRUCTS
    ]
    return {**instrument, "parts": [p for p in parts if p["items"]]}


async def show_survey(
    request: Request,
    services: Services,
    *,
    lang: str | None,
    chosen: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The survey form, with earlier choices and problems when it comes back."""
    data = await run_in_threadpool(survey_data, services)
    token = form_token(request)
    extra = {"chosen": chosen or {}, "errors": errors or {}, "form_token": token, "form_field": FORM_FIELD}
    response = render(
        request, services, "survey/form.html", data, lang=lang, json_href="/survey.json",
        status_code=status_code, extra=extra,
    )  # fmt: skip
    keep_form_token(request, response, token)
    return response


@router.api_route("/survey.json", methods=["GET", "HEAD"])
async def survey_json(services: ServicesDep) -> Response:
    """The survey as data (the same instrument as /api/v1/survey)."""
    return twin(await run_in_threadpool(survey_data, services))


@router.api_route("/survey", methods=["GET", "HEAD"])
async def survey_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """The standing survey: understanding, trust, acceptance; every question optional."""
    return await show_survey(request, services, lang=lang)


@router.post("/survey")
async def survey_submit(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """Answers from the form: stored whole, then on to the thank-you page; or the form again."""
    fields = await form_fields(request)
    language = language_of(request, lang or fields.get("lang"))
    items = list(await run_in_threadpool(services.survey.items))
    if not form_token_matches(request, fields.get(FORM_FIELD)):
        chosen = {item_id: fields[item_id] for item_id in items if fields.get(item_id, "").strip()}
        errors = {"form": refused_text(language)}
        return await show_survey(
            request, services, lang=language, chosen=chosen, errors=errors, status_code=403
        )
    answers: list[tuple[str, Any]] = []
    for item_id in items:
        raw = fields.get(item_id, "").strip()
        if raw:
            # Only a few ASCII digits are a number here: "²" passes isdigit() but not int(), and
            # thousands of digits exceed int()'s limit; the service refuses anything else by name.
            answers.append((item_id, int(raw) if _SMALL_NUMBER.fullmatch(raw) else raw))
    chosen = {item_id: str(value) for item_id, value in answers}
    address = client_address(request)
    try:
        await run_in_threadpool(
            lambda: services.survey.submit(
                answers=answers, language=language, address=address, website=fields.get("website", "")
            )
        )
    except InvalidInput as error:
        errors = {}
        for problem in error.problems:
            key = answers[problem.index][0] if problem.index is not None else problem.field
            errors[key] = say(language, f"survey.error.{problem.field}")
        return await show_survey(
            request, services, lang=language, chosen=chosen, errors=errors, status_code=422
        )
    except TooMany as error:
        errors = {"answers": say(language, "survey.too_many")}
        refused = await show_survey(
            request, services, lang=language, chosen=chosen, errors=errors, status_code=429
        )
        if error.retry_after is not None:
            refused.headers["Retry-After"] = str(error.retry_after)
        return refused
    return RedirectResponse(f"/survey/thanks?lang={language}", status_code=303)


def thanks_data() -> dict[str, Any]:
    """The thank-you page as data: the right answers to the factual questions and where results are."""
    answers = [
        {"id": i.id, "question": dict(i.text), "answer": dict(o.text)}
        for i in INSTRUMENT
        for o in i.options
        if i.kind == "understanding" and o.value == i.correct
    ]
    return {"received": True, "results": "/trust", "answers": answers}


@router.api_route("/survey/thanks.json", methods=["GET", "HEAD"])
async def thanks_json() -> Response:
    """The thank-you page as data."""
    return twin(thanks_data())


@router.api_route("/survey/thanks", methods=["GET", "HEAD"])
async def thanks_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """Thanks, the right answers, and the way to the results."""
    return render(
        request, services, "survey/thanks.html", thanks_data(), lang=lang, json_href="/survey/thanks.json"
    )


# --- the sensor pages' check ------------------------------------------------------------------


@router.post("/sensors/{sensor_id}/check")
async def sensor_check_submit(
    sensor_id: str, request: Request, services: ServicesDep, lang: str | None = None
) -> Response:
    """The sensor page's check from its form; back to the sensor page, which then shows the answer."""
    fields = await form_fields(request)
    if not form_token_matches(request, fields.get(FORM_FIELD)):
        return check_refused(request, services, sensor_id=sensor_id, lang=lang)
    helped = {"yes": True, "no": False}.get(fields.get("helped", ""))
    answer = fields.get("answer") or None
    address = client_address(request)
    try:
        await run_in_threadpool(
            lambda: services.survey.check(
                sensor_id=sensor_id,
                answer=answer,
                helped=helped,
                address=address,
                website=fields.get("website", ""),
            )
        )
    except InvalidInput as error:
        if any(p.field == "sensor_id" for p in error.problems):
            items = [{"index": p.index, "field": p.field, "message": p.message} for p in error.problems]
            return twin({"title": error.title, "status": 422, "errors": items}, 422)
        outcome = "missing"
    except TooMany:
        outcome = "later"
    else:
        # The page then says whether the answer was right, and the right answer. Only right or wrong
        # travels in the address (never the option chosen): no more than the stored row holds.
        outcome = "thanks" if answer is None else ("right" if check_is_correct(answer) else "wrong")
    suffix = f"&lang={lang}" if supported(lang) else ""
    return RedirectResponse(f"/sensors/{quote(sensor_id)}?check={outcome}{suffix}#check", status_code=303)


def check_refused(request: Request, services: Services, *, sensor_id: str, lang: str | None) -> Response:
    """403: the check came without a valid form token; the page says so and offers the check again."""
    language = language_of(request, lang)
    token = form_token(request)
    data = {"sensor": {"id": sensor_id}, "form_token": token, "form_field": FORM_FIELD}
    extra = {"check_outcome": "refused", "refused": refused_text(language)}
    response = render(
        request, services, "survey/check_refused.html", data, lang=lang,
        json_href=f"/sensors/{quote(sensor_id)}.json", status_code=403, extra=extra,
    )  # fmt: skip
    keep_form_token(request, response, token)
    return response


# --- the trust dashboard ----------------------------------------------------------------------


def trust_view(data: dict[str, Any]) -> dict[str, Any]:
    """Charts for understanding, trust, acceptance and the sensor-page checks."""
    months = [m["month"] for m in data["months"]]
    charts = [
        {"kind": kind, "chart": line_chart(months, [m[kind] for m in data["months"]])}
        for kind in CHARTED
        if months
    ]
    check_months = [c["month"] for c in data["checks"]]
    check_chart = line_chart(check_months, [c["correct"] for c in data["checks"]]) if check_months else None
    return {"charts": charts, "check_chart": check_chart}


@router.api_route("/trust.json", methods=["GET", "HEAD"])
async def trust_json(services: ServicesDep) -> Response:
    """The trust dashboard as data."""
    return twin(await run_in_threadpool(services.survey.dashboard))


@router.api_route("/trust.csv", methods=["GET", "HEAD"])
async def trust_csv(services: ServicesDep) -> Response:
    """Every figure of the trust dashboard, one row per month and measure."""
    data = await run_in_threadpool(services.survey.dashboard)
    return Response(
        trust_rows_csv(data),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="freiweg-trust.csv"',
            "Cache-Control": "no-cache",
        },
    )


def trust_rows_csv(data: dict[str, Any]) -> str:
    """The dashboard as CSV: month, measure, value, low, high, answers, note."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "measure", "value", "low", "high", "answers", "note"])

    def figure(month: str, measure: str, f: dict[str, Any]) -> None:
        if f["published"]:
            writer.writerow([month, measure, f["value"], f["low"], f["high"], f["answers"], ""])
        else:
            writer.writerow([month, measure, "", "", "", "", f["note"]])

    for m in data["months"]:
        for kind in CONSTRUCTS:
            figure(m["month"], kind, m[kind])
    for c in data["checks"]:
        figure(c["month"], "check_correct", c["correct"])
        figure(c["month"], "check_helped", c["helped"])
    for q in data["questions"] or []:
        writer.writerow([q["month"], "questions", q["questions"], "", "", "", ""])
        writer.writerow(
            [q["month"], "answered_share", _blank(q["answered_share"]), "", "", q["questions"], ""]
        )
        writer.writerow(
            [
                q["month"],
                "median_hours_to_answer",
                _blank(q["median_hours_to_answer"]),
                "",
                "",
                q["answered"],
                "",
            ]
        )
    return out.getvalue()


def _blank(value: Any) -> Any:
    return "" if value is None else value


@router.api_route("/trust", methods=["GET", "HEAD"])
async def trust_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """Understanding, trust and acceptance per month; answered questions; the sensor-page checks."""
    data = await run_in_threadpool(services.survey.dashboard)
    return render(
        request, services, "survey/trust.html", data, lang=lang, json_href="/trust.json",
        extra={"charts": trust_view(data)},
    )  # fmt: skip
