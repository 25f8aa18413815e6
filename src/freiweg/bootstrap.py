"""Composition root: the only place that picks concrete classes and wires them together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from freiweg.services.areas import AreaService
from freiweg.services.clock import Clock, system_clock
from freiweg.services.crowd import CrowdService
from freiweg.services.intake import IntakeService
from freiweg.services.registry import Services
from freiweg.services.sensors import SensorService
from freiweg.services.transparency_center import TransparencyCenter
from freiweg.settings import Settings
from freiweg.storage import migrate
from freiweg.storage.unit_of_work import Database

if TYPE_CHECKING:
    from fastapi import FastAPI


def build_services(
    settings: Settings | None = None, *, clock: Clock = system_clock, upgrade: bool = True
) -> Services:
    """Open the database (migrating it unless told not to) and build every service on it."""
    settings = settings or Settings()
    database = Database.from_url(settings.database_url)
    if upgrade:
        migrate.upgrade(database)
    return Services(
        settings=settings,
        database=database,
        clock=clock,
        areas=AreaService(database=database, clock=clock),
        sensors=SensorService(database=database, clock=clock),
        intake=IntakeService(database=database, clock=clock),
        crowd=CrowdService(
            database=database,
            clock=clock,
            timezone=settings.timezone,
            stale_after_intervals=settings.stale_after_intervals,
            demo=settings.demo,
        ),
        transparency=TransparencyCenter.build(settings=settings, database=database, clock=clock),
    )


def create_app(
    settings: Settings | None = None, *, clock: Clock = system_clock, upgrade: bool = True
) -> FastAPI:
    """The web application (API and pages) on freshly built services."""
    from freiweg.api.app import build_app

    settings = settings or Settings()
    settings.refuse_default_secrets()
    return build_app(build_services(settings, clock=clock, upgrade=upgrade))


def app_from_environment() -> FastAPI:
    """Factory for uvicorn workers; `freiweg serve` has migrated the database already."""
    return create_app(upgrade=False)
