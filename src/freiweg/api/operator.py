"""Operator routes: the bearer token FREIWEG_OPERATOR_TOKEN for machines, or an editor's staff session."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from freiweg.api.deps import BearerToken
from freiweg.api.staff_auth import EDITORS, RequireRole, current_session

# Staff who may do what the operator token allows (admin is always included).
OPERATOR_STAFF = RequireRole(*EDITORS)


async def operator(request: Request, token: BearerToken) -> None:
    """Require the operator token as bearer token or an editor's session; 503 while neither can exist."""
    expected = request.app.state.services.settings.operator_token
    if token and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return
    if token is None and current_session(request) is not None:
        await OPERATOR_STAFF(request)
        return
    if not expected:
        raise HTTPException(503, "The operator API is switched off: set FREIWEG_OPERATOR_TOKEN.")
    raise HTTPException(401, "The operator token is missing or wrong.")


Operator = Annotated[None, Depends(operator)]
