"""The guidance use cases bundled: places, guidance read models and reservations on one database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from freiweg.services.clock import Clock
from freiweg.services.crowd import CrowdService
from freiweg.services.guidance import GuidanceService
from freiweg.services.places import PlaceService
from freiweg.services.reservations import ReservationService
from freiweg.storage.unit_of_work import Database


@dataclass(frozen=True)
class GuidanceServices:
    """Places and quiet zones, routes and alternatives, group plans and reservations."""

    places: PlaceService
    guide: GuidanceService
    reservations: ReservationService

    @classmethod
    def build(
        cls, *, database: Database, clock: Clock, crowd: CrowdService, timezone: str, forecasts: Any = None
    ) -> GuidanceServices:
        """Wire the guidance services on one database and clock."""
        guide = GuidanceService(
            database=database, clock=clock, crowd=crowd, timezone=timezone, forecasts=forecasts
        )
        return cls(
            places=PlaceService(database=database, clock=clock),
            guide=guide,
            reservations=ReservationService(database=database, clock=clock, guidance=guide),
        )
