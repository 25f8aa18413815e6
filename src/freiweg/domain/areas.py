"""Areas: the streets and squares whose crowding freiweg reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from freiweg.domain.crowd import LevelThresholds

Ring = list[tuple[float, float]]


class AreaCategory(StrEnum):
    """What kind of public space an area is."""

    SQUARE = "square"
    STREET = "street"
    LANE = "lane"
    BRIDGE = "bridge"
    PROMENADE = "promenade"
    PARK = "park"
    MARKET = "market"


@dataclass(frozen=True)
class Area:
    """A street or square: outline (GeoJSON Polygon rings, lon/lat) and walkable surface."""

    id: str
    name_de: str
    name_en: str
    rings: list[Ring]
    walkable_m2: float
    category: AreaCategory = AreaCategory.STREET
    thresholds: LevelThresholds = field(default_factory=LevelThresholds)
    quiet_zone: bool = False

    def name(self, lang: str) -> str:
        """The area's name in lang ('de' or 'en'), German when unknown."""
        return self.name_en if lang == "en" else self.name_de
