"""What the live page shows, worked out from the crowd payload: texts, local times, colours, map shapes."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from freiweg.web.i18n import MESSAGES, translate

LEVELS: Final = ("calm", "moderate", "busy", "crowded", "very_crowded")

# Light to dark as it gets fuller, so the order survives colour-vision deficiencies and
# greyscale; every coloured shape also carries its level in words.
LEVEL_COLOURS: Final[dict[str, str]] = {
    "calm": "#d9f0d3",
    "moderate": "#fed976",
    "busy": "#fd8d3c",
    "crowded": "#e31a1c",
    "very_crowded": "#800026",
}
NO_SENSOR_COLOUR: Final = "#d0d0d0"
NO_DATA_FILL: Final = "url(#no-data)"  # a grey hatch pattern defined in the page's map

DEFAULT_REFRESH_SECONDS: Final = 60
MAP_WIDTH: Final = 1000.0
# Room around the outlines for labels centred on shapes at the edge ("keine Daten" is ~200 wide).
MAP_PADDING_X: Final = 120.0
MAP_PADDING_Y: Final = 60.0


@dataclass(frozen=True)
class MapShape:
    """An area's outline projected into the map's coordinates, and where its label goes."""

    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class AreaCard:
    """One area as the list and the map show it."""

    id: str
    number: int
    name: str
    status: str
    level: str | None
    level_text: str
    map_text: str
    fill: str
    people_text: str
    time_text: str
    note_text: str
    usual_text: str
    shape: MapShape


@dataclass(frozen=True)
class LegendEntry:
    """A level with its colour and its words."""

    key: str
    text: str
    fill: str


@dataclass(frozen=True)
class HomeView:
    """Everything the home page template needs."""

    language: str
    demo: bool
    areas: list[AreaCard]
    legend: list[LegendEntry]
    map_width: float
    map_height: float
    data_time_text: str = ""
    outlines: tuple[dict[str, Any], ...] = ()


def client_settings(language: str, *, tile_url: str = "", tile_attribution: str = "") -> dict[str, Any]:
    """What the browser scripts need to redraw the page as the server would: texts, colours, tiles."""
    return {
        "messages": MESSAGES[language],
        "colours": {**LEVEL_COLOURS, "no_data": NO_DATA_FILL, "no_sensor": NO_SENSOR_COLOUR},
        "tiles": {"url": tile_url, "attribution": tile_attribution},
    }


def newest_data_time(areas: Sequence[dict[str, Any]]) -> str | None:
    """The newest moment any area has data from (ISO 8601), or None when none has any."""
    stamps = [area.get("updated_at") if has_estimate(area) else area.get("last_data_at") for area in areas]
    found = [stamp for stamp in stamps if stamp]
    return max(found, key=datetime.fromisoformat) if found else None


def refresh_seconds(raw: str | None) -> int:
    """The polling period asked for by ?refresh=N (1 to 600 seconds), else one minute."""
    try:
        seconds = int(raw) if raw is not None else DEFAULT_REFRESH_SECONDS
    except ValueError:
        return DEFAULT_REFRESH_SECONDS
    return seconds if 1 <= seconds <= 600 else DEFAULT_REFRESH_SECONDS


def group_digits(number: int, language: str) -> str:
    """An integer with the language's thousands separator."""
    return f"{number:,}".replace(",", translate(language, "thousands_separator"))


def people_text(people: dict[str, Any] | None, language: str) -> str:
    """'ca. 120 Personen (80–190)', or nothing when there is no estimate."""
    if people is None:
        return ""
    key = "people.one" if people["estimate"] == 1 else "people.other"
    return translate(
        language,
        key,
        estimate=group_digits(people["estimate"], language),
        low=group_digits(people["low"], language),
        high=group_digits(people["high"], language),
    )


def clock_text(iso: str | None, *, zone: ZoneInfo, now: datetime, language: str) -> str:
    """A moment as local '14:05', with its day when it is not today; nothing for None."""
    if iso is None:
        return ""
    moment = datetime.fromisoformat(iso).astimezone(zone)
    time = moment.strftime("%H:%M")
    if moment.date() == now.astimezone(zone).date():
        return time
    month_name = translate(language, "month_names").split()[moment.month - 1]
    return translate(
        language,
        "date_time",
        day=moment.day,
        dd=f"{moment.day:02d}",
        mm=f"{moment.month:02d}",
        month_name=month_name,
        time=time,
    )


def sort_key(name: str) -> str:
    """A name folded for alphabetical order: umlauts sort as their base letter."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def project_map(
    geometries: Sequence[dict[str, Any]],
    *,
    width: float = MAP_WIDTH,
    padding_x: float = MAP_PADDING_X,
    padding_y: float = MAP_PADDING_Y,
) -> tuple[float, float, list[MapShape]]:
    """Project GeoJSON polygons (lon/lat) onto a map fitted to their bounding box.

    Equirectangular: longitudes are shortened by the cosine of the middle latitude, which is
    true to scale over an old town. Returns the map's width, height and one shape per polygon.
    """
    points = [p for g in geometries for ring in g["coordinates"] for p in ring]
    if not points:
        return width, 0.0, []
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    shrink = math.cos(math.radians((south + north) / 2))
    span_x, span_y = (east - west) * shrink, north - south
    scale = (width - 2 * padding_x) / max(span_x, span_y, 1e-9)
    left = (width - span_x * scale) / 2  # centres a town taller than wide
    height = span_y * scale + 2 * padding_y

    def xy(point: Sequence[float]) -> tuple[float, float]:
        return left + (point[0] - west) * shrink * scale, padding_y + (north - point[1]) * scale

    shapes = []
    for geometry in geometries:
        rings = [[xy(p) for p in ring] for ring in geometry["coordinates"]]
        path = " ".join(
            "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in ring[:-1] or ring) + " Z" for ring in rings
        )
        label_x, label_y = _centroid(rings[0])
        shapes.append(MapShape(path, round(label_x, 1), round(label_y, 1)))
    return width, round(height, 1), shapes


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float]:
    twice_area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        twice_area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(twice_area) < 1e-9:
        return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)
    return cx / (3 * twice_area), cy / (3 * twice_area)


def has_estimate(area: dict[str, Any]) -> bool:
    """True when the area has fresh data: a level and a people estimate."""
    return area["status"] in ("live", "partial") and area["level"] is not None and area["people"] is not None


def level_texts(
    area: dict[str, Any], *, zone: ZoneInfo, now: datetime, language: str
) -> tuple[str, str, str]:
    """The area's state in words for the list and for the map, and its map colour.

    Missing data is said in words, never shown as zero.
    """
    status = area["status"]
    if status == "no_sensor":
        text = translate(language, "status.no_sensor")
        return text, text, NO_SENSOR_COLOUR
    if not has_estimate(area):
        since = clock_text(area["last_data_at"], zone=zone, now=now, language=language)
        text = (
            translate(language, "status.no_data_since", time=since)
            if since
            else translate(language, "status.no_data_yet")
        )
        return text, translate(language, "status.no_data"), NO_DATA_FILL
    text = translate(language, f"level.{area['level']}")
    return text, text, LEVEL_COLOURS[area["level"]]


def area_card(
    area: dict[str, Any], number: int, shape: MapShape, *, zone: ZoneInfo, now: datetime, language: str
) -> AreaCard:
    """One payload area as a card for the list and the map."""
    level_text, map_text, fill = level_texts(area, zone=zone, now=now, language=language)
    live = has_estimate(area)
    sensors = area["sensors"]
    note = ""
    if area["status"] == "partial":
        note = translate(
            language, "status.partial", live=sensors["live"], total=sensors["live"] + sensors["silent"]
        )
    usual = area.get("usual")
    updated = clock_text(area["updated_at"], zone=zone, now=now, language=language) if live else ""
    return AreaCard(
        id=area["id"],
        number=number,
        name=area["name"][language],
        status=area["status"],
        level=area["level"] if live else None,
        level_text=level_text,
        map_text=map_text,
        fill=fill,
        people_text=people_text(area["people"], language) if live else "",
        time_text=translate(language, "as_of", time=updated) if updated else "",
        note_text=note,
        usual_text=translate(language, f"usual.{usual['comparison']}") if live and usual else "",
        shape=shape,
    )


def present_home(payload: dict[str, Any], *, language: str, now: datetime, timezone: str) -> HomeView:
    """The home page's view of the crowd payload: areas sorted by name, with map and legend."""
    zone = ZoneInfo(timezone)
    areas = sorted(payload["areas"], key=lambda a: (sort_key(a["name"][language]), a["id"]))
    width, height, shapes = project_map([a["geometry"] for a in areas])
    cards = [
        area_card(area, number, shape, zone=zone, now=now, language=language)
        for number, (area, shape) in enumerate(zip(areas, shapes, strict=True), start=1)
    ]
    legend = [LegendEntry(key, translate(language, f"level.{key}"), LEVEL_COLOURS[key]) for key in LEVELS]
    legend.append(LegendEntry("no_data", translate(language, "status.no_data"), NO_DATA_FILL))
    legend.append(LegendEntry("no_sensor", translate(language, "status.no_sensor"), NO_SENSOR_COLOUR))
    newest = clock_text(newest_data_time(areas), zone=zone, now=now, language=language)
    # What the Leaflet map draws (lon/lat outlines and the same words); the script redraws it live.
    outlines = tuple(
        {
            "id": card.id,
            "number": card.number,
            "name": card.name,
            "fill": card.fill,
            "map": card.map_text,
            "level": card.level_text,
            "rings": area["geometry"]["coordinates"],
        }
        for card, area in zip(cards, areas, strict=True)
    )
    return HomeView(
        language,
        bool(payload["demo"]),
        cards,
        legend,
        width,
        height,
        data_time_text=translate(language, "data_time", time=newest) if newest else "",
        outlines=outlines,
    )
