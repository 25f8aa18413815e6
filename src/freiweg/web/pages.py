"""Public pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


def mount_static(app: FastAPI) -> None:
    """Serve the pages' CSS and scripts under /static."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
