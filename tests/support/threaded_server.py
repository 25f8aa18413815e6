"""The app served by uvicorn in a background thread on loopback, for browser tests that share its clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn

from freiweg.bootstrap import create_app
from freiweg.services.clock import Clock
from freiweg.services.registry import Services
from freiweg.settings import Settings


@dataclass(frozen=True)
class LiveServer:
    """A real HTTP server on loopback, with the services behind it."""

    base_url: str
    services: Services


@contextmanager
def serving_in_a_thread(settings: Settings, clock: Clock, *, port: int = 0) -> Iterator[LiveServer]:
    """uvicorn serving the app on settings and clock until the block ends (port 0: any free port)."""
    app: Any = create_app(settings, clock=clock)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="freiweg-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield LiveServer(f"http://127.0.0.1:{bound}", app.state.services)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.services.database.dispose()
