"""Console sign-in, sign-out, invitations, the overview and staff accounts (admin)."""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from freiweg.api.deps import ServicesDep
from freiweg.api.staff_auth import ANY_STAFF, SESSION_COOKIE, RequireRole, secure_cookies, staff_service
from freiweg.domain.errors import DomainError
from freiweg.services.staff import ROLES, SESSION_SECONDS, LoginRefused, StaffSession
from freiweg.web.console_i18n import translate
from freiweg.web.console_render import language_of, private_json, problem_text, render

router = APIRouter(prefix="/console", include_in_schema=False)
LOGIN_COOKIE = "freiweg_login"
logger = logging.getLogger("freiweg.console")
AnyStaff = Annotated[StaffSession, Depends(RequireRole(*ANY_STAFF))]
Admin = Annotated[StaffSession, Depends(RequireRole())]


def _safe_next(target: str | None) -> str:
    # Only paths inside the console: never an open redirect to another site.
    if target and target.startswith("/console") and not target.startswith("//"):
        return target
    return "/console"


def _login_page(request: Request, services: ServicesDep, *, error: str | None, status_code: int) -> Response:
    token = secrets.token_urlsafe(32)
    data = {"error": error, "next": _safe_next(request.query_params.get("next"))}
    response = render(
        request, services, "console/login.html", data, None, status_code=status_code, csrf=token
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
    )
    return response


@router.get("/login")
async def login_form(request: Request, services: ServicesDep) -> Response:
    """The sign-in form."""
    return _login_page(request, services, error=None, status_code=200)


@router.post("/login")
async def log_in(
    request: Request,
    services: ServicesDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/console",
) -> Response:
    """Check name, password and code; start a fresh session (a new cookie every time)."""
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf.encode(), expected.encode()):
        return _login_page(request, services, error="CSRF", status_code=403)
    staff = staff_service(services)
    try:
        session = await run_in_threadpool(staff.log_in, name.strip(), password, code or None)
    except LoginRefused:
        # Never the name: a password typed into the name field would end up in the log.
        logger.info("sign-in refused")
        return _login_page(
            request, services, error=translate(language_of(request), "login_failed"), status_code=401
        )
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await run_in_threadpool(staff.log_out, old)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
    )
    response.delete_cookie(LOGIN_COOKIE, path="/console")
    return response


@router.post("/logout")
async def log_out(services: ServicesDep, session: AnyStaff) -> Response:
    """End the session."""
    await run_in_threadpool(staff_service(services).log_out, session.token)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/invite/{invitation}")
async def invitation_form(invitation: str, request: Request, services: ServicesDep) -> Response:
    """The form on which an invited member sets a password."""
    return _invite_page(request, services, invitation, error=None, done=False, status_code=200)


def _invite_page(
    request: Request,
    services: ServicesDep,
    invitation: str,
    *,
    error: str | None,
    done: bool,
    status_code: int,
) -> Response:
    token = secrets.token_urlsafe(32)
    data = {"error": error, "invitation": invitation, "done": done}
    response = render(
        request, services, "console/invite.html", data, None, status_code=status_code, csrf=token
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
    )
    return response


@router.post("/invite/{invitation}")
async def accept_invitation(
    invitation: str,
    request: Request,
    services: ServicesDep,
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Set the password of an invited account."""
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf.encode(), expected.encode()):
        return _invite_page(request, services, invitation, error="CSRF", done=False, status_code=403)
    try:
        await run_in_threadpool(staff_service(services).accept_invitation, invitation, password)
    except DomainError as error:
        status, text = problem_text(error)
        return _invite_page(request, services, invitation, error=text, done=False, status_code=status)
    return _invite_page(request, services, invitation, error=None, done=True, status_code=200)


@router.get("")
async def overview(request: Request, services: ServicesDep, session: AnyStaff) -> Response:
    """The console's start page: what this member's role can reach."""
    return render(request, services, "console/overview.html", {"role": session.member.role}, session)


@router.get(".json")
async def overview_json(session: AnyStaff) -> Response:
    """Who is signed in, with what role."""
    return private_json({"name": session.member.name, "role": session.member.role})


@router.get("/staff.json")
async def staff_json(services: ServicesDep, _session: Admin) -> Response:
    """Every staff account (admin)."""
    return private_json({"staff": await run_in_threadpool(staff_service(services).list_staff)})


@router.get("/staff")
async def staff_page(request: Request, services: ServicesDep, session: Admin) -> Response:
    """Staff accounts: add, disable, reset passwords (admin)."""
    return await _staff_page(request, services, session, {})


async def _staff_page(
    request: Request,
    services: ServicesDep,
    session: StaffSession,
    extra: dict[str, object],
    status_code: int = 200,
) -> Response:
    listed = await run_in_threadpool(staff_service(services).list_staff)
    data = {"staff": listed, "roles": ROLES, **extra}
    return render(request, services, "console/staff.html", data, session, status_code=status_code)


@router.post("/staff")
async def add_staff(
    request: Request,
    services: ServicesDep,
    session: Admin,
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    invite: Annotated[bool, Form()] = False,
) -> Response:
    """Add an account; show its one-time password or invitation link once."""
    try:
        created = await run_in_threadpool(
            lambda: staff_service(services).add(name.strip(), role=role, invite=invite)
        )
    except DomainError as error:
        status, text = problem_text(error)
        return await _staff_page(request, services, session, {"error": text}, status)
    link = None
    if created.invitation:
        link = f"{services.settings.public_url.rstrip('/')}/console/invite/{created.invitation}"
    return await _staff_page(
        request,
        services,
        session,
        {"created": {"name": created.name, "password": created.password, "link": link}},
    )


@router.post("/staff/{name}/disable")
async def disable_staff(name: str, request: Request, services: ServicesDep, session: Admin) -> Response:
    """Disable an account and end its sessions."""
    try:
        await run_in_threadpool(staff_service(services).disable, name)
    except DomainError as error:
        status, text = problem_text(error)
        return await _staff_page(request, services, session, {"error": text}, status)
    return RedirectResponse("/console/staff", status_code=303)


@router.post("/staff/{name}/reset-password")
async def reset_staff_password(
    name: str, request: Request, services: ServicesDep, session: Admin
) -> Response:
    """Give an account a new one-time password, shown once."""
    try:
        password = await run_in_threadpool(staff_service(services).reset_password, name)
    except DomainError as error:
        status, text = problem_text(error)
        return await _staff_page(request, services, session, {"error": text}, status)
    return await _staff_page(
        request, services, session, {"created": {"name": name, "password": password, "link": None}}
    )
