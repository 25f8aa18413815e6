"""Successive readings of the trust dashboard never reveal what fewer than ten answers said."""

from __future__ import annotations

from typing import Any

from freiweg.services.registry import Services
from tests.conftest import FakeClock


def respond(services: Services, values: list[int], first_address: int) -> None:
    """One response per value to the statement "the figures are honest", each from its own source."""
    for offset, value in enumerate(values):
        services.survey.submit(
            answers=[("trust-honest", value)], language="de", address=f"192.0.2.{first_address + offset}"
        )


def readings(client: Any, month: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The month's trust figure in the JSON twin and its row in the CSV."""
    twin = client.get("/trust.json").json()
    [row] = [m for m in twin["months"] if m["month"] == month]
    csv_rows = [line.split(",") for line in client.get("/trust.csv").text.splitlines()]
    [csv_trust] = [r for r in csv_rows if r[:2] == [month, "trust"]]
    return row["trust"], {"value": csv_trust[2], "answers": csv_trust[5]}


def test_one_more_answer_never_changes_a_published_figure_so_that_the_answer_can_be_read_off(
    client: Any, services: Services, clock: FakeClock
) -> None:
    respond(services, [3] * 10, 0)
    before, csv_before = readings(client, "2026-06")
    respond(services, [5], 10)
    after, csv_after = readings(client, "2026-06")
    if before["published"] and after["published"]:
        # n·mean before and after give the newest answer exactly: the figure must not move by fewer
        # than ten answers.
        assert after["answers"] - before["answers"] in (0,) or after["answers"] - before["answers"] >= 10
    assert not (csv_before["value"] and csv_after["value"] and csv_before["value"] != csv_after["value"])
    # Once the month has ended it can no longer change: then its figure is published whole.
    clock.advance(days=18, hours=2)
    closed, csv_closed = readings(client, "2026-06")
    assert closed["published"] is True and closed["answers"] == 11
    assert closed["value"] == round((10 * 50.0 + 100.0) / 11, 1)
    assert csv_closed["answers"] == "11"


def test_the_sensor_page_checks_of_an_open_month_are_not_published_answer_by_answer(
    client: Any, services: Services, clock: FakeClock, town: Any
) -> None:
    town("domplatz")
    sensor = next(iter(s.id for s in services.sensors.list_sensors()))
    shares = []
    for i in range(11):
        services.survey.check(sensor_id=sensor, answer="counts", helped=i % 2 == 0, address=f"192.0.2.{i}")
        [month] = client.get("/trust.json").json()["checks"]
        shares.append(month["helped"])
    published = [s for s in shares if s["published"]]
    assert len({s["answers"] for s in published}) <= 1
    clock.advance(days=18, hours=2)
    [closed] = client.get("/trust.json").json()["checks"]
    assert closed["helped"]["published"] is True and closed["helped"]["answers"] == 11
