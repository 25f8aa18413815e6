"""The area page's chart of today and tomorrow: measured, expected with its range, usual band, reasons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Final

from freiweg.web.guidance_i18n import say

WIDTH: Final = 960
HEIGHT: Final = 400  # tall enough to read on a phone, where the chart is about 330 px wide
HOURS: Final = 48  # today and tomorrow, local time
HOUR_WIDTH: Final = WIDTH / HOURS
TOP: Final = 44  # room above the plot for the day names and the marks of unusual hours
BOTTOM: Final = HEIGHT - 40  # room below for the hour ticks


def reason_text(reason: str, language: str) -> str:
    """A forecast reason ('event: Sandkerwa', 'public holiday: …', 'school holidays') in words."""
    for prefix, key in (("event: ", "reason.event"), ("public holiday: ", "reason.holiday")):
        if reason.startswith(prefix):
            return say(language, key, name=reason.removeprefix(prefix))
    known = {"school holidays": "reason.school_holidays", "bridge day": "reason.bridge_day"}
    return say(language, known[reason]) if reason in known else reason


def _by_hour(rows: Iterable[dict[str, Any]], offset: int) -> dict[int, dict[str, Any]]:
    return {row["hour"] + offset: row for row in rows}


def _x(hour: float) -> float:
    return round(hour * HOUR_WIDTH, 1)


def _segments(hours: Sequence[int]) -> list[list[int]]:
    """Runs of consecutive hours, so lines and bands break where values are missing."""
    runs: list[list[int]] = []
    for hour in sorted(hours):
        if runs and hour == runs[-1][-1] + 1:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    return runs


def forecast_chart(data: dict[str, Any], *, now: datetime, language: str) -> dict[str, Any]:
    """SVG numbers and texts for the chart, its text alternative, its table and the unusual hours."""
    expected = data["expected"]
    forecasting = expected["source"] == "forecast"
    usual = _by_hour(expected.get("usual_today", []), 0) | _by_hour(expected.get("usual_tomorrow", []), 24)
    ahead = {
        hour: row
        for hour, row in (_by_hour(expected["today"], 0) | _by_hour(expected["tomorrow"], 24)).items()
        if hour >= now.hour and (not forecasting or "low" in row)
    }
    measured: dict[float, int] = {}
    for bucket in data.get("today", []):
        # A quarter hour still running has only some of its counts: it would draw a false drop.
        if bucket["people"] is not None and datetime.fromisoformat(bucket["end"]) <= now:
            start = datetime.fromisoformat(bucket["start"]).astimezone(now.tzinfo)
            if start.date() == now.date():
                measured[start.hour + start.minute / 60] = bucket["people"]["estimate"]
    values: list[float] = [
        *(float(r.get("high", r["people"])) for r in usual.values()),
        *(float(r.get("high", r["people"])) for r in ahead.values()),
        *measured.values(),
        1.0,
    ]
    top = max(values)

    def y(people: float) -> float:
        return round(BOTTOM - people / top * (BOTTOM - TOP), 1)

    def line(points: Iterable[tuple[float, float]]) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{_x(h)} {y(p)}" for i, (h, p) in enumerate(points))

    def band(rows: dict[int, dict[str, Any]]) -> list[str]:
        shapes = []
        for run in _segments([h for h in rows if "low" in rows[h]]):
            upper = [f"{_x(h + 0.5)} {y(rows[h]['high'])}" for h in run]
            lower = [f"{_x(h + 0.5)} {y(rows[h]['low'])}" for h in reversed(run)]
            shapes.append("M" + " L".join(upper + lower) + " Z")
        return shapes

    usual_lines = [line((h + 0.5, usual[h]["people"]) for h in run) for run in _segments(list(usual))]
    ahead_lines = [line((h + 0.5, ahead[h]["people"]) for h in run) for run in _segments(list(ahead))]
    marks = _reason_marks(ahead, language)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bottom": BOTTOM,
        "usual_band": band(usual),
        "usual_lines": [u for u in usual_lines if u],
        "forecast_band": band(ahead) if forecasting else [],
        "forecast_lines": [a for a in ahead_lines if a] if forecasting else [],
        "line": line(sorted(measured.items(), key=lambda item: item[0])) if measured else "",
        "now_x": _x(now.hour + now.minute / 60),
        "midnight_x": _x(24),
        "days": [
            {"x": _x(0) + 6, "text": say(language, "area.today_short")},
            {"x": _x(24) + 6, "text": say(language, "area.tomorrow_short")},
        ],
        "ticks": [{"x": _x(h), "label": f"{h % 24}"} for h in range(0, HOURS, 6)],
        "marks": marks,
        "description": _description(ahead, measured, forecasting=forecasting, language=language),
        "rows": _table(usual, ahead, measured, language=language),
        "reasons": _reason_spans(ahead, language),
    }


def _reason_marks(ahead: dict[int, dict[str, Any]], language: str) -> list[dict[str, Any]]:
    return [
        {
            "x": _x(hour),
            "w": round(HOUR_WIDTH, 1),
            "text": "; ".join(reason_text(r, language) for r in row["reasons"]),
        }
        for hour, row in sorted(ahead.items())
        if row.get("reasons")
    ]


def _reason_spans(ahead: dict[int, dict[str, Any]], language: str) -> list[str]:
    """Unusual hours in words: 'morgen 14–18 Uhr: Veranstaltung: Sandkerwa', one line per run."""
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    for hour, row in sorted(ahead.items()):
        reasons = tuple(row.get("reasons") or ())
        if not reasons:
            continue
        if spans and spans[-1][2] == reasons and spans[-1][1] == hour and hour != 24:
            spans[-1] = (spans[-1][0], hour + 1, reasons)
        else:
            spans.append((hour, hour + 1, reasons))
    return [
        say(
            language,
            "area.reason_span",
            day=say(language, "area.today_short" if start < 24 else "area.tomorrow_short"),
            start=start % 24,
            end=(end - 1) % 24 + 1,
            reasons="; ".join(reason_text(r, language) for r in reasons),
        )
        for start, end, reasons in spans
    ]


def _description(
    ahead: dict[int, dict[str, Any]], measured: dict[float, int], *, forecasting: bool, language: str
) -> str:
    """The chart's text alternative: what was measured last, the busiest and calmest hour ahead."""
    parts = []
    if measured:
        last = max(measured)
        parts.append(
            say(
                language,
                "area.chart_last",
                time=f"{int(last)}:{round(last % 1 * 60):02d}",
                people=measured[last],
            )
        )
    if ahead:
        busiest = max(ahead, key=lambda h: (ahead[h]["people"], -h))
        calmest = min(ahead, key=lambda h: (ahead[h]["people"], h))

        def when(hour: int) -> str:
            day = say(language, "area.today_short" if hour < 24 else "area.tomorrow_short")
            return f"{day} {hour % 24}:00"

        key = "area.chart_ahead_forecast" if forecasting else "area.chart_ahead_usual"
        busy, calm = ahead[busiest], ahead[calmest]
        parts.append(
            say(
                language,
                key,
                busy_time=when(busiest),
                busy=busy["people"],
                busy_low=busy.get("low", busy["people"]),
                busy_high=busy.get("high", busy["people"]),
                calm_time=when(calmest),
                calm=calm["people"],
            )
        )
    return " ".join(parts) or say(language, "area.chart_empty")


def _table(
    usual: dict[int, dict[str, Any]],
    ahead: dict[int, dict[str, Any]],
    measured: dict[float, int],
    *,
    language: str,
) -> list[dict[str, Any]]:
    """One row per hour with any number: the same facts as the chart, for reading and screen readers."""
    hourly: dict[int, list[int]] = {}
    for hour, people in measured.items():
        hourly.setdefault(int(hour), []).append(people)
    rows = []
    for hour in sorted(set(usual) | set(ahead) | set(hourly)):
        band = usual.get(hour)
        coming = ahead.get(hour)
        rows.append(
            {
                "day": say(language, "area.today_short" if hour < 24 else "area.tomorrow_short"),
                "hour": hour % 24,
                "usual": f"{band['low']}–{band['high']}" if band and "low" in band else "–",
                "measured": round(sum(hourly[hour]) / len(hourly[hour])) if hour in hourly else "–",
                "expected": coming["people"] if coming else "–",
                "interval": f"{coming['low']}–{coming['high']}" if coming and "low" in coming else "–",
                "reasons": "; ".join(reason_text(r, language) for r in (coming or {}).get("reasons", [])),
            }
        )
    return rows
