"""/metrics for Prometheus: request latency of this process and figures from the database, behind a token."""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from freiweg.api.deps import BearerToken
from freiweg.api.staff_auth import RequireRole, current_session
from freiweg.services.metrics import MetricsService

router = APIRouter(include_in_schema=False)
METRICS_STAFF = RequireRole()  # admins only, besides the token
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


async def metrics_access(request: Request, token: BearerToken) -> None:
    """Require FREIWEG_METRICS_TOKEN as bearer token, or an admin's session; 503 while no token is set."""
    expected = request.app.state.services.settings.metrics_token
    if token and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return
    if token is None and current_session(request) is not None:
        await METRICS_STAFF(request)
        return
    if not expected:
        raise HTTPException(503, "Metrics are switched off: set FREIWEG_METRICS_TOKEN.")
    raise HTTPException(401, "The metrics token is missing or wrong.")


class DatabaseFigures(Collector):
    """Reads the figures at scrape time, so every process reports the same database state."""

    def __init__(self, service: MetricsService) -> None:
        self._service = service

    def collect(self) -> Iterator[Any]:
        """The metric families of one scrape."""
        figures = self._service.figures()
        stored = CounterMetricFamily("freiweg_counts_stored", "Counts stored since the database was created.")
        stored.add_metric([], figures.counts_stored)
        yield stored
        rejected = CounterMetricFamily(
            "freiweg_rejections",
            "Messages that became no count, by source and reason.",
            labels=["source", "reason"],
        )
        for source, reason, number in figures.rejections:
            rejected.add_metric([source, reason], number)
        yield rejected
        silent = GaugeMetricFamily(
            "freiweg_sensor_silent", "1 when an active sensor is silent.", labels=["sensor"]
        )
        since = GaugeMetricFamily(
            "freiweg_sensor_seconds_since_last_count",
            "Seconds since the newest window ended.",
            labels=["sensor"],
        )
        for sensor in figures.sensors:
            silent.add_metric([sensor.sensor_id], 1 if sensor.silent else 0)
            if sensor.seconds_since_last_count is not None:
                since.add_metric([sensor.sensor_id], sensor.seconds_since_last_count)
        yield silent
        yield since


class RequestTimer:
    """ASGI middleware: time every HTTP request by route template and status class."""

    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on and record its duration."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            # The route template, never the concrete path: no ids, no tokens in labels.
            template = getattr(route, "path", None) or "unmatched"
            self.histogram.labels(scope["method"], template, f"{status // 100}xx").observe(
                time.perf_counter() - start
            )


def install_metrics(app: FastAPI) -> None:
    """Add the request timer and the /metrics route to the app."""
    services = app.state.services
    registry = CollectorRegistry(auto_describe=True)
    histogram = Histogram(
        "freiweg_request_seconds",
        "Time to answer an HTTP request, by method, route and status class.",
        ["method", "route", "status"],
        registry=registry,
    )
    registry.register(
        DatabaseFigures(
            MetricsService(
                database=services.database,
                clock=services.clock,
                tolerance=services.settings.stale_after_intervals,
            )
        )
    )
    app.state.metrics_registry = registry
    app.add_middleware(RequestTimer, histogram=histogram)
    app.include_router(router)


@router.get("/metrics")
async def metrics(request: Request, _access: Annotated[None, Depends(metrics_access)]) -> Response:
    """Prometheus text format."""
    body = await run_in_threadpool(generate_latest, request.app.state.metrics_registry)
    return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})
