"""Dependency aliases that routes take as parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from freiweg.services.registry import Services


def get_services(request: Request) -> Services:
    """The services the composition root attached to the app."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


BearerToken = Annotated[str | None, Depends(bearer_token)]
