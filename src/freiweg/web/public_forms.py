"""Cross-site request forgery protection for public POST forms: a double-submit token, no session.

Visitors of the public pages have no account and no session, so the console's session-bound CSRF
token does not apply. Instead a page that shows a form puts a random token into a cookie
(`SameSite=Strict`, `HttpOnly`, no expiry date: it ends with the browser session) and the same
token into a hidden field; a POST is taken only when both are present and equal. Another site can
make a browser send the form, but it can neither read nor set the cookie, so it cannot know the
value the field must carry. The cookie holds only that random value: nothing about the visitor,
never stored or logged on the server, the same for every form.

Use in a route module:

    token = form_token(request)                      # GET: the visitor's token, or a new one
    response = render(..., extra={"form_token": token, "form_field": FORM_FIELD})
    keep_form_token(request, response, token)        # sets the cookie only when it is new

    # the template, inside each <form method="post">:
    #   <input type="hidden" name="{{ form_field }}" value="{{ form_token }}">

    if not form_token_matches(request, submitted_value):   # POST, before any change
        ...answer 403 with refused_text(language)
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Final, TypeGuard

from starlette.requests import Request
from starlette.responses import Response

from freiweg.web.i18n import translate

FORM_COOKIE: Final = "freiweg_form"
FORM_FIELD: Final = "form_token"
TOKEN_BYTES: Final = 32
# token_urlsafe(32) gives 43 characters of the URL-safe alphabet; anything else is not ours.
_WELL_FORMED: Final = re.compile(r"[A-Za-z0-9_-]{43}")


def _well_formed(value: str | None) -> TypeGuard[str]:
    return value is not None and _WELL_FORMED.fullmatch(value) is not None


def form_token(request: Request) -> str:
    """The token for the forms on a page: the one the visitor's cookie carries, else a new random one."""
    existing = request.cookies.get(FORM_COOKIE)
    return existing if existing is not None and _well_formed(existing) else secrets.token_urlsafe(TOKEN_BYTES)


def keep_form_token(request: Request, response: Response, token: str) -> None:
    """Put the token into the cookie unless the visitor already has it there."""
    if request.cookies.get(FORM_COOKIE) == token:
        return
    response.set_cookie(
        FORM_COOKIE,
        token,
        path="/",
        samesite="strict",
        httponly=True,
        secure=request.url.scheme == "https",
    )


def form_token_matches(request: Request, submitted: str | None) -> bool:
    """True when the form's hidden field carries the same well-formed token as the cookie."""
    cookie = request.cookies.get(FORM_COOKIE)
    if not (_well_formed(cookie) and _well_formed(submitted)):
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode())


def refused_text(language: str) -> str:
    """What a visitor reads when a form came without a valid token."""
    return translate(language, "form.refused")
