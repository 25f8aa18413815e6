"""The set of services an entry point works with, assembled by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from freiweg.services.areas import AreaService
from freiweg.services.clock import Clock
from freiweg.services.crowd import CrowdService
from freiweg.services.intake import IntakeService
from freiweg.services.sensors import SensorService
from freiweg.services.transparency_center import TransparencyCenter
from freiweg.settings import Settings
from freiweg.storage.unit_of_work import Database


@dataclass
class Services:
    """Everything the API, the pages and the CLI call."""

    settings: Settings
    database: Database
    clock: Clock
    areas: AreaService
    sensors: SensorService
    intake: IntakeService
    crowd: CrowdService
    transparency: TransparencyCenter
