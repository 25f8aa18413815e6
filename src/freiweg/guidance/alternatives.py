"""What to do instead: quieter places of the same kind nearby, and the quietest times to come."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from freiweg.guidance.graph import distance_m
from freiweg.guidance.places import Place

LEVEL_RANK: Final[dict[str | None, int]] = {
    "calm": 0,
    "moderate": 1,
    "busy": 2,
    "crowded": 3,
    "very_crowded": 4,
}
NEARBY_M: Final = 1500.0


@dataclass(frozen=True)
class Alternative:
    """A quieter place of the same kind, its level and how far it is."""

    place: Place
    level: str | None
    distance_m: float


def quieter_places(
    place: Place,
    candidates: Sequence[Place],
    *,
    levels: Mapping[str, str | None],
    quiet_zones: frozenset[str] = frozenset(),
    limit: int = 3,
    nearby_m: float = NEARBY_M,
) -> list[Alternative]:
    """Places of the same category nearby whose area is measured calmer; quiet zones are never suggested."""
    here = LEVEL_RANK.get(levels.get(place.area_id))
    result = []
    for other in candidates:
        if other.id == place.id or other.category != place.category or other.area_id in quiet_zones:
            continue
        rank = LEVEL_RANK.get(levels.get(other.area_id))
        if rank is None or (here is not None and rank >= here):
            continue
        distance = distance_m(place.lon, place.lat, other.lon, other.lat)
        if distance <= nearby_m:
            result.append(Alternative(other, levels.get(other.area_id), distance))
    result.sort(key=lambda a: (LEVEL_RANK.get(a.level, 9), a.distance_m))
    return result[:limit]


@dataclass(frozen=True)
class TimeSuggestion:
    """An hour to come, with the people expected then."""

    hour: int
    people: float


def best_times(
    expected: Mapping[int, float],
    *,
    after_hour: int,
    open_hours: Sequence[int] | None = None,
    limit: int = 3,
) -> list[TimeSuggestion]:
    """The quietest hours still ahead today (hour -> expected people), earliest first among equals."""
    hours = [h for h in sorted(expected) if h >= after_hour and (open_hours is None or h in open_hours)]
    ranked = sorted(hours, key=lambda h: (expected[h], h))[:limit]
    return [TimeSuggestion(h, expected[h]) for h in sorted(ranked)]
