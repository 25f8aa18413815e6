"""Routing around crowds: the quietest way within the detour bound, never through a quiet zone."""

from __future__ import annotations

import pytest

from freiweg.domain.errors import InvalidInput
from freiweg.guidance.graph import Footway, Junction, WalkingGraph, distance_m, graph_from_document
from freiweg.guidance.routing import NoRoute, crowd_penalty, plan_route


def ladder(detour_length: float = 120.0) -> WalkingGraph:
    """A to B straight through the square (100 m) or around it through a lane (detour_length)."""
    junctions = [Junction("a", 0, 0), Junction("b", 0.001, 0), Junction("c", 0.0005, 0.0005)]
    footways = [
        Footway("a", "b", 100.0, "Platz", "square"),
        Footway("a", "c", detour_length / 2, "Gasse", "lane"),
        Footway("c", "b", detour_length / 2, "Gasse", "lane"),
    ]
    return WalkingGraph(junctions, footways)


def test_a_calm_town_gets_the_shortest_route() -> None:
    route = plan_route(ladder(), "a", "b", penalties={"square": 1.0, "lane": 1.0})
    assert route.junctions == ["a", "b"]
    assert route.detour == 0


def test_a_crowded_square_is_walked_around_when_the_detour_is_short_enough() -> None:
    route = plan_route(
        ladder(120), "a", "b", penalties={"square": crowd_penalty("crowded", None), "lane": 1.0}
    )
    assert route.junctions == ["a", "c", "b"]
    assert route.length_m == pytest.approx(120)
    assert route.shortest_m == pytest.approx(100)
    assert route.crowd_cost < route.shortest_crowd_cost


def test_a_detour_longer_than_the_bound_is_not_proposed() -> None:
    route = plan_route(ladder(140), "a", "b", penalties={"square": 8.0, "lane": 1.0}, max_detour=0.3)
    assert route.junctions == ["a", "b"]
    wider = plan_route(ladder(140), "a", "b", penalties={"square": 8.0, "lane": 1.0}, max_detour=0.5)
    assert wider.junctions == ["a", "c", "b"]


def test_a_quiet_zone_is_never_used_even_when_it_is_shorter() -> None:
    route = plan_route(ladder(200), "a", "b", penalties={}, quiet_zones=frozenset({"square"}))
    assert "square" not in route.areas
    assert route.junctions == ["a", "c", "b"]


def test_a_route_may_start_inside_a_quiet_zone() -> None:
    graph = WalkingGraph(
        [Junction("home", 0, 0), Junction("gate", 0.0005, 0), Junction("b", 0.001, 0)],
        [Footway("home", "gate", 50.0, "Hof", "quiet"), Footway("gate", "b", 50.0, "Gasse", None)],
    )
    route = plan_route(graph, "home", "b", penalties={}, quiet_zones=frozenset({"quiet"}))
    assert route.junctions == ["home", "gate", "b"]


def test_unconnected_points_raise_no_route() -> None:
    graph = WalkingGraph(
        [Junction("a", 0, 0), Junction("b", 0.001, 0), Junction("x", 1, 1), Junction("y", 1.001, 1)],
        [Footway("a", "b", 10.0), Footway("x", "y", 10.0)],
    )
    with pytest.raises(NoRoute):
        plan_route(graph, "a", "y", penalties={})


def test_the_expected_level_counts_when_it_is_worse_than_now() -> None:
    assert crowd_penalty("calm", "crowded") == crowd_penalty("crowded", None)
    assert crowd_penalty("busy", "calm") == crowd_penalty("busy", None)


def test_steps_join_footways_of_the_same_street_and_area() -> None:
    route = plan_route(ladder(120), "a", "b", penalties={"square": 8.0})
    assert [(s.name, round(s.length_m)) for s in route.steps] == [("Gasse", 120)]


def test_distances_are_metres_on_the_earth() -> None:
    # One thousandth of a degree of latitude is about 111 m.
    assert distance_m(10.88, 49.89, 10.88, 49.891) == pytest.approx(111.2, abs=0.5)


def test_a_graph_document_with_unknown_junctions_is_refused_whole() -> None:
    with pytest.raises(InvalidInput) as error:
        graph_from_document(
            {"junctions": [{"id": "a", "lon": 0, "lat": 0}], "footways": [{"from": "a", "to": "z"}]}
        )
    assert any("unknown junctions" in p.message for p in error.value.problems)


def test_the_demo_graph_connects_every_area() -> None:
    from freiweg.demo.walking_graph import demo_graph_document

    graph = graph_from_document(demo_graph_document())
    import networkx as nx

    assert nx.is_connected(graph.graph)
    assert {w.area_id for w in graph.footways if w.area_id} >= {"domplatz", "gruener-markt", "obere-bruecke"}
