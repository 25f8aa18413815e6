"""Routes around crowds: the least crowded way that is at most a bounded detour longer than the shortest."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import networkx as nx

from freiweg.guidance.graph import Footway, WalkingGraph

# How much longer a metre through an area feels at each crowd level; unknown is a little worse
# than calm, so measured calm ways win over unmeasured ones.
LEVEL_PENALTY: Final[dict[str | None, float]] = {
    "calm": 1.0,
    "moderate": 1.4,
    "busy": 2.2,
    "crowded": 4.0,
    "very_crowded": 8.0,
    None: 1.1,
}
DEFAULT_MAX_DETOUR: Final = 0.3
# Exponents tried on the penalty, strongest first: the first route within the detour bound wins;
# 0 is the plain shortest route, which always fits.
STRENGTHS: Final = (1.0, 0.6, 0.35, 0.15, 0.0)


class NoRoute(Exception):
    """The two points are not connected on foot (without crossing a quiet zone)."""


def crowd_penalty(current: str | None, expected: str | None) -> float:
    """The penalty of an area from its current level and its expected level on arrival: the worse one."""
    return max(LEVEL_PENALTY.get(current, 1.1), LEVEL_PENALTY.get(expected, 1.1) if expected else 1.0)


@dataclass(frozen=True)
class Step:
    """One stretch of a route along one named way through one area."""

    name: str
    area_id: str | None
    length_m: float
    penalty: float


@dataclass(frozen=True)
class Route:
    """A walking route, its length against the shortest one and its steps."""

    junctions: list[str]
    coordinates: list[tuple[float, float]]
    length_m: float
    shortest_m: float
    crowd_cost: float
    shortest_crowd_cost: float
    steps: list[Step]
    areas: list[str]
    shortest_areas: list[str]

    @property
    def detour(self) -> float:
        """How much longer than the shortest route, as a fraction."""
        return self.length_m / self.shortest_m - 1 if self.shortest_m else 0.0


def _penalty_of(way: Footway, penalties: Mapping[str, float]) -> float:
    return penalties.get(way.area_id, 1.0) if way.area_id else 1.0


def plan_route(
    graph: WalkingGraph,
    start: str,
    end: str,
    *,
    penalties: Mapping[str, float],
    quiet_zones: frozenset[str] = frozenset(),
    max_detour: float = DEFAULT_MAX_DETOUR,
) -> Route:
    """The quietest route from start to end at most max_detour longer than the shortest one.

    Footways through quiet zones are left out unless the route starts or ends inside that zone.
    """
    blocked = quiet_zones - _zone_of(graph, start) - _zone_of(graph, end)
    penalty_of = {area: penalties.get(area, 1.0) for area in {w.area_id for w in graph.footways} if area}

    def weight(strength: float) -> Callable[[str, str, dict[str, Any]], float | None]:
        # None hides a footway from Dijkstra: that is how quiet zones are left out.
        def cost(_a: str, _b: str, data: dict[str, Any]) -> float | None:
            area = data["way"].area_id
            if area is None:
                return float(data["length"])
            if area in blocked:
                return None
            return float(data["length"] * penalty_of[area] ** strength)

        return cost

    def best(strength: float) -> list[str]:
        _cost, path = nx.bidirectional_dijkstra(graph.graph, start, end, weight=weight(strength))
        return list(path)

    try:
        shortest = best(0.0)
    except (nx.NetworkXNoPath, nx.NodeNotFound) as error:
        raise NoRoute(f"no walking route from {start} to {end}") from error
    shortest_m = _length(graph, shortest)
    bound = shortest_m * (1 + max_detour) + 1e-6
    chosen = shortest
    for strength in STRENGTHS[:-1]:
        path = best(strength)
        if _length(graph, path) <= bound:
            chosen = path
            break
    return _route(graph, chosen, shortest, _cost(graph, shortest, penalties), penalties)


def _zone_of(graph: WalkingGraph, junction: str) -> set[str | None]:
    """The area a junction lies inside: the one all its footways run through, if they agree."""
    if junction not in graph.graph:
        return set()
    found = {graph.way(junction, n).area_id for n in graph.graph[junction]}
    return found if len(found) == 1 else set()


def _length(graph: WalkingGraph, path: list[str]) -> float:
    return sum(graph.way(a, b).length_m for a, b in zip(path, path[1:], strict=False))


def _cost(graph: WalkingGraph, path: list[str], penalties: Mapping[str, float]) -> float:
    return sum(
        graph.way(a, b).length_m * _penalty_of(graph.way(a, b), penalties)
        for a, b in zip(path, path[1:], strict=False)
    )


def _areas_of(graph: WalkingGraph, path: list[str]) -> list[str]:
    found: list[str] = []
    for a, b in zip(path, path[1:], strict=False):
        area = graph.way(a, b).area_id
        if area and area not in found:
            found.append(area)
    return found


def _route(
    graph: WalkingGraph,
    path: list[str],
    shortest: list[str],
    shortest_cost: float,
    penalties: Mapping[str, float],
) -> Route:
    steps: list[Step] = []
    for a, b in zip(path, path[1:], strict=False):
        way = graph.way(a, b)
        penalty = _penalty_of(way, penalties)
        if steps and steps[-1].name == way.name and steps[-1].area_id == way.area_id:
            last = steps.pop()
            steps.append(Step(last.name, last.area_id, last.length_m + way.length_m, penalty))
        else:
            steps.append(Step(way.name, way.area_id, way.length_m, penalty))
    return Route(
        junctions=path,
        coordinates=[(graph.junctions[j].lon, graph.junctions[j].lat) for j in path],
        length_m=_length(graph, path),
        shortest_m=_length(graph, shortest),
        crowd_cost=_cost(graph, path, penalties),
        shortest_crowd_cost=shortest_cost,
        steps=steps,
        areas=_areas_of(graph, path),
        shortest_areas=_areas_of(graph, shortest),
    )
