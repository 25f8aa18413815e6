"""The operator token: a bearer token (FREIWEG_OPERATOR_TOKEN) that operator-only routes require."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from freiweg.api.deps import BearerToken


def operator(request: Request, token: BearerToken) -> None:
    """Require the operator token as bearer token; 503 while none is configured."""
    expected = request.app.state.services.settings.operator_token
    if not expected:
        raise HTTPException(503, "The operator API is switched off: set FREIWEG_OPERATOR_TOKEN.")
    if not token or not hmac.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(401, "The operator token is missing or wrong.")


Operator = Annotated[None, Depends(operator)]
