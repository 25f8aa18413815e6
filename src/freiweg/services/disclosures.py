"""Publishing per-sensor disclosures and assembling what the public sensor pages and registers show."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from freiweg.domain.errors import FieldProblem, InvalidInput, NotFound
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.settings import Settings
from freiweg.storage.transparency_repository import TransparencyRepository
from freiweg.storage.unit_of_work import Database, UnitOfWork
from freiweg.transparency.disclosures import (
    LANGUAGES,
    canonical,
    check_disclosure,
    default_disclosure,
    digest,
)

# What staff edit in a draft, in the order a form shows it: the purpose first (the reason for the sensor
# decides everything else), then what is collected and kept, and who answers objections.
EDITABLE_TEXTS: Final = (
    "purpose",
    "benefit",
    "data_collected",
    "leaves_device",
    "technology",
    "storage",
    "access.who",
    "legal_basis",
    "objection",
)
EDITABLE_FIELDS: Final = (
    *(f"{name}.{lang}" for name in EDITABLE_TEXTS for lang in LANGUAGES),
    "access.third_parties",
    "installed_on",
)
# Facts freiweg knows better than any draft; they are refreshed from the sensor whenever a draft is used.
FACT_FIELDS: Final = ("schema", "sensor", "status", "location", "edge_software", "processing_on_device")
YES: Final = frozenset({"true", "yes", "ja", "on", "1"})
NO: Final = frozenset({"false", "no", "nein", "off", "0"})


@dataclass(frozen=True)
class PublishedDisclosure:
    """A disclosure version as published, with the hash the log recorded."""

    sensor_id: str
    version: int
    sha256: str
    published_at: int
    document: dict[str, Any]
    log_seq: int | None = None


@dataclass(frozen=True)
class DisclosureDraft:
    """The disclosure staff are working on: a saved draft, or else the published one or the generated one."""

    sensor_id: str
    document: dict[str, Any]
    saved: bool
    based_on: int | None
    saved_at: int | None = None
    saved_by: str | None = None


def editable_values(document: Mapping[str, Any]) -> dict[str, str]:
    """The editable fields of a disclosure as the flat strings a form shows."""
    values: dict[str, str] = {}
    for name in EDITABLE_TEXTS:
        found: Any = document
        for part in name.split("."):
            found = found.get(part) if isinstance(found, Mapping) else None
        for lang in LANGUAGES:
            values[f"{name}.{lang}"] = str(found.get(lang, "")) if isinstance(found, Mapping) else ""
    access = document.get("access")
    third = access.get("third_parties") if isinstance(access, Mapping) else None
    values["access.third_parties"] = "true" if third else "false"
    values["installed_on"] = str(document.get("installed_on") or "")
    return values


def apply_changes(document: Mapping[str, Any], changes: Mapping[str, str]) -> dict[str, Any]:
    """A copy of document with the edited fields set; unknown fields and bad yes/no values are refused."""
    problems = [
        FieldProblem(None, key, "cannot be edited; use one of " + ", ".join(EDITABLE_FIELDS))
        for key in changes
        if key not in EDITABLE_FIELDS
    ]
    changed: dict[str, Any] = json.loads(json.dumps(document))
    for key, raw in changes.items():
        if key not in EDITABLE_FIELDS:
            continue
        value = raw.strip()
        if key == "installed_on":
            changed["installed_on"] = value or None
            continue
        if key == "access.third_parties":
            if value.lower() not in YES | NO:
                problems.append(FieldProblem(None, key, "must be true or false"))
                continue
            access = changed.setdefault("access", {})
            access["third_parties"] = value.lower() in YES
            continue
        *path, lang = key.split(".")
        holder = changed
        for part in path:
            if not isinstance(holder.get(part), dict):
                holder[part] = {}
            holder = holder[part]
        holder[lang] = value
    if problems:
        raise InvalidInput(problems, title="The disclosure draft was not saved; nothing was changed.")
    return changed


class DisclosureService:
    """Versioned disclosures: every publication is logged in the same transaction."""

    def __init__(self, *, database: Database, clock: Clock, settings: Settings) -> None:
        self._database = database
        self._clock = clock
        self._settings = settings

    def draft(self, sensor_id: str) -> dict[str, Any]:
        """A complete disclosure built from what freiweg knows about the sensor, to review and publish."""
        with self._database.reading() as uow:
            return self._draft(uow, sensor_id)

    def _draft(self, uow: UnitOfWork, sensor_id: str) -> dict[str, Any]:
        found = uow.sensors.get(sensor_id)
        if found is None:
            raise NotFound(f"sensor {sensor_id!r} does not exist")
        sensor = found[1]
        area = uow.areas.get(sensor.area_id)
        names = (
            {"de": area.name_de, "en": area.name_en} if area else {"de": sensor.area_id, "en": sensor.area_id}
        )
        report = uow.sensors.agent_report(sensor_id)
        repository = TransparencyRepository(uow.connection)
        software = None
        if report is not None:
            release = repository.release_by_hash(report[1].code_sha256)
            if release is not None:
                software = {"version": release.version, "sha256": release.code_sha256}
        return default_disclosure(
            sensor_id=sensor.id,
            kind=sensor.kind.value,
            status=sensor.status.value,
            lon=sensor.location.lon if sensor.location else None,
            lat=sensor.location.lat if sensor.location else None,
            area_name=names,
            interval_seconds=sensor.interval_seconds,
            operator=self._settings.operator_name,
            contact=self._settings.operator_contact,
            privacy_officer=self._settings.privacy_officer,
            software=software,
        )

    def working_draft(self, sensor_id: str) -> DisclosureDraft:
        """The saved draft, else the newest published version, else one generated from the sensor's facts."""
        with self._database.reading() as uow:
            return self._working_draft(uow, sensor_id)

    def _working_draft(self, uow: UnitOfWork, sensor_id: str) -> DisclosureDraft:
        facts = self._draft(uow, sensor_id)  # raises NotFound for an unknown sensor
        repository = TransparencyRepository(uow.connection)
        latest = repository.latest_disclosure(sensor_id)
        based_on = int(latest.version) if latest is not None else None
        saved = repository.disclosure_draft(sensor_id)
        if saved is not None:
            base, based_on = json.loads(saved.document), saved.based_on
        elif latest is not None:
            base = json.loads(latest.document)
        else:
            return DisclosureDraft(sensor_id, facts, False, None)
        document = {**base, **{name: facts[name] for name in FACT_FIELDS}}
        if saved is None:
            return DisclosureDraft(sensor_id, document, False, based_on)
        return DisclosureDraft(sensor_id, document, True, based_on, int(saved.saved_at), str(saved.saved_by))

    def save_draft(self, sensor_id: str, changes: Mapping[str, str], *, by: str) -> DisclosureDraft:
        """Change fields of the working draft and keep it unpublished; an invalid draft is refused whole."""
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            current = self._working_draft(uow, sensor_id)
            document = apply_changes(current.document, changes)
            try:
                check_disclosure(document, sensor_id=sensor_id)
            except InvalidInput as error:
                raise InvalidInput(
                    error.problems, title="The disclosure draft was not saved; nothing was changed."
                ) from error
            TransparencyRepository(uow.connection).save_disclosure_draft(
                sensor_id, canonical(document).decode(), based_on=current.based_on, now=now, by=by
            )
            uow.commit()
        return DisclosureDraft(sensor_id, document, True, current.based_on, now, by)

    def discard_draft(self, sensor_id: str) -> bool:
        """Throw the saved draft away; True when there was one."""
        with self._database.unit_of_work() as uow:
            if uow.sensors.get(sensor_id) is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            found = TransparencyRepository(uow.connection).delete_disclosure_draft(sensor_id)
            uow.commit()
        return found

    def overview(self) -> list[dict[str, Any]]:
        """Every sensor's disclosure state: draft (saved, or nothing published yet) or published."""
        with self._database.reading() as uow:
            repository = TransparencyRepository(uow.connection)
            rows = []
            for sensor in uow.sensors.all():
                latest = repository.latest_disclosure(sensor.id)
                saved = repository.disclosure_draft(sensor.id)
                rows.append(
                    {
                        "sensor": sensor.id,
                        "area": sensor.area_id,
                        "sensor_status": sensor.status.value,
                        "status": "draft" if saved is not None or latest is None else "published",
                        "version": int(latest.version) if latest is not None else None,
                        "published_at": int(latest.published_at) if latest is not None else None,
                        "draft_saved_at": int(saved.saved_at) if saved is not None else None,
                        "draft_saved_by": str(saved.saved_by) if saved is not None else None,
                    }
                )
        return rows

    def publish(self, sensor_id: str, document: dict[str, Any] | None = None) -> PublishedDisclosure:
        """Publish a new version (the working draft when no document is given); refuse invalid ones whole.

        The log entry, the new version and the removal of the saved draft share one transaction.
        """
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            if uow.sensors.get(sensor_id) is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            chosen = document if document is not None else self._working_draft(uow, sensor_id).document
            check_disclosure(chosen, sensor_id=sensor_id)
            repository = TransparencyRepository(uow.connection)
            latest = repository.latest_disclosure(sensor_id)
            version = 1 if latest is None else int(latest.version) + 1
            sha = digest(chosen)
            seq = record_change(
                uow,
                kind="disclosure.published",
                subject=f"sensor:{sensor_id}",
                body={"sensor": sensor_id, "version": version, "sha256": sha},
                now=now,
            )
            repository.add_disclosure(
                sensor_id, version, canonical(chosen).decode(), sha, now=now, log_seq=seq
            )
            repository.delete_disclosure_draft(sensor_id)
            uow.commit()
        return PublishedDisclosure(sensor_id, version, sha, now, dict(chosen), seq)

    def publish_missing(self) -> list[str]:
        """Publish the draft for every sensor that has no disclosure yet; return their ids."""
        with self._database.reading() as uow:
            repository = TransparencyRepository(uow.connection)
            missing = [s.id for s in uow.sensors.all() if repository.latest_disclosure(s.id) is None]
        for sensor_id in missing:
            self.publish(sensor_id)
        return missing

    def current(self, sensor_id: str) -> PublishedDisclosure | None:
        """The newest published disclosure, or None."""
        with self._database.reading() as uow:
            row = TransparencyRepository(uow.connection).latest_disclosure(sensor_id)
        return _published(row) if row is not None else None

    def versions(self, sensor_id: str) -> list[PublishedDisclosure]:
        """Every published version, newest first."""
        with self._database.reading() as uow:
            rows = TransparencyRepository(uow.connection).disclosure_versions(sensor_id)
        return [_published(r) for r in rows]


def _published(row: Any) -> PublishedDisclosure:
    return PublishedDisclosure(
        row.sensor_id,
        int(row.version),
        row.sha256,
        int(row.published_at),
        json.loads(row.document),
        int(row.log_seq),
    )
