"""Reading a walking graph from an OpenStreetMap XML extract (.osm) with the standard library, offline."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Final

from freiweg.domain.errors import FieldProblem, InvalidInput
from freiweg.guidance.graph import Footway, Junction, WalkingGraph, distance_m

WALKABLE: Final = frozenset(
    {
        "footway", "pedestrian", "path", "steps", "living_street", "residential", "service",
        "unclassified", "tertiary", "secondary", "primary", "track", "cycleway", "bridleway", "corridor",
    }
)  # fmt: skip


def read_osm(path: Path, *, area_at: Callable[[float, float], str | None] | None = None) -> WalkingGraph:
    """The walkable ways of an OSM XML file as a walking graph; area_at(lon, lat) tags each footway."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        raise InvalidInput(
            [FieldProblem(None, "file", f"cannot read {path.name} as OSM XML: {error}")]
        ) from error
    points: dict[str, tuple[float, float]] = {}
    for node in root.iter("node"):
        try:
            points[node.attrib["id"]] = (float(node.attrib["lon"]), float(node.attrib["lat"]))
        except (KeyError, ValueError):
            continue
    used: dict[str, Junction] = {}
    footways: list[Footway] = []
    for way in root.iter("way"):
        tags = {t.attrib.get("k"): t.attrib.get("v") for t in way.iter("tag")}
        if tags.get("highway") not in WALKABLE or tags.get("foot") == "no" or tags.get("access") == "private":
            continue
        refs = [nd.attrib["ref"] for nd in way.iter("nd") if nd.attrib.get("ref") in points]
        name = tags.get("name") or ""
        for a, b in zip(refs, refs[1:], strict=False):
            if a == b:
                continue
            (lon1, lat1), (lon2, lat2) = points[a], points[b]
            for ref, (lon, lat) in ((a, points[a]), (b, points[b])):
                used.setdefault(ref, Junction(ref, lon, lat))
            area = area_at((lon1 + lon2) / 2, (lat1 + lat2) / 2) if area_at else None
            footways.append(Footway(a, b, distance_m(lon1, lat1, lon2, lat2), name, area))
    if not footways:
        raise InvalidInput(
            [
                FieldProblem(
                    None, "file", f"{path.name} holds no walkable ways (highway=footway, pedestrian, ...)"
                )
            ]
        )
    return WalkingGraph(used.values(), footways)
