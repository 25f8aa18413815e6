"""The transparency center: log, disclosures, releases, staff access, and the public facts they yield."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from freiweg.domain.errors import NotFound
from freiweg.services.access_log import AccessLogService
from freiweg.services.clock import Clock
from freiweg.services.disclosures import DisclosureService
from freiweg.services.log_keys import load_log_signer
from freiweg.services.releases import ReleaseService
from freiweg.services.transparency import LogService
from freiweg.settings import Settings
from freiweg.storage.transparency_repository import TransparencyRepository
from freiweg.storage.unit_of_work import Database
from freiweg.transparency.disclosures import NOT_COLLECTED

RECENT_ENTRIES = 50


@dataclass
class TransparencyCenter:
    """Everything the transparency pages, the API and the CLI call."""

    settings: Settings
    database: Database
    log: LogService
    disclosures: DisclosureService
    releases: ReleaseService
    access: AccessLogService

    @classmethod
    def build(cls, *, settings: Settings, database: Database, clock: Clock) -> TransparencyCenter:
        """Wire the transparency services; the signing key is read when first needed."""
        return cls(
            settings=settings,
            database=database,
            log=LogService(database=database, clock=clock, signer=lambda: load_log_signer(settings)),
            disclosures=DisclosureService(database=database, clock=clock, settings=settings),
            releases=ReleaseService(database=database, clock=clock),
            access=AccessLogService(database=database, clock=clock),
        )

    def sensor_page(self, sensor_id: str) -> dict[str, Any]:
        """The public facts of one sensor: its disclosure, live facts and the log entries about it."""
        with self.database.reading() as uow:
            found = uow.sensors.get(sensor_id)
            if found is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            sensor = found[1]
            repository = TransparencyRepository(uow.connection)
            latest = repository.latest_count(sensor_id)
            entries = repository.entries_about(f"sensor:{sensor_id}")
        published = self.disclosures.current(sensor_id)
        document = published.document if published else self.disclosures.draft(sensor_id)
        software = self.releases.check(sensor_id)
        return {
            "sensor": {
                "id": sensor.id,
                "kind": sensor.kind.value,
                "area": sensor.area_id,
                "status": sensor.status.value,
                "location": [sensor.location.lon, sensor.location.lat] if sensor.location else None,
                "interval_seconds": sensor.interval_seconds,
                "retired_at": next(
                    (int(row.appended_at) for _, row in entries if row.kind == "sensor.retired"), None
                ),
            },
            "disclosure": {
                "published": published is not None,
                "version": published.version if published else None,
                "sha256": published.sha256 if published else None,
                "published_at": published.published_at if published else None,
                "document": document,
            },
            "live": {
                "last_count": {"window_end": latest[0], "value": latest[1]} if latest else None,
                "key_rotation_minutes": document["processing_on_device"]["key_rotation_minutes"],
                "software": asdict(software),
            },
            "log": [
                {
                    "index": index,
                    "kind": row.kind,
                    "appended_at": int(row.appended_at),
                    "body": json.loads(row.body)["body"],
                }
                for index, row in entries
            ],
        }

    def register(self) -> dict[str, Any]:
        """Every sensor with its place, status, disclosure version and software check."""
        with self.database.reading() as uow:
            sensors = uow.sensors.all()
            areas = {a.id: a for a in uow.areas.all()}
            repository = TransparencyRepository(uow.connection)
            versions = {s.id: repository.latest_disclosure(s.id) for s in sensors}
        items = []
        for sensor in sensors:
            area = areas.get(sensor.area_id)
            disclosure = versions[sensor.id]
            items.append(
                {
                    "id": sensor.id,
                    "kind": sensor.kind.value,
                    "status": sensor.status.value,
                    "area": sensor.area_id,
                    "area_name": {"de": area.name_de, "en": area.name_en} if area else None,
                    "location": [sensor.location.lon, sensor.location.lat] if sensor.location else None,
                    "disclosure_version": int(disclosure.version) if disclosure else None,
                    "software": self.releases.check(sensor.id).state,
                }
            )
        return {"operator": self.settings.operator_name, "sensors": items}

    def processing_register(self) -> dict[str, Any]:
        """The GDPR Art. 30 record of processing activities, generated from the sensors and disclosures."""
        register = self.register()
        kinds = sorted({s["kind"] for s in register["sensors"]})
        documents = []
        for sensor in register["sensors"]:
            current = self.disclosures.current(sensor["id"])
            documents.append(current.document if current else self.disclosures.draft(sensor["id"]))
        sample = documents[0] if documents else None
        windows = sorted({d["processing_on_device"]["window_minutes"] for d in documents})
        purposes = self.access.purposes()
        return {
            "controller": {
                "name": self.settings.operator_name,
                "contact": self.settings.operator_contact,
                "privacy_officer": self.settings.privacy_officer,
            },
            "activities": [
                {
                    "name": {
                        "de": "Zählung der Auslastung öffentlicher Orte",
                        "en": "Counting how busy public places are",
                    },
                    "purposes": sample["purpose"] if sample else None,
                    "legal_basis": sample["legal_basis"] if sample else None,
                    "data_subjects": {
                        "de": "Menschen, die mit eingeschaltetem Smartphone an einem Sensor vorbeigehen",
                        "en": "people passing a sensor with a switched-on phone",
                    },
                    "data_categories": {
                        "de": "vorübergehend Geräteadressen im Arbeitsspeicher des Sensors (nie "
                        "gespeichert, nie "
                        "übertragen); gespeichert werden nur Anzahlen je Zeitfenster",
                        "en": "device addresses briefly in the sensor's memory (never stored, never sent); "
                        "only counts per window are stored",
                    },
                    "recipients": {
                        "de": "keine Dritten; veröffentlicht werden nur Zahlen",
                        "en": "no third parties; only numbers are published",
                    },
                    "third_country_transfer": False,
                    "retention": sample["retention"] if sample else [],
                    "technical_measures": [
                        {
                            "de": f"Zufallsschlüssel nur im Arbeitsspeicher, erneuert alle {w} Minuten",
                            "en": f"random key only in memory, renewed every {w} minutes",
                        }
                        for w in windows
                    ]
                    + [
                        {
                            "de": "öffentliches, manipulationssicheres Protokoll aller Änderungen",
                            "en": "public tamper-evident log of every change",
                        },
                        {
                            "de": "Zugriff auf nicht öffentliche Daten nur mit erklärtem Zweck, "
                            "protokolliert",
                            "en": "access to non-public data only with a declared purpose, logged",
                        },
                    ],
                    "sensor_kinds": kinds,
                    "sensors": len(register["sensors"]),
                }
            ],
            "access_purposes": purposes,
        }

    @staticmethod
    def not_collected() -> dict[str, Any]:
        """The plain answers to the common fears: what freiweg never collects."""
        return {
            "never": NOT_COLLECTED,
            "questions": [
                {
                    "q": {
                        "de": "Kann mich die Stadt damit verfolgen?",
                        "en": "Can the city track me with this?",
                    },
                    "a": {
                        "de": "Nein. Der Sensor vergisst jede Geräteadresse nach wenigen Minuten und "
                        "schickt nur "
                        "eine Zahl. Zwei Sensoren können dasselbe Gerät nicht wiedererkennen.",
                        "en": "No. The sensor forgets every device address after a few minutes and sends "
                        "only a "
                        "number. Two sensors cannot recognise the same device.",
                    },
                },
                {
                    "q": {
                        "de": "Werden Bilder oder Gespräche aufgenommen?",
                        "en": "Are images or conversations recorded?",
                    },
                    "a": {
                        "de": "Nein. Die WLAN-Zähler haben weder Kamera noch Mikrofon.",
                        "en": "No. The Wi-Fi counters have neither camera nor microphone.",
                    },
                },
                {
                    "q": {
                        "de": "Bekommen Firmen oder die Polizei die Daten?",
                        "en": "Do companies or the police get the data?",
                    },
                    "a": {
                        "de": "Es gibt nichts Persönliches weiterzugeben: Gespeichert sind nur Anzahlen. "
                        "Jeder "
                        "Zugriff von Mitarbeitenden auf nicht öffentliche Zahlen steht im öffentlichen "
                        "Protokoll.",
                        "en": "There is nothing personal to hand over: only counts are stored. Every "
                        "access by "
                        "staff to non-public figures is listed in the public log.",
                    },
                },
                {
                    "q": {"de": "Muss ich mein WLAN ausschalten?", "en": "Do I have to switch off Wi-Fi?"},
                    "a": {
                        "de": "Nein. Sie werden nur mitgezählt, nicht erkannt.",
                        "en": "No. You are only counted, never recognised.",
                    },
                },
                {
                    "q": {"de": "Wie kann ich das nachprüfen?", "en": "How can I check this?"},
                    "a": {
                        "de": "Jede Änderung an Sensoren, Software und Regeln steht in einem öffentlichen "
                        "Protokoll, das Ihr Browser oder `freiweg verify` selbst nachrechnen kann.",
                        "en": "Every change to sensors, software and rules is in a public log that your "
                        "browser "
                        "or `freiweg verify` can recompute on its own.",
                    },
                },
            ],
        }

    def log_page(self) -> dict[str, Any]:
        """The log page's data: size, key, recent entries and recent staff accesses."""
        recent_rows: list[tuple[int, Any]]
        with self.database.reading() as uow:
            repository = TransparencyRepository(uow.connection)
            recent_rows = repository.recent_entries(RECENT_ENTRIES)
            size = repository.log_size()
        return {
            "origin": self.log.origin,
            "key": self.log.key_text(),
            "size": size,
            "witnesses": self.log.witnesses(),
            "entries": [
                {
                    "index": index,
                    "kind": row.kind,
                    "subject": row.subject,
                    "appended_at": int(row.appended_at),
                    "body": json.loads(row.body)["body"],
                }
                for index, row in recent_rows
            ],
            "access": self.access.recent(),
            "releases": self.releases.releases(),
        }
