"""Every route of an app, flattened across included routers, with its methods and dependencies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI


@dataclass(frozen=True)
class RouteInfo:
    """One path with one method and the dependency tree FastAPI resolves for it (None for plain routes)."""

    method: str
    path: str
    dependant: Any


def _candidates(route: Any) -> Iterator[Any]:
    if hasattr(route, "effective_candidates"):
        yield from route.effective_candidates()
        yield from route.effective_low_priority_routes()
    else:
        yield route


def all_routes(app: FastAPI) -> list[RouteInfo]:
    """Every (method, path) the app answers, mounts (static files) left out."""
    found = []
    for route in app.routes:
        for candidate in _candidates(route):
            methods = getattr(candidate, "methods", None)
            if not methods:
                continue
            for method in sorted(methods):
                found.append(RouteInfo(method, candidate.path, getattr(candidate, "dependant", None)))
    return found


def dependency_calls(dependant: Any) -> Iterator[Any]:
    """Every callable in a dependency tree."""
    if dependant is None:
        return
    for sub in dependant.dependencies:
        yield sub.call
        yield from dependency_calls(sub)
