"""Guidance read models: an area's day, quieter places and times, routes around crowds."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median, quantiles
from typing import Any
from zoneinfo import ZoneInfo

from freiweg.domain.areas import Area
from freiweg.domain.calibration import calibration_at
from freiweg.domain.crowd import MIN_WEEKS_FOR_USUAL
from freiweg.domain.errors import NotFound
from freiweg.guidance.alternatives import LEVEL_RANK, best_times, quieter_places
from freiweg.guidance.graph import WalkingGraph
from freiweg.guidance.places import Place
from freiweg.guidance.routing import DEFAULT_MAX_DETOUR, Route, crowd_penalty, plan_route
from freiweg.services.clock import Clock, epoch
from freiweg.services.crowd import PRESENCE_KINDS, USUAL_WEEKS, CrowdService
from freiweg.storage.guidance_repository import GuidanceRepository
from freiweg.storage.read_models import active_sensor_states, hourly_presence
from freiweg.storage.unit_of_work import Database

UsualHours = dict[str, dict[int, float]]  # area -> local hour -> usual people
UsualBand = dict[str, dict[int, tuple[float, float]]]  # area -> local hour -> (lower, upper quartile)

USUAL_SOURCE = "usual"  # the label shown while no forecast exists for an area
FORECAST_SOURCE = "forecast"


@dataclass
class _Cached:
    revision: int
    graph: WalkingGraph | None
    places: list[Place]
    areas: dict[str, Area]


class GuidanceService:
    """What to do instead, when to come and how to walk: computed from levels and the usual profile."""

    def __init__(
        self, *, database: Database, clock: Clock, crowd: CrowdService, timezone: str, forecasts: Any = None
    ) -> None:
        self._database = database
        self._clock = clock
        self._crowd = crowd
        self.zone = ZoneInfo(timezone)
        self._forecasts = forecasts
        self._cached: _Cached | None = None
        # Memoised per data revision, like the crowd picture: identical in every process.
        self._usual: dict[tuple[int, date, tuple[str, ...]], tuple[UsualHours, UsualBand]] = {}
        self._forecast_memo: dict[tuple[int, int, str], dict[date, dict[int, dict[str, Any]]]] = {}
        self._lock = threading.Lock()

    # -- shared inputs ------------------------------------------------------------------------

    def _base(self) -> _Cached:
        revision = self._database.peek_revision()
        cached = self._cached
        if cached is not None and cached.revision == revision:
            return cached
        with self._database.reading() as reader:
            repository = GuidanceRepository(reader.connection)
            fresh = _Cached(
                revision, repository.graph(), repository.all_places(), {a.id: a for a in reader.areas.all()}
            )
        with self._lock:
            self._cached = fresh
        return fresh

    def levels_now(self) -> dict[str, str | None]:
        """Each area's crowd level now (None without fresh data)."""
        return {a["id"]: a["level"] for a in self._crowd.overview().payload["areas"]}

    def usual_day(self, day: date, area_ids: list[str] | None = None) -> dict[str, dict[int, float]]:
        """Area -> local hour -> usual people: the median of the same weekday and hour over past weeks."""
        return self._usual_of(day, area_ids)[0]

    def usual_band(
        self, day: date, area_ids: list[str] | None = None
    ) -> dict[str, dict[int, tuple[float, float]]]:
        """Area -> local hour -> the usual band: lower and upper quartile of the same weekday and hour."""
        return self._usual_of(day, area_ids)[1]

    def _usual_of(self, day: date, area_ids: list[str] | None) -> tuple[UsualHours, UsualBand]:
        base = self._base()
        wanted = area_ids or list(base.areas)
        key = (base.revision, day, tuple(wanted))
        cached = self._usual.get(key)
        if cached is not None:
            return cached
        result = self._compute_usual_day(day, wanted)
        with self._lock:
            if len(self._usual) > 256:
                self._usual.clear()
            self._usual[key] = result
        return result

    def _compute_usual_day(self, day: date, wanted: list[str]) -> tuple[UsualHours, UsualBand]:
        starts: dict[int, tuple[int, int]] = {}  # UTC hour start -> (weeks back, local hour)
        for weeks in range(1, USUAL_WEEKS + 1):
            for hour in range(24):
                moment = datetime.combine(day - timedelta(weeks=weeks), datetime.min.time()).replace(
                    hour=hour, tzinfo=self.zone
                )
                starts[epoch(moment)] = (weeks, hour)
        with self._database.reading() as reader:
            states = [
                s
                for s in active_sensor_states(reader.connection)
                if s.area_id in wanted and s.kind in PRESENCE_KINDS
            ]
            rows = hourly_presence(reader.connection, list(starts)) if states else []
            calibrations = reader.calibrations.all()
        area_of = {s.pk: s for s in states}
        totals: dict[tuple[str, int, int], float] = defaultdict(float)  # (area, hour, weeks) -> people
        for sensor_pk, hour_start, mean in rows:
            state = area_of.get(sensor_pk)
            if state is None:
                continue
            weeks, hour = starts[hour_start]
            factor = calibration_at(calibrations, sensor_id=state.id, moment=hour_start).factor
            totals[(state.area_id, hour, weeks)] += mean * factor
        per_hour: dict[tuple[str, int], list[float]] = defaultdict(list)
        for (area_id, hour, _weeks), people in totals.items():
            per_hour[(area_id, hour)].append(people)
        result: UsualHours = {a: {} for a in wanted}
        band: UsualBand = {a: {} for a in wanted}
        for (area_id, hour), values in per_hour.items():
            if len(values) >= MIN_WEEKS_FOR_USUAL:
                result[area_id][hour] = median(values)
                low, _middle, high = quantiles(values, n=4, method="inclusive")
                band[area_id][hour] = (low, high)
        return result, band

    def forecast_hours(self, area_id: str) -> dict[date, dict[int, float]]:
        """Local day -> hour -> forecast people from the forecast service, when it has a run."""
        return {
            day: {hour: row["value"] for hour, row in hours.items()}
            for day, hours in self.forecast_detail(area_id).items()
        }

    def forecast_detail(self, area_id: str) -> dict[date, dict[int, dict[str, Any]]]:
        """Local day -> hour -> forecast people with its 80 % interval (low, high) and its reasons."""
        read = getattr(self._forecasts, "for_area", None)
        if read is None:
            return {}
        now = epoch(self._clock())
        key = (self._base().revision, now - now % 3600, area_id)
        cached = self._forecast_memo.get(key)
        if cached is not None:
            return cached
        # Only stored runs are read: a page request never trains a model.
        found = read(area_id, refresh=False)
        factor = self._people_per_count(area_id, now) if found else 1.0
        result: dict[date, dict[int, dict[str, Any]]] = defaultdict(dict)
        for hour in (found or {}).get("hours", []):
            start = datetime.fromisoformat(hour["start"]).astimezone(self.zone)
            value = float(hour["value"]) * factor
            result[start.date()][start.hour] = {
                "value": value,
                "low": float(hour.get("low", hour["value"])) * factor,
                "high": float(hour.get("high", hour["value"])) * factor,
                "reasons": list(hour.get("reasons", [])),
            }
        with self._lock:
            if len(self._forecast_memo) > 1024:
                self._forecast_memo.clear()
            self._forecast_memo[key] = dict(result)
        return dict(result)

    def _people_per_count(self, area_id: str, moment: int) -> float:
        """People per counted device in an area: the mean current calibration of its presence sensors.

        Forecasts are made on the summed counts before calibration; pages speak of people.
        """
        with self._database.reading() as reader:
            states = [
                s
                for s in active_sensor_states(reader.connection)
                if s.area_id == area_id and s.kind in PRESENCE_KINDS
            ]
            calibrations = reader.calibrations.all()
        factors = [calibration_at(calibrations, sensor_id=s.id, moment=moment).factor for s in states]
        return sum(factors) / len(factors) if factors else 1.0

    def level_of(self, area_id: str, people: float | None, *, base: _Cached | None = None) -> str | None:
        """The crowd level of a people count in an area (base: the inputs already read, if any)."""
        area = (base or self._base()).areas.get(area_id)
        if area is None or people is None:
            return None
        return area.thresholds.level(people / area.walkable_m2).value

    # -- pages ---------------------------------------------------------------------------------

    def area_day(self, area_id: str, language: str = "de") -> dict[str, Any]:
        """An area now, today's measured series, the usual day, the best times left and quieter places."""
        snapshot = self._crowd.area(area_id)
        if snapshot is None:
            raise NotFound(f"no area {area_id!r}")
        base = self._base()
        now = self._clock().astimezone(self.zone)
        next_day = now.date() + timedelta(days=1)
        usual = self.usual_day(now.date(), [area_id])[area_id]
        usual_tomorrow = self.usual_day(next_day, [area_id])[area_id]
        detail = self.forecast_detail(area_id)
        forecast = {day: {h: row["value"] for h, row in hours.items()} for day, hours in detail.items()}
        source = FORECAST_SOURCE if forecast else USUAL_SOURCE
        tomorrow = usual_tomorrow
        if forecast:
            # The forecast covers the hours ahead; hours already past keep the usual value.
            today_hours = {**usual, **forecast.get(now.date(), {})}
            tomorrow = forecast.get(next_day, {}) or tomorrow
        else:
            today_hours = usual
        levels = self.levels_now()
        quiet = frozenset(a.id for a in base.areas.values() if a.quiet_zone)
        here = [p for p in base.places if p.area_id == area_id]
        alternatives = []
        for place in here:
            for found in quieter_places(place, base.places, levels=levels, quiet_zones=quiet):
                alternatives.append(
                    {
                        "instead_of": place.id,
                        "place": place_facts(found.place),
                        "level": found.level,
                        "distance_m": round(found.distance_m),
                    }
                )
        area = base.areas[area_id]
        similar = sorted(
            (
                a
                for a in base.areas.values()
                if a.id != area_id
                and a.category == area.category
                and not a.quiet_zone
                and LEVEL_RANK.get(levels.get(a.id), 9) < LEVEL_RANK.get(levels.get(area_id), 9)
            ),
            key=lambda a: LEVEL_RANK.get(levels.get(a.id), 9),
        )
        hours = best_times(today_hours, after_hour=now.hour, open_hours=visiting_hours(here, now.weekday()))
        return {
            **snapshot.payload,
            "expected": {
                "source": source,
                "today": self._expected_rows(area_id, today_hours, detail.get(now.date(), {})),
                "usual_today": self._usual_rows(area_id, usual, self.usual_band(now.date(), [area_id])),
                "tomorrow": self._expected_rows(area_id, tomorrow, detail.get(next_day, {})),
                "usual_tomorrow": self._usual_rows(
                    area_id, usual_tomorrow, self.usual_band(next_day, [area_id])
                ),
            },
            "best_times": [
                {
                    "hour": t.hour,
                    "people": round(t.people),
                    "level": self.level_of(area_id, t.people, base=base),
                }
                for t in hours
            ],
            "places": [place_facts(p) for p in here],
            "quieter_places": alternatives,
            "quieter_areas": [
                {"id": a.id, "name": {"de": a.name_de, "en": a.name_en}, "level": levels.get(a.id)}
                for a in similar
            ],
            "sensors": [s.id for s in active_sensor_states_for(self._database, area_id)],
        }

    def _expected_rows(
        self, area_id: str, hours: dict[int, float], detail: dict[int, dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Expected people per hour; forecast hours add their 80 % interval and their reasons."""
        base = self._base()
        rows = []
        for hour, value in sorted(hours.items()):
            row: dict[str, Any] = {
                "hour": hour,
                "people": round(value),
                "level": self.level_of(area_id, value, base=base),
            }
            if hour in detail:
                row.update(
                    low=round(detail[hour]["low"]),
                    high=round(detail[hour]["high"]),
                    reasons=detail[hour]["reasons"],
                )
            rows.append(row)
        return rows

    def _usual_rows(
        self, area_id: str, usual: dict[int, float], band: dict[str, dict[int, tuple[float, float]]]
    ) -> list[dict[str, Any]]:
        """The usual people per hour with the usual band (lower and upper quartile of past weeks)."""
        base = self._base()
        spread = band.get(area_id, {})
        return [
            {
                "hour": hour,
                "people": round(value),
                "level": self.level_of(area_id, value, base=base),
                "low": round(spread[hour][0]) if hour in spread else round(value),
                "high": round(spread[hour][1]) if hour in spread else round(value),
            }
            for hour, value in sorted(usual.items())
        ]

    def places_overview(self) -> list[dict[str, Any]]:
        """Every place with its area's level now."""
        levels = self.levels_now()
        return [{**place_facts(p), "level": levels.get(p.area_id)} for p in self._base().places]

    def place(self, place_id: str) -> Place:
        """One place or NotFound."""
        for place in self._base().places:
            if place.id == place_id:
                return place
        raise NotFound(f"no place {place_id!r}")

    def endpoints(self) -> list[dict[str, Any]]:
        """Where a route can start or end: places and areas, with ids and names."""
        base = self._base()
        result = [
            {"id": p.id, "name": {"de": p.name_de, "en": p.name_en}, "kind": "place"} for p in base.places
        ]
        result += [
            {"id": a.id, "name": {"de": a.name_de, "en": a.name_en}, "kind": "area"}
            for a in base.areas.values()
        ]
        return sorted(result, key=lambda e: e["name"]["de"])

    def route(
        self, origin: str, destination: str, *, max_detour: float = DEFAULT_MAX_DETOUR
    ) -> dict[str, Any]:
        """The quietest reasonable walking route between two places, areas or junctions."""
        base = self._base()
        if base.graph is None:
            raise NotFound("no walking graph has been imported; run `freiweg graph import FILE.osm`")
        start, end = self._junction(base, origin, "from"), self._junction(base, destination, "to")
        levels = self.levels_now()
        now = self._clock().astimezone(self.zone)
        next_hour = (now + timedelta(hours=1)).hour
        expected = self.usual_day(now.date())
        penalties = {}
        for area_id in base.areas:
            ahead = self.forecast_hours(area_id).get(now.date(), {}).get(next_hour)
            if ahead is None:
                ahead = expected.get(area_id, {}).get(next_hour)
            penalties[area_id] = crowd_penalty(levels.get(area_id), self.level_of(area_id, ahead, base=base))
        quiet = frozenset(a.id for a in base.areas.values() if a.quiet_zone)
        route = plan_route(
            base.graph, start, end, penalties=penalties, quiet_zones=quiet, max_detour=max_detour
        )
        return route_facts(route, base.areas, levels, max_detour=max_detour)

    def _junction(self, base: _Cached, name: str, field: str) -> str:
        assert base.graph is not None
        if name in base.graph.junctions:
            return name
        for place in base.places:
            if place.id == name:
                return base.graph.nearest(place.lon, place.lat).id
        raise NotFound(f"{field}: no place, area or junction {name!r}")


DAYTIME = range(8, 21)  # when an area without places is worth suggesting


def visiting_hours(places: list[Place], weekday: int) -> list[int]:
    """Hours in which at least one of the places is open for the whole hour; daytime without places."""
    if not places:
        return list(DAYTIME)
    return [
        hour
        for hour in range(24)
        if any(p.opening_hours.open_between(weekday, hour * 60, hour * 60 + 60) for p in places)
    ]


def active_sensor_states_for(database: Database, area_id: str) -> list[Any]:
    """The active sensors of one area."""
    with database.reading() as reader:
        return [s for s in active_sensor_states(reader.connection) if s.area_id == area_id]


def place_facts(place: Place) -> dict[str, Any]:
    """A place as the pages and the API publish it."""
    return {
        "id": place.id,
        "name": {"de": place.name_de, "en": place.name_en},
        "category": place.category.value,
        "area_id": place.area_id,
        "lon": place.lon,
        "lat": place.lat,
        "opening_hours": place.opening_hours.text,
        "capacity": place.capacity,
        "visit_minutes": place.visit_minutes,
    }


def route_facts(
    route: Route, areas: dict[str, Area], levels: dict[str, str | None], *, max_detour: float
) -> dict[str, Any]:
    """A route as the pages and the API publish it (GeoJSON LineString plus steps)."""
    avoided = [a for a in route.shortest_areas if a not in route.areas]
    return {
        "length_m": round(route.length_m),
        "shortest_m": round(route.shortest_m),
        "detour": round(route.detour, 3),
        "max_detour": max_detour,
        "walking_minutes": max(1, round(route.length_m / 80)),
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in route.coordinates]},
        "steps": [
            {
                "name": step.name,
                "area_id": step.area_id,
                "area_name": (
                    {"de": areas[step.area_id].name_de, "en": areas[step.area_id].name_en}
                    if step.area_id in areas
                    else None
                ),
                "level": levels.get(step.area_id) if step.area_id else None,
                "length_m": round(step.length_m),
            }
            for step in route.steps
        ],
        "areas": route.areas,
        "avoided_areas": avoided,
    }
