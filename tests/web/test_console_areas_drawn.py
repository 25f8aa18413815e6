"""Areas drawn in the console: outline, thresholds and quiet zone through the validated import of a file."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from freiweg.services.registry import Services
from tests.conftest import square
from tests.support.console import signed_in


def drawn(csrf: str, rings: object, **fields: str) -> dict[str, str]:
    """The drawing form as the browser posts it."""
    return {
        "csrf": csrf,
        "area_id": "obstmarkt",
        "name_de": "Obstmarkt",
        "name_en": "Fruit market",
        "category": "market",
        "rings": json.dumps(rings),
        **fields,
    }


def test_an_editor_draws_an_area_with_thresholds_and_a_quiet_zone_and_changes_it(
    client: TestClient, services: Services
) -> None:
    csrf = signed_in(client, services, "editor")
    ring = square(10.887, 49.892)
    created = client.post(
        "/console/areas/drawn",
        data=drawn(csrf, ring, thresholds="0,2 / 0,5 / 1 / 2", quiet_zone="true"),
        headers={"accept-language": "en"},
    )
    assert created.status_code == 201, created.text
    assert "1 areas created, 0 changed." in created.text
    area = next(a for a in services.areas.list_areas() if a.id == "obstmarkt")
    assert area.thresholds.as_list() == [0.2, 0.5, 1.0, 2.0] and area.quiet_zone is True
    assert [list(p) for p in area.rings[0]] == ring[0]
    form = client.get("/console/areas?edit=obstmarkt").text
    assert 'value="Fruit market"' in form and "checked" in form and "0.2 / 0.5 / 1.0 / 2.0" in form
    changed = client.post("/console/areas/drawn", data=drawn(csrf, square(10.887, 49.892, 0.002)))
    assert changed.status_code == 200
    area = next(a for a in services.areas.list_areas() if a.id == "obstmarkt")
    assert area.quiet_zone is False and len(area.rings[0]) == 5
    with services.database.reading() as uow:
        kinds = [kind for _, kind, _ in uow.log.about("area:obstmarkt")]
    assert kinds == ["area.created", "area.changed"]


def test_an_open_ring_a_position_outside_wgs84_or_no_outline_is_refused_by_field(
    client: TestClient, services: Services
) -> None:
    csrf = signed_in(client, services, "editor")
    ring = square(10.887, 49.892)[0]
    cases = {
        "geometry.coordinates[0]: a ring must be closed": [ring[:-1] + [[10.8875, 49.8925]]],
        "geometry.coordinates[0]: positions must be [longitude, latitude]": [
            [[10.887, 149.0], *ring[1:-1], [10.887, 149.0]]
        ],
        "geometry.coordinates: draw the outline": "",
    }
    for expected, rings in cases.items():
        data = drawn(csrf, rings)
        if rings == "":
            data["rings"] = ""
        answer = client.post("/console/areas/drawn", data=data)
        assert answer.status_code == 422, expected
        assert expected in answer.text, answer.text
        assert 'value="Obstmarkt"' in answer.text  # what was typed stays in the form
    bad_thresholds = client.post("/console/areas/drawn", data=drawn(csrf, [ring], thresholds="low / high"))
    assert bad_thresholds.status_code == 422 and "properties.thresholds" in bad_thresholds.text
    assert services.areas.list_areas() == []
