"""The pages' messages in German and English, and the choice of language per request."""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("de", "en")
DEFAULT_LANGUAGE: Final = "de"
LANGUAGE_COOKIE: Final = "lang"
LANGUAGE_COOKIE_SECONDS: Final = 365 * 24 * 3600

# Every text the pages show. Placeholders are {name}; the browser script fills them the same way.
MESSAGES: Final[dict[str, dict[str, str]]] = {
    "de": {
        "title": "freiweg – Wie voll ist die Altstadt?",
        "heading": "Wie voll ist die Altstadt?",
        "tagline": "Live aus anonymen Zählungen – jede Zahl mit ihrer Unsicherheit und ihrer Uhrzeit.",
        "demo": "Demo: simulierte Daten, keine echten Messungen",
        "switch_language": "English",
        "switch_language_code": "en",
        "map_heading": "Karte",
        "map_description": "Farbe und Beschriftung zeigen, wie voll jeder Ort ist; die Nummern gehören "
        "zur Liste. Die Liste enthält dieselben Angaben.",
        "legend_heading": "Legende",
        "data_time": "Neueste Daten: {time}",
        "map_keys": "Karte mit den Pfeiltasten verschieben, mit + und − zoomen; Tab springt zu den "
        "Bereichen, Enter öffnet einen.",
        "map_area_link": "{number} {name}: {level} – Details öffnen",
        "list_link": "Liste",
        "form.refused": "Das Formular wurde nicht angenommen: Es kam ohne gültiges Formular-Merkmal "
        "(Cookies aus oder Seite zu alt). Bitte laden Sie die Seite neu und senden Sie es noch einmal.",
        "areas_heading": "Orte",
        "no_areas": "Es sind noch keine Orte eingerichtet.",
        "level.calm": "ruhig",
        "level.moderate": "mäßig",
        "level.busy": "belebt",
        "level.crowded": "voll",
        "level.very_crowded": "sehr voll",
        "status.no_data": "keine Daten",
        "status.no_data_since": "keine Daten seit {time}",
        "status.no_data_yet": "noch keine Daten",
        "status.partial": "Teilweise Daten ({live} von {total} Sensoren)",
        "status.no_sensor": "kein Sensor",
        "people.one": "ca. {estimate} Person ({low}–{high})",
        "people.other": "ca. {estimate} Personen ({low}–{high})",
        "as_of": "Stand {time}",
        "date_time": "{dd}.{mm}., {time}",
        "month_names": "Jan Feb Mär Apr Mai Jun Jul Aug Sep Okt Nov Dez",
        "thousands_separator": ".",
        "usual.busier": "voller als üblich",
        "usual.quieter": "ruhiger als üblich",
        "usual.as_usual": "so voll wie üblich",
        "live_note": "Die Seite aktualisiert sich von selbst.",
        "method_heading": "So entstehen die Zahlen",
        "method": "WLAN-Sensoren zählen anonym die Geräte in ihrer Nähe; ein Kalibrierfaktor rechnet "
        "Geräte in Personen um. Die Spanne in Klammern zeigt die Unsicherheit: Mit 80 % "
        "Wahrscheinlichkeit liegt die wahre Zahl darin. Fehlen Daten, steht dort „keine Daten“, "
        "nie eine Null.",
        "open_data": "Offene Daten:",
        "api_docs": "API-Dokumentation",
        "json_twin": "diese Seite als JSON",
        "transparency_link": "Transparenz: Sensoren, was wir nie erfassen, öffentliches Protokoll",
    },
    "en": {
        "title": "freiweg – How busy is the old town?",
        "heading": "How busy is the old town?",
        "tagline": "Live from anonymous counts – every figure with its uncertainty and its time.",
        "demo": "Demo: simulated data, not real measurements",
        "switch_language": "Deutsch",
        "switch_language_code": "de",
        "map_heading": "Map",
        "map_description": "Colour and label show how busy each place is; the numbers refer to the list. "
        "The list holds the same information.",
        "legend_heading": "Legend",
        "data_time": "Newest data: {time}",
        "map_keys": "Move the map with the arrow keys, zoom with + and −; Tab jumps to the areas, Enter "
        "opens one.",
        "map_area_link": "{number} {name}: {level} – open details",
        "list_link": "List",
        "form.refused": "The form was not accepted: it came without a valid form token (cookies off or "
        "the page too old). Please reload the page and send it again.",
        "areas_heading": "Places",
        "no_areas": "No places have been set up yet.",
        "level.calm": "calm",
        "level.moderate": "moderate",
        "level.busy": "busy",
        "level.crowded": "crowded",
        "level.very_crowded": "very crowded",
        "status.no_data": "no data",
        "status.no_data_since": "no data since {time}",
        "status.no_data_yet": "no data yet",
        "status.partial": "partial data ({live} of {total} sensors)",
        "status.no_sensor": "no sensor",
        "people.one": "about {estimate} person ({low}–{high})",
        "people.other": "about {estimate} people ({low}–{high})",
        "as_of": "as of {time}",
        "date_time": "{day} {month_name}, {time}",
        "month_names": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        "thousands_separator": ",",
        "usual.busier": "busier than usual",
        "usual.quieter": "quieter than usual",
        "usual.as_usual": "as busy as usual",
        "live_note": "This page updates itself.",
        "method_heading": "How the numbers are made",
        "method": "Wi-Fi sensors anonymously count the devices near them; a calibration factor converts "
        "devices into people. The range in brackets shows the uncertainty: the true number lies "
        "within it with 80 % probability. Where data is missing it says “no data”, never zero.",
        "open_data": "Open data:",
        "api_docs": "API documentation",
        "json_twin": "this page as JSON",
        "transparency_link": "Transparency: sensors, what we never collect, public log",
    },
}


def translate(language: str, key: str, **values: object) -> str:
    """The message key in language, with its {placeholders} filled from values."""
    text = MESSAGES[language][key]
    return text.format(**values) if values else text


def parse_accept_language(header: str | None) -> list[str]:
    """The supported languages of an Accept-Language header, most wanted first."""
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    ranked.sort()
    return list(dict.fromkeys(primary for _, _, primary in ranked))


def supported(language: str | None) -> str | None:
    """The language if the pages speak it, else None."""
    if language is None:
        return None
    cleaned = language.strip().lower()
    return cleaned if cleaned in LANGUAGES else None


def choose_language(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    """The page language: the query parameter, then the remembered cookie, then the browser, then German."""
    for candidate in (query_lang, cookie_lang):
        chosen = supported(candidate)
        if chosen is not None:
            return chosen
    wanted = parse_accept_language(accept_language)
    return wanted[0] if wanted else DEFAULT_LANGUAGE
