"""The transparency pages answer in German and English, with JSON twins built from the same data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from freiweg.settings import Settings
from tests.conftest import TEST_SECRET
from tests.support.log_keys import TEST_LOG_KEY


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, demo=False, log_key=TEST_LOG_KEY)


def test_a_sensor_page_puts_the_purpose_first_then_how_it_works_then_live_facts(
    client: Any, town: Callable[..., dict[str, str]], services: Any
) -> None:
    town("domplatz")
    services.transparency.disclosures.publish("domplatz-1")
    page = client.get("/sensors/domplatz-1?lang=de").text
    purpose, how, live = (
        page.index(h) for h in ("Wofür ist dieser Sensor?", "So funktioniert er", "Live-Fakten")
    )
    assert purpose < how < live
    assert "keine Geräteadressen (MAC)" in page
    assert "Offenlegung Version 1" in page
    english = client.get("/sensors/domplatz-1?lang=en").text
    assert "What is this sensor for?" in english and "no device addresses (MAC)" in english
    twin = client.get("/sensors/domplatz-1.json").json()
    assert twin["disclosure"]["version"] == 1
    assert twin["live"]["software"]["state"] == "unknown"
    assert [e["kind"] for e in twin["log"]] == ["sensor.added", "disclosure.published"]


def test_an_unpublished_disclosure_is_shown_as_a_draft(
    client: Any, town: Callable[..., dict[str, str]]
) -> None:
    town("domplatz")
    assert "Entwurf" in client.get("/sensors/domplatz-1?lang=de").text
    assert client.get("/sensors/domplatz-1.json").json()["disclosure"]["published"] is False
    assert client.get("/sensors/nowhere").status_code == 404


def test_the_register_lists_every_sensor_on_a_map_with_its_status(
    client: Any, town: Callable[..., dict[str, str]], services: Any
) -> None:
    town("domplatz", "obstmarkt")
    services.sensors.revoke("obstmarkt-1")
    twin = client.get("/sensors.json").json()
    assert [(s["id"], s["status"]) for s in twin["sensors"]] == [
        ("domplatz-1", "active"),
        ("obstmarkt-1", "revoked"),
    ]
    page = client.get("/sensors?lang=en").text
    assert 'href="/sensors/obstmarkt-1"' in page and "blocked" in page


def test_the_processing_record_and_the_not_collected_page_have_twins(
    client: Any, town: Callable[..., dict[str, str]], services: Any
) -> None:
    town("domplatz")
    services.transparency.access.add_purpose(
        "calibration", name_de="Kalibrierung", name_en="Calibration", scopes=["minute_counts"]
    )
    record = client.get("/transparency/processing.json").json()
    assert record["activities"][0]["third_country_transfer"] is False
    assert record["access_purposes"][0]["id"] == "calibration"
    assert "Art. 30" in client.get("/transparency/processing?lang=de").text
    never = client.get("/transparency/not-collected.json").json()
    assert len(never["questions"]) >= 4
    assert "Kann mich die Stadt damit verfolgen?" in client.get("/transparency/not-collected?lang=de").text


def test_the_log_page_lists_staff_access_in_words(
    client: Any, town: Callable[..., dict[str, str]], services: Any
) -> None:
    town("domplatz")
    services.transparency.access.add_purpose(
        "calibration", name_de="Kalibrierung", name_en="Calibration", scopes=["minute_counts"]
    )
    services.transparency.access.record(
        role="analyst", purpose_id="calibration", scope="minute_counts:domplatz-1"
    )
    page = client.get("/transparency?lang=en").text
    assert "role “analyst”, purpose “Calibration”, scope minute_counts:domplatz-1" in page
    assert "freiweg verify http://127.0.0.1:8000" in page
    twin = client.get("/transparency.json").json()
    assert twin["origin"] == "test.freiweg.example/freiweg-log"
    assert twin["entries"][0]["kind"] == "staff.access"
