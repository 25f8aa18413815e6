"""Per-sensor disclosures: a versioned, bilingual record in the spirit of the DTPR fields."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from freiweg.domain.errors import FieldProblem, InvalidInput

SCHEMA = "freiweg-disclosure/1"
LANGUAGES = ("de", "en")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Text = dict[str, str]

# Fields whose value is {"de": ..., "en": ...}.
TEXT_FIELDS = (
    "purpose",
    "benefit",
    "technology",
    "data_collected",
    "leaves_device",
    "storage",
    "legal_basis",
    "objection",
)

TECHNOLOGY: dict[str, Text] = {
    "wifi": {
        "de": "WLAN-Zähler: ein kleiner Empfänger hört die Suchsignale, die Smartphones von sich aus "
        "aussenden, und zählt, wie viele verschiedene Geräte in einem Zeitfenster in der Nähe waren.",
        "en": "Wi-Fi counter: a small receiver listens to the search signals phones send on their own "
        "and counts how many different devices were nearby in a time window.",
    },
    "paxcounter": {
        "de": "Funkzähler (Paxcounter) mit LoRaWAN: zählt Geräte in der Nähe und funkt nur die Zahl.",
        "en": "Radio counter (Paxcounter) over LoRaWAN: counts nearby devices and sends only the number.",
    },
    "passage": {
        "de": "Durchgangszähler (Lichtschranke oder Laser): zählt, wie oft jemand vorbeigeht, ohne Bild.",
        "en": "Passage counter (light barrier or laser): counts people passing by, without any image.",
    },
    "camera": {
        "de": "Zählkamera: zählt Personen im Gerät selbst; Bilder verlassen das Gerät nie und werden "
        "nicht gespeichert.",
        "en": "Counting camera: counts people inside the device; images never leave it and are not stored.",
    },
    "manual": {
        "de": "Handzählung durch Mitarbeitende der Stadt.",
        "en": "Manual count by city staff.",
    },
}

NOT_COLLECTED: list[Text] = [
    {"de": "keine Namen, Telefonnummern oder Konten", "en": "no names, phone numbers or accounts"},
    {
        "de": "keine Geräteadressen (MAC) – auch nicht verschlüsselt oder gehasht",
        "en": "no device addresses (MAC) – not even encrypted or hashed",
    },
    {"de": "keine Bilder, kein Ton", "en": "no images, no sound"},
    {"de": "keine Wege von Ort zu Ort", "en": "no paths from place to place"},
    {"de": "keine Inhalte von Datenverkehr", "en": "no contents of any traffic"},
]


def text(de: str, en: str) -> Text:
    """A text in both languages."""
    return {"de": de, "en": en}


def default_disclosure(
    *,
    sensor_id: str,
    kind: str,
    status: str,
    lon: float | None,
    lat: float | None,
    area_name: Text,
    interval_seconds: int,
    operator: str,
    contact: str,
    privacy_officer: str,
    software: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """A complete disclosure built from what freiweg knows; the operator reviews it before publishing."""
    window = max(1, interval_seconds // 60)
    return {
        "schema": SCHEMA,
        "sensor": sensor_id,
        "status": status,
        "purpose": text(
            f"Zeigen, wie voll es gerade am Ort „{area_name['de']}“ ist, damit Sie ruhigere Wege und "
            "Zeiten finden.",
            f"Show how busy “{area_name['en']}” is right now, so that you can find calmer paths and times.",
        ),
        "benefit": text(
            "Bewohner, Gäste und Gästeführungen weichen Gedränge aus; die Stadt plant Wege, Reinigung "
            "und Veranstaltungen nach echten Zahlen.",
            "Residents, visitors and tour guides avoid crowds; the city plans paths, cleaning and "
            "events from real figures.",
        ),
        "accountable": {"organisation": operator, "contact": contact},
        "privacy_officer": privacy_officer,
        "technology": TECHNOLOGY.get(kind, TECHNOLOGY["wifi"]),
        "data_collected": text(
            f"Nur eine Zahl je {window} Minuten: wie viele Geräte oder Personen gezählt wurden.",
            f"Only one number per {window} minutes: how many devices or people were counted.",
        ),
        "data_not_collected": NOT_COLLECTED,
        "processing_on_device": {
            "window_minutes": window,
            "key_rotation_minutes": window,
            "description": text(
                "Im Gerät wird jede Geräteadresse sofort mit einem Zufallsschlüssel unkenntlich gemacht, "
                f"der nur im Arbeitsspeicher liegt und alle {window} Minuten gelöscht und neu gewürfelt "
                "wird. Am Ende des Zeitfensters bleibt nur die Anzahl.",
                "Inside the device every device address is made unrecognisable at once with a random key "
                f"that exists only in memory and is erased and redrawn every {window} minutes. At the end "
                "of the window only the count remains.",
            ),
        },
        "leaves_device": text(
            "Nur die Zahl mit Zeitfenster, Gerätezustand und der Prüfsumme der laufenden Software.",
            "Only the number with its time window, the device's health and the checksum of its software.",
        ),
        "storage": text(
            f"Auf dem Server von {operator} in Deutschland; nicht bei Dritten.",
            f"On {operator}'s server in Germany; not with third parties.",
        ),
        "retention": [
            {
                "data": text("Geräteadressen und Schlüssel", "device addresses and keys"),
                "period": text(
                    f"nie gespeichert; höchstens {window} Minuten im Arbeitsspeicher",
                    f"never stored; at most {window} minutes in memory",
                ),
            },
            {
                "data": text("Zählungen je Zeitfenster", "counts per window"),
                "period": text("90 Tage, danach nur Stundensummen", "90 days, then hourly totals only"),
            },
            {"data": text("Stundensummen", "hourly totals"), "period": text("5 Jahre", "5 years")},
        ],
        "access": {
            "who": text(
                "Öffentlich: alle veröffentlichten Zahlen. Nicht öffentlich (Minutenwerte): nur benannte "
                "Mitarbeitende mit erklärtem Zweck; jeder Zugriff steht im öffentlichen Protokoll.",
                "Public: every published figure. Non-public (per-minute values): only named staff with a "
                "declared purpose; each access is listed in the public log.",
            ),
            "third_parties": False,
        },
        "legal_basis": text(
            "Art. 6 Abs. 1 lit. e DSGVO (Aufgabe im öffentlichen Interesse); es werden keine "
            "personenbezogenen Daten gespeichert.",
            "Art. 6(1)(e) GDPR (task in the public interest); no personal data is stored.",
        ),
        "objection": text(
            f"Widerspruch und Fragen an {privacy_officer}. Ein Abschalten des WLANs ist dafür nicht "
            "nötig: Es wird ohnehin keine Adresse gespeichert.",
            f"Objections and questions to {privacy_officer}. You need not switch off Wi-Fi for this: "
            "no address is stored anyway.",
        ),
        "edge_software": {
            "version": (software or {}).get("version"),
            "sha256": (software or {}).get("sha256"),
        },
        "location": {"lon": lon, "lat": lat, "description": area_name},
        "installed_on": None,
    }


def check_disclosure(document: Mapping[str, Any], *, sensor_id: str) -> None:
    """Raise InvalidInput naming every missing or malformed field; nothing partial is accepted."""
    problems: list[FieldProblem] = []

    def bad(field: str, message: str) -> None:
        problems.append(FieldProblem(None, field, message))

    def check_text(value: Any, field: str) -> None:
        if not isinstance(value, Mapping) or any(
            not isinstance(value.get(lang), str) or not value.get(lang, "").strip() for lang in LANGUAGES
        ):
            bad(field, "needs a non-empty German ('de') and English ('en') text")

    if document.get("schema") != SCHEMA:
        bad("schema", f"must be {SCHEMA!r}")
    if document.get("sensor") != sensor_id:
        bad("sensor", f"must be {sensor_id!r}")
    if not isinstance(document.get("status"), str) or not document.get("status"):
        bad("status", "needs the sensor's status")
    for name in TEXT_FIELDS:
        check_text(document.get(name), name)
    accountable = document.get("accountable")
    if not isinstance(accountable, Mapping) or not all(
        isinstance(accountable.get(k), str) and accountable.get(k) for k in ("organisation", "contact")
    ):
        bad("accountable", "needs 'organisation' and 'contact'")
    if not isinstance(document.get("privacy_officer"), str) or not document.get("privacy_officer"):
        bad("privacy_officer", "needs the data protection officer's contact")
    not_collected = document.get("data_not_collected")
    if not isinstance(not_collected, list) or not not_collected:
        bad("data_not_collected", "needs at least one item")
    else:
        for i, item in enumerate(not_collected):
            check_text(item, f"data_not_collected.{i}")
    processing = document.get("processing_on_device")
    if not isinstance(processing, Mapping):
        bad("processing_on_device", "needs window_minutes, key_rotation_minutes and description")
    else:
        for name in ("window_minutes", "key_rotation_minutes"):
            value = processing.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1440:
                bad(f"processing_on_device.{name}", "must be whole minutes between 1 and 1440")
        check_text(processing.get("description"), "processing_on_device.description")
    retention = document.get("retention")
    if not isinstance(retention, list) or not retention:
        bad("retention", "needs at least one kind of data with its period")
    else:
        for i, item in enumerate(retention):
            if not isinstance(item, Mapping):
                bad(f"retention.{i}", "needs 'data' and 'period'")
                continue
            check_text(item.get("data"), f"retention.{i}.data")
            check_text(item.get("period"), f"retention.{i}.period")
    access = document.get("access")
    if not isinstance(access, Mapping) or not isinstance(access.get("third_parties"), bool):
        bad("access", "needs 'who' and 'third_parties' (true or false)")
    else:
        check_text(access.get("who"), "access.who")
    software = document.get("edge_software")
    if not isinstance(software, Mapping):
        bad("edge_software", "needs 'version' and 'sha256' (either may be null)")
    elif software.get("sha256") is not None and not SHA256.match(str(software.get("sha256"))):
        bad("edge_software.sha256", "must be 64 lower-case hex digits or null")
    location = document.get("location")
    if not isinstance(location, Mapping):
        bad("location", "needs lon, lat and description")
    installed = document.get("installed_on")
    if installed is not None and not (isinstance(installed, str) and DATE.match(installed)):
        bad("installed_on", "must be a date YYYY-MM-DD or null")
    if problems:
        raise InvalidInput(problems, title="The disclosure is incomplete; nothing was published.")


def canonical(document: Mapping[str, Any]) -> bytes:
    """The disclosure as canonical JSON (sorted keys, no spaces, UTF-8)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(document: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical disclosure, in hex: the value the log records."""
    return hashlib.sha256(canonical(document)).hexdigest()
