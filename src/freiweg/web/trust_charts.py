"""Server-drawn SVG line charts of monthly figures (0–100), with gaps where too few answers stand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WIDTH = 640
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 44, 36, 14, 34


def line_chart(months: Sequence[str], figures: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Positions for one line: a dot and its 95 % band per published month, a gap mark otherwise.

    Lines join consecutive published months only, so a month without a figure breaks the line
    instead of being bridged by a guess.
    """
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(months) - 1, 1)

    def x(index: int) -> float:
        return round(LEFT + (index * step if len(months) > 1 else inner_w / 2), 1)

    def y(value: float) -> float:
        return round(TOP + inner_h * (1 - value / 100), 1)

    dots, gaps, segments, current = [], [], [], []
    for index, (month, figure) in enumerate(zip(months, figures, strict=True)):
        if figure.get("published"):
            point = {
                "x": x(index),
                "y": y(figure["value"]),
                "low": y(figure["low"]),
                "high": y(figure["high"]),
                "month": month,
                "value": figure["value"],
            }
            dots.append(point)
            current.append(f"{point['x']} {point['y']}")
        else:
            gaps.append({"x": x(index), "y": y(0) - 6, "month": month})
            if current:
                segments.append(current)
            current = []
    if current:
        segments.append(current)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "paths": ["M" + " L".join(points) for points in segments if len(points) > 1],
        "dots": dots,
        "gaps": gaps,
        "grid": [{"y": y(v), "label": str(v)} for v in (0, 25, 50, 75, 100)],
        "labels": [{"x": x(i), "text": m} for i, m in enumerate(months)],
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "axis_y": HEIGHT - 12,
    }
