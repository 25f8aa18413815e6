"""The live page at / and its JSON twin: levels, times, missing data, languages, demo label."""

from __future__ import annotations

import json
import re
import string
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from freiweg.bootstrap import create_app
from freiweg.services.registry import Services
from freiweg.settings import Settings
from freiweg.web.i18n import LANGUAGES, MESSAGES, choose_language, parse_accept_language
from freiweg.web.presenters import LEVEL_COLOURS, clock_text, people_text, present_home, project_map
from tests.conftest import TEST_SECRET, FakeClock, area_feature, bearer, feature_collection, presence


class AreaTexts(HTMLParser):
    """The visible words of each area in the page's list, in page order, keyed by area id."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self._current: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag != "li":
            return
        if self._current is None and "area" in (found.get("class") or "").split():
            self._current = found["data-id"]
            self.texts[self._current] = ""
            self._depth = 1
        elif self._current is not None:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._current is not None:
            self._depth -= 1
            if self._depth == 0:
                self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self.texts[self._current] += data


def area_texts(html: str) -> dict[str, str]:
    """Area id -> the words its list entry shows, whitespace collapsed."""
    parser = AreaTexts()
    parser.feed(html)
    return {key: " ".join(text.split()) for key, text in parser.texts.items()}


def send(client: TestClient, token: str, *counts: dict[str, Any]) -> None:
    """Push counts through the HTTP intake and insist they were taken."""
    response = client.post("/api/v1/counts", json={"counts": list(counts)}, headers=bearer(token))
    assert response.status_code == 200, response.text


def just_now(clock: FakeClock) -> datetime:
    """The start of the five-minute window that ends now."""
    return clock.now - timedelta(minutes=5)


# -- the page over HTTP ------------------------------------------------------------------------


def test_home_page_lists_every_area_with_its_level_and_time_in_german(
    client: TestClient, town: Any, clock: FakeClock
) -> None:
    tokens = town("domplatz", "obstmarkt")
    send(client, tokens["domplatz-1"], presence(just_now(clock), 400))
    send(client, tokens["obstmarkt-1"], presence(just_now(clock), 100))

    response = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="de">' in response.text
    assert "<title>freiweg – Wie voll ist die Altstadt?</title>" in response.text
    assert area_texts(response.text) == {
        "domplatz": "Domplatz (de) belebt ca. 400 Personen (200–800) Stand 12:00",
        "obstmarkt": "Obstmarkt (de) ruhig ca. 100 Personen (50–200) Stand 12:00",
    }
    assert 'class="demo"' not in response.text


def test_the_areas_are_sorted_by_name_with_umlauts_among_their_base_letters(
    client: TestClient, services: Services
) -> None:
    services.areas.import_areas(
        feature_collection(
            area_feature("zeil", name_de="Zeil", name_en="Zeil"),
            area_feature("oelberg", name_de="Ölberg", name_en="Mount of Olives", lon=10.882),
            area_feature("obstmarkt", name_de="Obstmarkt", name_en="Fruit Market", lon=10.884),
        )
    )
    german = area_texts(client.get("/?lang=de").text)
    english = area_texts(client.get("/?lang=en").text)
    assert list(german) == ["obstmarkt", "oelberg", "zeil"]
    assert list(english) == ["obstmarkt", "oelberg", "zeil"]
    assert english["oelberg"] == "Mount of Olives no sensor"


def test_home_page_speaks_english_when_asked_and_remembers_it(
    client: TestClient, town: Any, clock: FakeClock
) -> None:
    tokens = town("domplatz")
    send(client, tokens["domplatz-1"], presence(just_now(clock), 1200))

    asked = client.get("/?lang=en")

    assert '<html lang="en">' in asked.text
    assert asked.headers["content-language"] == "en"
    assert area_texts(asked.text)["domplatz"] == (
        "Domplatz (en) very crowded about 1,200 people (600–2,400) as of 12:00"
    )
    cookie = asked.headers["set-cookie"]
    assert cookie.startswith("lang=en;")
    assert "Max-Age=31536000" in cookie
    assert "SameSite=lax" in cookie
    assert 'href="?lang=de"' in asked.text and ">Deutsch</a>" in asked.text
    # the next visit without ?lang= stays English, even if the browser prefers German
    again = client.get("/", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in again.text
    assert "set-cookie" not in again.headers
    # and switching back is remembered too
    back = client.get("/?lang=de")
    assert '<html lang="de">' in back.text
    assert '<html lang="de">' in client.get("/", headers={"Accept-Language": "en"}).text


def test_the_browser_language_decides_until_a_language_is_chosen(client: TestClient) -> None:
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).text
    assert '<html lang="de">' in client.get("/", headers={"Accept-Language": "fr,de;q=0.5"}).text
    assert '<html lang="de">' in client.get("/", headers={"Accept-Language": "fr"}).text
    unknown = client.get("/?lang=fr", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in unknown.text
    assert "set-cookie" not in unknown.headers
    assert "Accept-Language" in unknown.headers["vary"]


def test_a_silent_sensor_shows_no_data_since_its_last_count_never_zero(
    client: TestClient, town: Any, clock: FakeClock
) -> None:
    tokens = town("domplatz")
    send(client, tokens["domplatz-1"], presence(just_now(clock), 400))
    clock.advance(minutes=30)

    page = client.get("/?lang=de").text
    text = area_texts(page)["domplatz"]

    assert text == "Domplatz (de) keine Daten seit 12:00"
    assert "Personen" not in text and "0" not in text.replace("12:00", "")
    assert 'data-status="no_data"' in page
    english = area_texts(client.get("/?lang=en").text)["domplatz"]
    assert english == "Domplatz (en) no data since 12:00"


def test_a_count_from_an_earlier_day_shows_its_date(client: TestClient, town: Any, clock: FakeClock) -> None:
    tokens = town("domplatz")
    send(client, tokens["domplatz-1"], presence(just_now(clock), 400))
    clock.advance(days=1)

    assert area_texts(client.get("/?lang=de").text)["domplatz"] == (
        "Domplatz (de) keine Daten seit 13.06., 12:00"
    )
    assert area_texts(client.get("/?lang=en").text)["domplatz"] == "Domplatz (en) no data since 13 Jun, 12:00"


def test_an_area_that_never_had_data_says_so(client: TestClient, town: Any) -> None:
    town("domplatz")
    assert area_texts(client.get("/?lang=de").text)["domplatz"] == "Domplatz (de) noch keine Daten"


def test_partial_data_and_areas_without_a_sensor_are_said_in_words(
    client: TestClient, services: Services, town: Any, clock: FakeClock
) -> None:
    tokens = town("domplatz")
    services.sensors.add("domplatz-2", area_id="domplatz", kind="wifi", interval_seconds=300)
    services.areas.import_areas(feature_collection(area_feature("obstmarkt", lon=10.884)))
    send(client, tokens["domplatz-1"], presence(just_now(clock), 300))

    texts = area_texts(client.get("/?lang=de").text)

    assert texts["domplatz"] == (
        "Domplatz (de) belebt ca. 300 Personen (150–600) Stand 12:00 Teilweise Daten (1 von 2 Sensoren)"
    )
    assert texts["obstmarkt"] == "Obstmarkt (de) kein Sensor"
    assert area_texts(client.get("/?lang=en").text)["domplatz"].endswith("partial data (1 of 2 sensors)")


def test_busier_than_usual_is_shown_once_four_past_weeks_are_known(
    client: TestClient, town: Any, clock: FakeClock
) -> None:
    tokens = town("domplatz")
    past = [presence(clock.now - timedelta(weeks=weeks), 100) for weeks in range(1, 5)]
    send(client, tokens["domplatz-1"], *past, presence(just_now(clock), 400))

    assert area_texts(client.get("/?lang=de").text)["domplatz"].endswith("Stand 12:00 voller als üblich")
    assert area_texts(client.get("/?lang=en").text)["domplatz"].endswith("busier than usual")


def test_demo_data_is_labelled_demo(database_url: str, clock: FakeClock) -> None:
    settings = Settings(database_url=database_url, secret_key=TEST_SECRET, demo=True)
    app = create_app(settings, clock=clock)
    try:
        with TestClient(app) as demo:
            german = demo.get("/?lang=de").text
            english = demo.get("/?lang=en").text
            twin = demo.get("/index.json").json()
    finally:
        app.state.services.database.dispose()
    assert "Demo: simulierte Daten, keine echten Messungen" in german
    assert "Demo: simulated data, not real measurements" in english
    assert twin["demo"] is True


def test_index_json_is_the_twin_of_the_page(client: TestClient, town: Any, clock: FakeClock) -> None:
    tokens = town("domplatz", "obstmarkt")
    send(client, tokens["domplatz-1"], presence(just_now(clock), 400))

    page = client.get("/")
    twin = client.get("/index.json")
    api = client.get("/api/v1/areas")

    assert twin.status_code == 200
    assert twin.headers["content-type"] == "application/json"
    assert twin.json() == api.json()
    assert twin.headers["etag"] == api.headers["etag"]
    assert set(area_texts(page.text)) == {area["id"] for area in twin.json()["areas"]}
    etag = re.search(r'data-etag="([^"]*)"', page.text)
    assert etag is not None and etag.group(1).replace("&#34;", '"') == twin.headers["etag"]
    assert '<a href="/index.json"' in page.text and '<a href="/api/docs">' in page.text
    unchanged = client.get("/index.json", headers={"If-None-Match": twin.headers["etag"]})
    assert unchanged.status_code == 304
    send(client, tokens["obstmarkt-1"], presence(just_now(clock), 50))
    changed = client.get("/index.json", headers={"If-None-Match": twin.headers["etag"]})
    assert changed.status_code == 200
    assert changed.headers["etag"] != twin.headers["etag"]


@pytest.mark.parametrize(
    ("query", "seconds"),
    [
        ("", "60"),
        ("?refresh=1", "1"),
        ("?refresh=600", "600"),
        ("?refresh=0", "60"),
        ("?refresh=601", "60"),
        ("?refresh=soon", "60"),
    ],
)
def test_the_refresh_period_comes_from_the_query_within_one_to_600_seconds(
    client: TestClient, query: str, seconds: str
) -> None:
    assert f'data-refresh="{seconds}"' in client.get(f"/{query}").text


def test_the_map_draws_every_area_in_its_level_colour_with_a_text_label(
    client: TestClient, town: Any, clock: FakeClock
) -> None:
    tokens = town("domplatz", "obstmarkt")
    send(client, tokens["domplatz-1"], presence(just_now(clock), 400))

    page = client.get("/?lang=de").text

    assert re.search(r'<svg class="live-svg" viewBox="0 0 1000\.0 [0-9.]+" role="img"', page)
    assert f'fill="{LEVEL_COLOURS["busy"]}"' in page
    assert 'fill="url(#no-data)"' in page and '<pattern id="no-data"' in page
    labels = re.findall(r'class="map-number">(\d+)</tspan><tspan\s+class="map-level"[^>]*>([^<]+)<', page)
    assert labels == [("1", "belebt"), ("2", "keine Daten")]
    legend = re.findall(r'<ul class="legend".*?</ul>', page, flags=re.S)[0]
    for word in ("ruhig", "mäßig", "belebt", "voll", "sehr voll", "keine Daten", "kein Sensor"):
        assert f"> {word}</li>" in legend


def test_a_town_without_areas_says_so(client: TestClient) -> None:
    page = client.get("/?lang=de").text
    assert "Es sind noch keine Orte eingerichtet." in page
    assert "live-svg" not in page and "leaflet" not in page


def test_the_first_load_stays_under_300_kb_even_uncompressed(client: TestClient, services: Services) -> None:
    town = json.loads(files("freiweg.demo").joinpath("town.geojson").read_text(encoding="utf-8"))
    services.areas.import_areas(town)
    page = client.get("/")
    assets = re.findall(r'(?:href|src)="(/static/[^"?]+)', page.text)
    assert sorted(assets) == [
        "/static/app.js",
        "/static/leaflet/leaflet.css",
        "/static/leaflet/leaflet.js",
        "/static/live-map.js",
        "/static/style.css",
    ]
    sizes = [len(page.content)] + [len(client.get(path).content) for path in assets]
    assert all(size > 0 for size in sizes)
    assert sum(sizes) < 300_000


def test_the_live_map_gets_its_tiles_and_outlines_from_settings_and_the_areas(
    database_url: str, clock: FakeClock
) -> None:
    settings = Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        tile_url="https://tiles.example.org/{z}/{x}/{y}.png",
        tile_attribution="© Stadt Bamberg",
    )
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        app.state.services.areas.import_areas(
            feature_collection(area_feature("domplatz", name_de="Domplatz"))
        )
        page = client.get("/").text
    app.state.services.database.dispose()
    client_data = json.loads(re.findall(r'id="freiweg-client">(.*?)</script>', page, flags=re.S)[0])
    assert client_data["tiles"] == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "© Stadt Bamberg",
    }
    outlines = json.loads(re.findall(r'id="live-map-data">(.*?)</script>', page, flags=re.S)[0])
    assert [(o["id"], o["number"], o["name"], o["map"]) for o in outlines] == [
        ("domplatz", 1, "Domplatz", "kein Sensor")
    ]
    assert outlines[0]["rings"][0][0] == outlines[0]["rings"][0][-1]


def test_tiles_are_off_unless_an_operator_sets_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FREIWEG_TILE_URL", raising=False)
    assert Settings(secret_key=TEST_SECRET).tile_url == ""


# -- the pure parts ----------------------------------------------------------------------------


def test_choose_language_prefers_the_query_then_the_cookie_then_the_browser_then_german() -> None:
    assert choose_language("en", "de", "de") == "en"
    assert choose_language(" EN ", None, None) == "en"
    assert choose_language("fr", "en", "de") == "en"
    assert choose_language(None, "xx", "en-US,en;q=0.9") == "en"
    assert choose_language(None, None, "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7") == "en"
    assert choose_language(None, None, "en;q=0, de") == "de"
    assert choose_language(None, None, "en;q=nonsense") == "de"
    assert choose_language(None, None, None) == "de"
    assert choose_language(None, None, "*") == "de"
    assert parse_accept_language("de;q=0.5, en;q=0.5, en-GB") == ["en", "de"]


def test_every_message_exists_in_german_and_english_with_the_same_placeholders() -> None:
    def placeholders(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    german, english = (MESSAGES[language] for language in LANGUAGES)
    assert german.keys() == english.keys()
    for key in german:
        if key != "date_time":  # German writes the month as a number, English by name
            assert placeholders(german[key]) == placeholders(english[key]), key
    for level in LEVEL_COLOURS:
        assert f"level.{level}" in german
    assert [german[f"level.{lv}"] for lv in LEVEL_COLOURS] == [
        "ruhig",
        "mäßig",
        "belebt",
        "voll",
        "sehr voll",
    ]
    assert [english[f"level.{lv}"] for lv in LEVEL_COLOURS] == [
        "calm",
        "moderate",
        "busy",
        "crowded",
        "very crowded",
    ]


def test_people_are_counted_with_their_interval_and_grouped_digits_per_language() -> None:
    many = {"estimate": 1234, "low": 617, "high": 2468, "interval": 0.8}
    one = {"estimate": 1, "low": 1, "high": 2, "interval": 0.8}
    assert people_text(many, "de") == "ca. 1.234 Personen (617–2.468)"
    assert people_text(many, "en") == "about 1,234 people (617–2,468)"
    assert people_text(one, "de") == "ca. 1 Person (1–2)"
    assert people_text(one, "en") == "about 1 person (1–2)"
    assert people_text(None, "de") == ""


def test_times_are_local_and_carry_their_day_when_not_today() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    assert clock_text("2026-01-10T13:05:00+00:00", zone=zone, now=now, language="de") == "14:05"
    assert clock_text("2026-01-09T22:59:00+00:00", zone=zone, now=now, language="de") == "09.01., 23:59"
    assert clock_text("2026-01-09T22:59:00+00:00", zone=zone, now=now, language="en") == "9 Jan, 23:59"
    assert clock_text(None, zone=zone, now=now, language="en") == ""


def test_the_map_keeps_the_town_true_to_scale() -> None:
    # a square of 0.001 degrees at 60 degrees north is half as wide as it is tall
    square = {
        "type": "Polygon",
        "coordinates": [[[10, 60], [10.001, 60], [10.001, 60.001], [10, 60.001], [10, 60]]],
    }
    width, height, shapes = project_map([square], width=1000, padding_x=0, padding_y=0)
    assert width == 1000
    assert height == 1000
    xs = [float(n) for n in re.findall(r"[ML]([0-9.]+) ", shapes[0].path)]
    assert max(xs) - min(xs) == pytest.approx(500, abs=1)
    assert (shapes[0].label_x, shapes[0].label_y) == pytest.approx((500, 500), abs=1)


def test_the_view_never_turns_missing_data_into_zero() -> None:
    area = {
        "id": "domplatz",
        "name": {"de": "Domplatz", "en": "Cathedral Square"},
        "category": "square",
        "quiet_zone": False,
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[10, 49], [10.001, 49], [10.001, 49.001], [10, 49]]],
        },
        "walkable_m2": 1000.0,
        "status": "no_data",
        "level": None,
        "people": None,
        "density": None,
        "thresholds": [0.1, 0.2, 0.3, 0.4],
        "updated_at": None,
        "last_data_at": "2026-06-13T11:50:00+02:00",
        "usual": None,
        "sensors": {"live": 0, "silent": 1},
    }
    view = present_home(
        {"demo": False, "revision": 1, "areas": [area]},
        language="de",
        now=datetime(2026, 6, 13, 10, 30, tzinfo=UTC),
        timezone="Europe/Berlin",
    )
    card = view.areas[0]
    assert (card.level_text, card.map_text, card.people_text, card.time_text) == (
        "keine Daten seit 11:50",
        "keine Daten",
        "",
        "",
    )
    assert card.level is None


def test_the_page_assets_are_plain_files_without_outside_requests() -> None:
    static = Path(__file__).parents[2] / "src" / "freiweg" / "web" / "static"
    script = (static / "app.js").read_text(encoding="utf-8")
    style = (static / "style.css").read_text(encoding="utf-8")
    maps = "".join((static / name).read_text(encoding="utf-8") for name in ("live-map.js", "area-map.js"))
    assert "http://" not in script + style + maps and "https://" not in script + style + maps
    assert "import " not in script
    assert re.findall(r'from "([^"]+)"', maps) == ["./area-map.js"]  # the maps import only each other


def test_the_page_answers_head_requests_and_compresses_for_clients_that_ask(client) -> None:
    assert client.head("/").status_code == 200
    compressed = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert compressed.headers.get("content-encoding") == "gzip"


def test_the_map_says_the_time_of_the_newest_data_and_links_every_area_to_its_page(
    client: TestClient, town: Any, clock: FakeClock
) -> None:
    tokens = town("domplatz", "obstmarkt")
    assert '<p class="data-time" id="data-time" hidden></p>' in client.get("/?lang=de").text  # no data yet
    send(client, tokens["domplatz-1"], presence(just_now(clock) - timedelta(minutes=20), 400))
    send(client, tokens["obstmarkt-1"], presence(just_now(clock), 100))

    page = client.get("/?lang=de").text

    assert '<p class="data-time" id="data-time">Neueste Daten: 12:00</p>' in page
    assert '<a href="/areas/domplatz">Domplatz (de)</a>' in page
    assert '<a href="/areas/obstmarkt">Obstmarkt (de)</a>' in page
    assert '<a href="/planner">Gruppenplaner</a>' in page and '<a href="/route">Weg</a>' in page
