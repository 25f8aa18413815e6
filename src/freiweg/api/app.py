"""The FastAPI application factory: routers, error handlers, limits and the pages."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from freiweg import __version__
from freiweg.api.limits import BodySizeLimit
from freiweg.api.metrics import install_metrics
from freiweg.api.problems import install_problem_handlers
from freiweg.api.routes import areas, health, ingest
from freiweg.api.routes import calibration as calibration_routes
from freiweg.api.routes import feedback as feedback_routes
from freiweg.api.routes import forecasts as forecast_routes
from freiweg.api.routes import lorawan as lorawan_routes
from freiweg.api.routes import places as places_routes
from freiweg.api.routes import planner as planner_routes
from freiweg.api.routes import routes as walking_routes
from freiweg.api.routes import survey as survey_routes
from freiweg.api.routes import transparency as transparency_routes
from freiweg.services.registry import Services
from freiweg.web import (
    area_pages,
    console_alerts,
    console_calibration,
    console_disclosures,
    console_events,
    console_health,
    console_moderation,
    console_pages,
    console_places,
    console_sensors,
    console_survey,
    kiosk_pages,
    pages,
    participation_pages,
    planner_pages,
    route_pages,
    survey_pages,
    transparency_pages,
)

DESCRIPTION = (
    "freiweg measures how busy streets and squares are from anonymous counts and guides people "
    "to free paths. Every figure carries its uncertainty and its time; missing data is never zero."
)


def build_app(services: Services) -> FastAPI:
    """Assemble the web application around services."""
    app = FastAPI(
        title="freiweg",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.services = services
    install_problem_handlers(app)
    app.include_router(ingest.router)
    app.include_router(lorawan_routes.router)
    app.include_router(calibration_routes.router)
    app.include_router(areas.router)
    app.include_router(forecast_routes.router)
    app.include_router(health.router)
    app.include_router(transparency_routes.router)
    app.include_router(feedback_routes.router)
    app.include_router(survey_routes.router)
    app.include_router(pages.router)
    app.include_router(transparency_pages.router)
    app.include_router(places_routes.router)
    app.include_router(walking_routes.router)
    app.include_router(planner_routes.router)
    app.include_router(area_pages.router)
    app.include_router(route_pages.router)
    app.include_router(planner_pages.router)
    app.include_router(kiosk_pages.router)
    app.include_router(participation_pages.router)
    app.include_router(survey_pages.router)
    app.include_router(console_pages.router)
    app.include_router(console_sensors.router)
    app.include_router(console_health.router)
    app.include_router(console_alerts.router)
    app.include_router(console_events.router)
    app.include_router(console_survey.router)
    app.include_router(console_places.router)
    app.include_router(console_calibration.router)
    app.include_router(console_moderation.router)
    app.include_router(console_disclosures.router)
    install_metrics(app)
    route_pages.mount_leaflet(app)  # before /static, which would shadow it
    pages.mount_static(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(BodySizeLimit, max_bytes=services.settings.max_body_bytes)
    _document_request_bodies(app)
    return app


def _document_request_bodies(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            ingest.document_schemas(generate())
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]
