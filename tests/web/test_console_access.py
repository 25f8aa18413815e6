"""Every route outside the public list refuses anonymous callers and staff of the wrong role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from freiweg.api.metrics import METRICS_STAFF, metrics_access
from freiweg.api.operator import OPERATOR_STAFF, operator
from freiweg.api.public_routes import PUBLIC_PAGES, PUBLIC_WRITES, is_public
from freiweg.api.staff_auth import RequireRole
from freiweg.bootstrap import create_app
from freiweg.services.registry import Services
from freiweg.services.staff import ROLES
from freiweg.settings import Settings
from tests.conftest import FakeClock
from tests.support.console import signed_in
from tests.support.routes import RouteInfo, all_routes, dependency_calls

OPERATOR_TOKEN = "operator-token-for-tests-0123456789"
METRICS_TOKEN = "metrics-token-for-tests-0123456789"
REFUSED_ANONYMOUS = {401, 403, 303}


@pytest.fixture
def app_client(settings: Settings, clock: FakeClock, services: Services) -> Iterator[TestClient]:
    """A client of the app with operator and metrics tokens set, so their routes answer 401, not 503."""
    tokens = {"operator_token": OPERATOR_TOKEN, "metrics_token": METRICS_TOKEN}
    app = create_app(settings.model_copy(update=tokens), clock=clock)
    with TestClient(app) as client:
        yield client
    app.state.services.database.dispose()


def concrete(path: str) -> str:
    """The path with every {parameter} replaced by a harmless value."""
    return re.sub(r"\{[^}]+\}", "x", path)


def allowed_roles(route: RouteInfo) -> tuple[str, ...] | None:
    """The staff roles a route admits, from its dependencies; None when it declares none."""
    for call in dependency_calls(route.dependant):
        if isinstance(call, RequireRole):
            return call.roles
        if call is operator:
            return OPERATOR_STAFF.roles
        if call is metrics_access:
            return METRICS_STAFF.roles
    return None


def protected_routes(client: TestClient) -> list[RouteInfo]:
    """Every route of the app that is not on the public list."""
    return [r for r in all_routes(client.app) if not is_public(r.method, r.path)]  # type: ignore[arg-type]


def call(client: TestClient, route: RouteInfo, **headers: str) -> Any:
    """Send a request to the route, without a body (authorisation comes before the body is read)."""
    return client.request(route.method, concrete(route.path), headers=headers, follow_redirects=False)


def test_every_route_outside_the_public_list_refuses_anonymous_callers(app_client: TestClient) -> None:
    routes = protected_routes(app_client)
    assert len(routes) > 20
    let_through = []
    for route in routes:
        answer = call(app_client, route)
        if answer.status_code not in REFUSED_ANONYMOUS:
            let_through.append((route.method, route.path, answer.status_code))
        elif answer.status_code == 303:
            assert answer.headers["location"].startswith("/console/login")
    assert let_through == []


def test_a_browser_without_a_session_is_sent_to_the_login_page(app_client: TestClient) -> None:
    answer = app_client.get("/console/sensors", headers={"accept": "text/html"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login?next=/console/sensors"


def test_every_protected_route_declares_which_roles_it_admits(app_client: TestClient) -> None:
    undeclared = [(r.method, r.path) for r in protected_routes(app_client) if allowed_roles(r) is None]
    assert undeclared == []


def test_every_protected_route_refuses_staff_of_another_role(
    app_client: TestClient, services: Services
) -> None:
    routes = protected_routes(app_client)
    let_through = []
    for role in ROLES:
        app_client.cookies.clear()
        csrf = signed_in(app_client, services, role)
        for route in routes:
            roles = allowed_roles(route) or ()
            if role in roles:
                continue
            answer = call(app_client, route, **{"x-csrf-token": csrf})
            if answer.status_code != 403:
                let_through.append((role, route.method, route.path, answer.status_code))
    assert let_through == []


def test_the_public_list_names_only_routes_that_exist(app_client: TestClient) -> None:
    existing = {(r.method, r.path) for r in all_routes(app_client.app)}  # type: ignore[arg-type]
    assert {("GET", p) for p in PUBLIC_PAGES} <= existing
    assert set(PUBLIC_WRITES) <= existing


def test_the_operator_token_still_works_for_machines(app_client: TestClient) -> None:
    answer = app_client.get(
        "/api/v1/ingest/rejections", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}
    )
    assert answer.status_code == 200
