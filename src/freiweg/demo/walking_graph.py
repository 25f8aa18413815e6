"""The demo town's walking graph: the areas' centres joined by the real lanes between them.

`python -m freiweg.demo.walking_graph` regenerates walking_graph.json from town.geojson and the
lanes below (approximate coordinates of real junctions in Bamberg's old town).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from shapely.geometry import Point, shape

from freiweg.guidance.graph import distance_m

# Junctions in lanes between the demo areas: id -> (lon, lat).
LANE_JUNCTIONS: dict[str, tuple[float, float]] = {
    "katzenberg": (10.8838, 49.8915),
    "dominikanerstrasse": (10.8846, 49.8922),
    "obere-pfarre": (10.8834, 49.8889),
    "herrenstrasse": (10.8840, 49.8898),
    "pfahlplaetzchen": (10.8851, 49.8906),
    "geyerswoerthsteg": (10.8877, 49.8906),
    "lange-strasse": (10.8900, 49.8912),
    "kesslerstrasse": (10.8878, 49.8936),
    "hauptwachstrasse": (10.8893, 49.8950),
    "am-leinritt": (10.8843, 49.8945),
    "markusbruecke": (10.8862, 49.8958),
    "aufsessstrasse": (10.8810, 49.8920),
    "obere-sandstrasse": (10.8822, 49.8932),
}

# (from, to, street name); an id without a lane junction is an area's centre.
LANES: list[tuple[str, str, str]] = [
    ("domplatz", "katzenberg", "Katzenberg"),
    ("katzenberg", "karolinenstrasse", "Karolinenstraße"),
    ("karolinenstrasse", "obere-bruecke", "Obere Brücke"),
    ("obere-bruecke", "obstmarkt", "Obere Brücke"),
    ("obstmarkt", "gruener-markt", "Obstmarkt"),
    ("gruener-markt", "maximiliansplatz", "Grüner Markt"),
    ("katzenberg", "dominikanerstrasse", "Dominikanerstraße"),
    ("dominikanerstrasse", "sandstrasse", "Dominikanerstraße"),
    ("dominikanerstrasse", "untere-bruecke", "Dominikanerstraße"),
    ("sandstrasse", "untere-bruecke", "Untere Brücke"),
    ("untere-bruecke", "obstmarkt", "Untere Brücke"),
    ("untere-bruecke", "klein-venedig", "Am Kranen"),
    ("sandstrasse", "am-leinritt", "Am Leinritt"),
    ("am-leinritt", "klein-venedig", "Am Leinritt"),
    ("am-leinritt", "markusbruecke", "Am Leinritt"),
    ("markusbruecke", "maximiliansplatz", "Markusstraße"),
    ("untere-bruecke", "kesslerstrasse", "Keßlerstraße"),
    ("kesslerstrasse", "hauptwachstrasse", "Keßlerstraße"),
    ("hauptwachstrasse", "maximiliansplatz", "Hauptwachstraße"),
    ("kesslerstrasse", "gruener-markt", "Fischstraße"),
    ("domplatz", "obere-pfarre", "Eisgrube"),
    ("obere-pfarre", "herrenstrasse", "Unterer Kaulberg"),
    ("herrenstrasse", "pfahlplaetzchen", "Herrenstraße"),
    ("pfahlplaetzchen", "karolinenstrasse", "Karolinenstraße"),
    ("pfahlplaetzchen", "geyerswoerthsteg", "Geyerswörthsteg"),
    ("geyerswoerthsteg", "obere-bruecke", "Geyerswörthplatz"),
    ("geyerswoerthsteg", "lange-strasse", "Geyerswörthstraße"),
    ("lange-strasse", "gruener-markt", "Lange Straße"),
    ("domplatz", "aufsessstrasse", "Aufseßstraße"),
    ("aufsessstrasse", "michelsberg", "Michelsberg"),
    ("michelsberg", "obere-sandstrasse", "Michelsberg"),
    ("obere-sandstrasse", "sandstrasse", "Obere Sandstraße"),
    ("obere-sandstrasse", "domplatz", "Ringleinsgasse"),
]


def build_document(town: dict[str, Any]) -> dict[str, Any]:
    """The walking graph document: area centres and lane junctions, each footway tagged with its area."""
    outlines = {f["properties"]["id"]: shape(f["geometry"]) for f in town["features"]}
    points: dict[str, tuple[float, float]] = {}
    for area_id, outline in outlines.items():
        centre = outline.representative_point()
        points[area_id] = (round(centre.x, 6), round(centre.y, 6))
    points.update(LANE_JUNCTIONS)

    def area_at(lon: float, lat: float) -> str | None:
        return next((a for a, o in outlines.items() if o.covers(Point(lon, lat))), None)

    footways = []

    def join(a: str, b: str, name: str) -> None:
        (lon1, lat1), (lon2, lat2) = points[a], points[b]
        # A footway belongs to the area its centre end lies in, else to the area its midpoint is in.
        area = a if a in outlines else b if b in outlines else area_at((lon1 + lon2) / 2, (lat1 + lat2) / 2)
        footways.append(
            {
                "from": a,
                "to": b,
                "length_m": round(distance_m(lon1, lat1, lon2, lat2), 1),
                "name": name,
                "area": area,
            }
        )

    for a, b, name in LANES:
        if a in outlines and b in outlines:
            # Between two area centres, each half of the way lies in its own area.
            middle = f"{a}--{b}"
            (lon1, lat1), (lon2, lat2) = points[a], points[b]
            points[middle] = (round((lon1 + lon2) / 2, 6), round((lat1 + lat2) / 2, 6))
            join(a, middle, name)
            join(middle, b, name)
        else:
            join(a, b, name)
    junctions = [{"id": j, "lon": lon, "lat": lat} for j, (lon, lat) in points.items()]
    return {"junctions": junctions, "footways": footways}


def demo_graph_document() -> dict[str, Any]:
    """The walking graph that ships with freiweg for the demo town."""
    text = resources.files("freiweg.demo").joinpath("walking_graph.json").read_text(encoding="utf-8")
    document: dict[str, Any] = orjson.loads(text)
    return document


if __name__ == "__main__":
    folder = Path(__file__).parent
    town = orjson.loads((folder / "town.geojson").read_bytes())
    (folder / "walking_graph.json").write_bytes(
        orjson.dumps(build_document(town), option=orjson.OPT_INDENT_2) + b"\n"
    )
