"""The area page (now, today's curve, best times, quieter places, how it is made) and the places list."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from freiweg.api.deps import ServicesDep
from freiweg.web.guidance_i18n import MESSAGES
from freiweg.web.guidance_render import language_of, render, twin
from freiweg.web.presenters import clock_text, has_estimate, level_texts, people_text

router = APIRouter(include_in_schema=False)

CHART_WIDTH = 960
CHART_HEIGHT = 220
HOUR_WIDTH = CHART_WIDTH / 24


def now_texts(area: dict[str, Any], *, language: str, now: datetime, zone: ZoneInfo) -> dict[str, str]:
    """The area's state now in words: level, people with range, time, compared with usual."""
    level_text, _map_text, _fill = level_texts(area, zone=zone, now=now, language=language)
    live = has_estimate(area)
    updated = clock_text(area["updated_at"], zone=zone, now=now, language=language) if live else ""
    usual = area.get("usual")
    return {
        "level_text": level_text,
        "people_text": people_text(area["people"], language) if live else "",
        "time_text": MESSAGES[language]["as_of"].format(time=updated) if updated else "",
        "usual_text": MESSAGES[language][f"usual.{usual['comparison']}"] if live and usual else "",
    }


def day_chart(data: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """Bars for the usual people per hour, a line for today's measured people, as SVG numbers."""
    expected = data["expected"]
    usual = {row["hour"]: row["people"] for row in expected.get("usual_today", expected["today"])}
    ahead = (
        {row["hour"]: row["people"] for row in expected["today"] if row["hour"] >= now.hour}
        if expected["source"] == "forecast"
        else {}
    )
    measured: dict[float, int] = {}
    for bucket in data.get("today", []):
        if bucket["people"] is not None:
            start = datetime.fromisoformat(bucket["start"])
            measured[start.hour + start.minute / 60] = bucket["people"]["estimate"]
    top = max([*usual.values(), *measured.values(), *ahead.values(), 1])
    plot = CHART_HEIGHT - 24
    bars = [
        {
            "hour": hour,
            "people": people,
            "x": round(hour * HOUR_WIDTH + 2, 1),
            "w": round(HOUR_WIDTH - 4, 1),
            "y": round(plot - people / top * plot, 1),
            "h": round(people / top * plot, 1),
        }
        for hour, people in sorted(usual.items())
    ]
    line = " ".join(
        f"{'M' if i == 0 else 'L'}{round((h + 0.125) * HOUR_WIDTH, 1)} {round(plot - p / top * plot, 1)}"
        for i, (h, p) in enumerate(sorted(measured.items()))
    )
    forecast_line = " ".join(
        f"{'M' if i == 0 else 'L'}{round((h + 0.5) * HOUR_WIDTH, 1)} {round(plot - p / top * plot, 1)}"
        for i, (h, p) in enumerate(sorted(ahead.items()))
    )
    hourly: dict[int, list[int]] = {}
    for h, p in measured.items():
        hourly.setdefault(int(h), []).append(p)
    rows = [
        {
            "hour": hour,
            "usual": usual.get(hour, "–"),
            "measured": round(sum(hourly[hour]) / len(hourly[hour])) if hour in hourly else "–",
        }
        for hour in range(24)
        if hour in usual or hour in hourly
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "line": line,
        "forecast_line": forecast_line,
        "now_x": round((now.hour + now.minute / 60) * HOUR_WIDTH, 1),
        "ticks": [{"x": round((h + 0.5) * HOUR_WIDTH, 1), "label": f"{h}"} for h in range(0, 24, 3)],
        "rows": rows,
    }


@router.api_route("/areas/{area_id}.json", methods=["GET", "HEAD"])
async def area_json(area_id: str, services: ServicesDep) -> Response:
    """The area page as data."""
    return twin(await run_in_threadpool(services.guidance.guide.area_day, area_id))


@router.api_route("/areas/{area_id}", methods=["GET", "HEAD"])
async def area_page(
    area_id: str, request: Request, services: ServicesDep, lang: str | None = None
) -> Response:
    """One area: now, today, when to come, what instead, how it is measured."""
    data = await run_in_threadpool(services.guidance.guide.area_day, area_id)
    language = language_of(request, lang)
    zone = ZoneInfo(services.settings.timezone)
    now = services.clock().astimezone(zone)
    places_by_id = {p["id"]: p for p in data["places"]}
    return render(
        request,
        services,
        "guidance/area.html",
        data,
        lang=lang,
        json_href=f"/areas/{area_id}.json",
        extra={
            "now": now_texts(data, language=language, now=now, zone=zone),
            "chart": day_chart(data, now=now),
            "places_by_id": places_by_id,
        },
    )


@router.api_route("/places.json", methods=["GET", "HEAD"])
async def places_json(services: ServicesDep) -> Response:
    """Every curated place with its area's level now."""
    return twin({"places": await run_in_threadpool(services.guidance.guide.places_overview)})


@router.api_route("/places", methods=["GET", "HEAD"])
async def places_page(request: Request, services: ServicesDep, lang: str | None = None) -> Response:
    """Sights, museums and viewpoints with kind, area, level and opening hours."""
    places = await run_in_threadpool(services.guidance.guide.places_overview)
    areas = (await run_in_threadpool(services.crowd.overview)).payload["areas"]
    return render(
        request,
        services,
        "guidance/places.html",
        {"places": places},
        lang=lang,
        json_href="/places.json",
        extra={"area_names": {a["id"]: a["name"] for a in areas}},
    )
