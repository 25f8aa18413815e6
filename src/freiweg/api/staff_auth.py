"""Staff sign-in for routes: the session cookie, roles and the CSRF check on every change."""

from __future__ import annotations

import hmac
from typing import Final

from fastapi import Request
from starlette.exceptions import HTTPException

from freiweg.services.registry import Services
from freiweg.services.staff import ROLES, StaffService, StaffSession

SESSION_COOKIE: Final = "freiweg_staff"
CSRF_FIELD: Final = "csrf"
CSRF_HEADER: Final = "x-csrf-token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
# What each role may do besides what admin may always do.
EDITORS: Final = ("editor",)
ANALYSTS: Final = ("analyst",)
MODERATORS: Final = ("moderator",)
ANY_STAFF: Final = ROLES


def staff_service(services: Services) -> StaffService:
    """The staff service on the app's database, built once per app."""
    built = getattr(services, "_staff", None)
    if built is None:
        built = StaffService(database=services.database, clock=services.clock)
        services._staff = built  # type: ignore[attr-defined]
    return built


def secure_cookies(request: Request) -> bool:
    """Session cookies are Secure when the server is reached, or published, over HTTPS."""
    public_url: str = request.app.state.services.settings.public_url
    return request.url.scheme == "https" or public_url.startswith("https://")


def current_session(request: Request) -> StaffSession | None:
    """The staff session of the request's cookie, or None."""
    return staff_service(request.app.state.services).session(request.cookies.get(SESSION_COOKIE))


async def check_csrf(request: Request, session: StaffSession) -> None:
    """Refuse a changing request whose form field or header lacks the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given.encode(), session.csrf.encode()):
        raise HTTPException(
            403, "The form is outdated or was not sent from the console; reload and try again."
        )


def sign_in_required(request: Request) -> HTTPException:
    """A redirect to the login page for a browser, 401 for everything else."""
    if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
        return HTTPException(
            303, "Sign in first.", headers={"Location": f"/console/login?next={request.url.path}"}
        )
    return HTTPException(
        401, "Staff sign-in required.", headers={"WWW-Authenticate": 'Cookie realm="freiweg"'}
    )


class RequireRole:
    """A dependency that admits signed-in staff of the given roles (admin always), CSRF-checked."""

    def __init__(self, *roles: str) -> None:
        self.roles = ("admin", *roles)

    async def __call__(self, request: Request) -> StaffSession:
        """The session, or 303/401 when nobody is signed in and 403 for another role."""
        session = current_session(request)
        if session is None:
            raise sign_in_required(request)
        if session.member.role not in self.roles:
            raise HTTPException(403, f"This needs the role {' or '.join(self.roles)}.")
        await check_csrf(request, session)
        return session
