"""The walking graph: junctions with coordinates and footways between them, each in at most one area."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from freiweg.domain.errors import FieldProblem, InvalidInput

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine); exact enough within a town."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Junction:
    """A node of the walking graph."""

    id: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Footway:
    """An edge of the walking graph: its length, its street name and the area it runs through."""

    source: str
    target: str
    length_m: float
    name: str = ""
    area_id: str | None = None


class WalkingGraph:
    """An undirected graph of footways, with a lookup of the nearest junction."""

    def __init__(self, junctions: Iterable[Junction], footways: Iterable[Footway]) -> None:
        self.junctions = {j.id: j for j in junctions}
        self.footways = list(footways)
        self.graph: nx.Graph[str] = nx.Graph()
        for junction in self.junctions.values():
            self.graph.add_node(junction.id)
        for way in self.footways:
            self.graph.add_edge(way.source, way.target, way=way, length=way.length_m)

    def __len__(self) -> int:
        return len(self.footways)

    def nearest(self, lon: float, lat: float) -> Junction:
        """The junction closest to a point."""
        return min(self.junctions.values(), key=lambda j: distance_m(lon, lat, j.lon, j.lat))

    def way(self, a: str, b: str) -> Footway:
        """The footway between two adjacent junctions."""
        way: Footway = self.graph.edges[a, b]["way"]
        return way

    def as_document(self) -> dict[str, Any]:
        """The graph as the JSON document freiweg ships and imports."""
        return {
            "junctions": [{"id": j.id, "lon": j.lon, "lat": j.lat} for j in self.junctions.values()],
            "footways": [
                {
                    "from": w.source,
                    "to": w.target,
                    "length_m": round(w.length_m, 1),
                    "name": w.name,
                    "area": w.area_id,
                }
                for w in self.footways
            ],
        }


def graph_from_document(document: Mapping[str, Any]) -> WalkingGraph:
    """Read a walking graph document, computing missing lengths; raise InvalidInput on bad parts."""
    problems: list[FieldProblem] = []
    junctions: list[Junction] = []
    for index, item in enumerate(document.get("junctions") or []):
        try:
            junctions.append(Junction(str(item["id"]), float(item["lon"]), float(item["lat"])))
        except (KeyError, TypeError, ValueError):
            problems.append(FieldProblem(index, "junctions", "needs id, lon and lat"))
    known = {j.id: j for j in junctions}
    footways: list[Footway] = []
    for index, item in enumerate(document.get("footways") or []):
        source, target = str(item.get("from")), str(item.get("to"))
        if source not in known or target not in known or source == target:
            problems.append(
                FieldProblem(index, "footways", f"joins unknown junctions {source!r} and {target!r}")
            )
            continue
        a, b = known[source], known[target]
        length = item.get("length_m") or distance_m(a.lon, a.lat, b.lon, b.lat)
        footways.append(Footway(source, target, float(length), str(item.get("name") or ""), item.get("area")))
    if not junctions or not footways:
        problems.append(FieldProblem(None, "footways", "a walking graph needs junctions and footways"))
    if problems:
        raise InvalidInput(problems, title="The walking graph was not read; nothing was changed.")
    return WalkingGraph(junctions, footways)
