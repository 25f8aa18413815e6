"""The demo town's areas, places and walking graph on a test installation, and a way to crowd an area."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freiweg.demo.places import DEMO_PLACES
from freiweg.demo.runner import town_document
from freiweg.demo.walking_graph import demo_graph_document
from freiweg.services.registry import Services


def guided_town(services: Services) -> None:
    """Import the demo areas, places and walking graph (no sensors)."""
    services.areas.import_areas(town_document())
    for place in DEMO_PLACES:
        services.guidance.places.save_place(place)
    services.guidance.places.import_graph(demo_graph_document())


def crowd(services: Services, client: Any, area_id: str, *, people: int, now: datetime) -> None:
    """Give an area a sensor whose newest count says `people` are there now."""
    issued = services.sensors.add(f"{area_id}-s", area_id=area_id, kind="wifi", interval_seconds=300)
    start = now - timedelta(minutes=5)
    body = {
        "counts": [{"start": start.isoformat(), "end": now.isoformat(), "kind": "presence", "value": people}]
    }
    answer = client.post("/api/v1/counts", json=body, headers={"Authorization": f"Bearer {issued.token}"})
    assert answer.status_code in (200, 201, 202), answer.text
