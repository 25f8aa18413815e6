"""Importing areas from GeoJSON: validate every feature, then store all of them or none."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyproj import Geod
from shapely.geometry import Polygon, shape
from shapely.validation import explain_validity

from freiweg.domain.areas import Area, AreaCategory
from freiweg.domain.crowd import LevelThresholds
from freiweg.domain.errors import FieldProblem, InvalidInput
from freiweg.domain.sensors import ID_PATTERN
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.storage.unit_of_work import Database

WGS84 = Geod(ellps="WGS84")


@dataclass(frozen=True)
class ImportResult:
    """How many areas an import created and changed."""

    created: int
    changed: int


def geodesic_area_m2(rings: list[list[tuple[float, float]]]) -> float:
    """Surface of a lon/lat polygon in m2 on the WGS 84 ellipsoid, holes subtracted."""
    return abs(WGS84.geometry_area_perimeter(Polygon(rings[0], rings[1:]))[0])


def parse_feature_collection(document: Any) -> list[Area]:
    """Turn a GeoJSON FeatureCollection into areas or raise InvalidInput naming each bad field."""
    if not isinstance(document, Mapping) or document.get("type") != "FeatureCollection":
        raise InvalidInput([FieldProblem(None, "type", "the file must be a GeoJSON FeatureCollection")])
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInput([FieldProblem(None, "features", "must be a non-empty list")])
    problems: list[FieldProblem] = []
    result: list[Area] = []
    seen: set[str] = set()
    for index, feature in enumerate(features):
        area = _parse_feature(index, feature, problems)
        if area is None:
            continue
        if area.id in seen:
            problems.append(FieldProblem(index, "properties.id", f"id {area.id!r} appears twice"))
        seen.add(area.id)
        result.append(area)
    if problems:
        raise InvalidInput(problems, title="The areas were not imported; nothing was changed.")
    return result


def _parse_feature(index: int, feature: Any, problems: list[FieldProblem]) -> Area | None:
    before = len(problems)

    def bad(field: str, message: str) -> None:
        problems.append(FieldProblem(index, field, message))

    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        bad("type", "must be a GeoJSON Feature")
        return None
    props = feature.get("properties") or {}
    if not isinstance(props, Mapping):
        bad("properties", "must be an object")
        return None
    area_id = props.get("id", feature.get("id"))
    if not isinstance(area_id, str) or not ID_PATTERN.match(area_id):
        bad("properties.id", "needs a lower-case id of letters, digits, '-' or '_'")
    names = {}
    for key in ("name_de", "name_en"):
        value = props.get(key)
        if not isinstance(value, str) or not value.strip():
            bad(f"properties.{key}", "is missing; every area needs a German and an English name")
        else:
            names[key] = value.strip()
    category = props.get("category", AreaCategory.STREET.value)
    if category not in {c.value for c in AreaCategory}:
        bad(
            "properties.category",
            f"unknown category {category!r}; use one of " + ", ".join(c.value for c in AreaCategory),
        )
    rings = _parse_polygon(feature.get("geometry"), bad)
    thresholds = LevelThresholds()
    if props.get("thresholds") is not None:
        raw = props["thresholds"]
        try:
            thresholds = LevelThresholds(*[float(x) for x in raw])
            if len(raw) != 4:
                raise ValueError
        except (TypeError, ValueError):
            bad(
                "properties.thresholds",
                "must be four increasing positive densities (people per m2)",
            )
    walkable = props.get("walkable_m2")
    if rings is not None:
        surface = geodesic_area_m2(rings)
        if walkable is None:
            walkable = surface
        elif not isinstance(walkable, int | float) or isinstance(walkable, bool) or walkable <= 0:
            bad("properties.walkable_m2", "must be a positive number of square metres")
        elif walkable > surface * 1.01:
            bad(
                "properties.walkable_m2",
                f"{walkable} m2 is larger than the outline ({surface:.0f} m2)",
            )
    quiet = props.get("quiet_zone", False)
    if not isinstance(quiet, bool):
        bad("properties.quiet_zone", "must be true or false")
    if len(problems) > before or rings is None:
        return None
    return Area(
        id=str(area_id),
        name_de=names["name_de"],
        name_en=names["name_en"],
        rings=rings,
        walkable_m2=float(walkable or 0),
        category=AreaCategory(category),
        thresholds=thresholds,
        quiet_zone=quiet,
    )


def _parse_polygon(geometry: Any, bad: Any) -> list[list[tuple[float, float]]] | None:
    if not isinstance(geometry, Mapping) or geometry.get("type") != "Polygon":
        bad("geometry", "must be a GeoJSON Polygon")
        return None
    raw: Any = geometry.get("coordinates")
    try:
        rings = [[(float(p[0]), float(p[1])) for p in ring] for ring in raw]
    except (TypeError, ValueError, IndexError):
        bad("geometry.coordinates", "must be a list of rings of [longitude, latitude] positions")
        return None
    if not rings:
        bad("geometry.coordinates", "needs an outer ring")
        return None
    for number, ring in enumerate(rings):
        if len(ring) < 4:
            bad(f"geometry.coordinates[{number}]", "a ring needs at least four positions")
            return None
        if ring[0] != ring[-1]:
            bad(f"geometry.coordinates[{number}]", "a ring must be closed (last position = first)")
            return None
        if any(not (-180 <= x <= 180 and -90 <= y <= 90) for x, y in ring):
            bad(
                f"geometry.coordinates[{number}]",
                "positions must be [longitude, latitude] in degrees",
            )
            return None
    polygon = shape({"type": "Polygon", "coordinates": rings})
    if not polygon.is_valid:
        bad("geometry", f"invalid polygon: {explain_validity(polygon)}")
        return None
    return rings


class AreaService:
    """Creating and changing areas, each change logged in the same transaction."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def import_areas(self, document: Any) -> ImportResult:
        """Validate a FeatureCollection and store all its areas, or none."""
        parsed = parse_feature_collection(document)
        now = epoch(self._clock())
        created = changed = 0
        with self._database.unit_of_work() as uow:
            for area in parsed:
                before = uow.areas.get(area.id)
                if before == area:
                    continue
                is_new = uow.areas.save(area, now=now)
                created += is_new
                changed += not is_new
                record_change(
                    uow,
                    kind="area.created" if is_new else "area.changed",
                    subject=f"area:{area.id}",
                    body=area_facts(area),
                    now=now,
                )
            if created or changed:
                uow.revision.bump()
            uow.commit()
        return ImportResult(created=created, changed=changed)

    def list_areas(self) -> list[Area]:
        """Every area."""
        with self._database.unit_of_work() as uow:
            return uow.areas.all()


def area_facts(area: Area) -> dict[str, Any]:
    """The public facts of an area as logged."""
    return {
        "id": area.id,
        "name_de": area.name_de,
        "name_en": area.name_en,
        "category": area.category.value,
        "walkable_m2": round(area.walkable_m2, 1),
        "thresholds": area.thresholds.as_list(),
        "quiet_zone": area.quiet_zone,
        "geometry": {"type": "Polygon", "coordinates": [list(map(list, r)) for r in area.rings]},
    }
