"""Helpers for console tests: staff accounts, signing in through the form, reading CSRF tokens."""

from __future__ import annotations

import re
from typing import Any

from freiweg.services.registry import Services
from freiweg.services.staff import StaffService

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def staff_service(services: Services) -> StaffService:
    """A staff service on the test's database and clock."""
    return StaffService(database=services.database, clock=services.clock)


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: Any, name: str, password: str, code: str = "") -> Any:
    """Post the login form like a browser (form token from the login page); return the response."""
    page = client.get("/console/login")
    return client.post(
        "/console/login",
        data={"name": name, "password": password, "code": code, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )


def signed_in(client: Any, services: Services, role: str, name: str | None = None) -> str:
    """Create an account with role, sign the client in; return the session's CSRF token."""
    name = name or f"{role}-member"
    created = staff_service(services).add(name, role=role)
    assert created.password
    answer = sign_in(client, name, created.password)
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/console", headers={"accept": "text/html"}).text)
