"""LoRaWAN intake: Paxcounter uplinks from TTN v3 and ChirpStack v4 become counts, exactly once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from freiweg.domain.counts import Count, CountKind, Quality, check_counts
from freiweg.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from freiweg.domain.sensors import SensorStatus
from freiweg.domain.uplinks import Rejected, RejectionReason, Uplink, normalise_eui
from freiweg.ingest.chirpstack import SOURCE as CHIRPSTACK
from freiweg.ingest.chirpstack.decode import parse_uplink as parse_chirpstack
from freiweg.ingest.paxcounter.config import PayloadFormat, parse_format
from freiweg.ingest.paxcounter.decode import decode_counts, disagrees
from freiweg.ingest.ttn import SOURCE as TTN
from freiweg.ingest.ttn.decode import parse_uplink as parse_ttn
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.services.rejections import RejectionLog
from freiweg.storage.counter_sources import DeviceRepository, UplinkRepository
from freiweg.storage.unit_of_work import Database

FUTURE_TOLERANCE = timedelta(minutes=5)
PARSERS: dict[str, Callable[[Any], Uplink]] = {TTN: parse_ttn, CHIRPSTACK: parse_chirpstack}


@dataclass(frozen=True, slots=True)
class UplinkOutcome:
    """What became of one uplink: stored, a duplicate of a stored one, or rejected with a reason."""

    outcome: str
    sensor: str | None = None
    new: int = 0
    reason: str | None = None
    detail: str | None = None
    decoder_disagreement: bool = False

    def as_json(self) -> dict[str, Any]:
        """The outcome as a webhook answers it."""
        body: dict[str, Any] = {"outcome": self.outcome, "new": self.new}
        for name in ("sensor", "reason", "detail"):
            value = getattr(self, name)
            if value is not None:
                body[name] = value
        if self.decoder_disagreement:
            body["decoder_disagreement"] = True
        return body


class LorawanService:
    """Registers Paxcounters by DevEUI and turns their uplinks into counts of their sensors."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock
        self.rejections = RejectionLog(database=database, clock=clock)

    def check_device(self, dev_eui: str, *, device_id: str | None = None, payload_format: str) -> str:
        """The DevEUI in canonical form if it and the device id are free, else InvalidInput/Conflict."""
        problems = []
        eui = normalise_eui(dev_eui)
        if eui is None:
            problems.append(FieldProblem(None, "dev_eui", f"{dev_eui!r} is not an EUI-64 (16 hex digits)"))
        try:
            parse_format(payload_format)
        except ValueError as error:
            problems.append(FieldProblem(None, "payload_format", str(error)))
        if problems or eui is None:
            raise InvalidInput(problems, title="The device cannot be registered.")
        with self._database.reading() as reader:
            if DeviceRepository(reader.connection).taken(dev_eui=eui, device_id=device_id):
                raise Conflict(f"device {eui} (or device id {device_id!r}) already counts for a sensor")
        return eui

    def register_device(
        self,
        sensor_id: str,
        *,
        dev_eui: str,
        device_id: str | None = None,
        payload_format: str = PayloadFormat.PACKED.value,
    ) -> str:
        """Map a LoRaWAN device to a registered sensor; the change is logged. Returns the DevEUI."""
        eui = self.check_device(dev_eui, device_id=device_id, payload_format=payload_format)
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            found = uow.sensors.get(sensor_id)
            if found is None:
                raise NotFound(f"sensor {sensor_id!r} does not exist")
            devices = DeviceRepository(uow.connection)
            if devices.taken(dev_eui=eui, device_id=device_id):
                raise Conflict(f"device {eui} already counts for a sensor")
            devices.add(
                dev_eui=eui, sensor_pk=found[0], device_id=device_id, payload_format=payload_format, now=now
            )
            record_change(
                uow,
                kind="sensor.device_mapped",
                subject=f"sensor:{sensor_id}",
                body={"dev_eui": eui, "device_id": device_id, "payload_format": payload_format},
                now=now,
            )
            uow.commit()
        return eui

    def receive(self, network: str, body: bytes | str | dict[str, Any]) -> UplinkOutcome:
        """Store the counts of one uplink from network ('ttn' or 'chirpstack') durably, or record why not.

        Returns only after the transaction is committed, so a webhook may answer 2xx with it.
        """
        try:
            return self._store(network, PARSERS[network](body))
        except Rejected as rejected:
            self.rejections.record(network, rejected)
            return UplinkOutcome("rejected", reason=rejected.reason.value, detail=rejected.detail)

    def _store(self, network: str, uplink: Uplink) -> UplinkOutcome:
        moment = self._clock()
        now = epoch(moment)
        if uplink.received_at > epoch(moment + FUTURE_TOLERANCE):
            raise Rejected(
                RejectionReason.FUTURE_TIME,
                f"the uplink time is {uplink.received_at - now} s in the future; check the server clock",
                device=uplink.device,
            )
        with self._database.unit_of_work() as uow:
            target = DeviceRepository(uow.connection).find(dev_eui=uplink.dev_eui, device_id=uplink.device_id)
            if target is None:
                raise Rejected(
                    RejectionReason.UNKNOWN_DEVICE,
                    f"device {uplink.device} is not registered; use `freiweg sensor add ... --dev-eui`",
                    device=uplink.device,
                )
            if target.status is not SensorStatus.ACTIVE:
                raise Rejected(
                    RejectionReason.INACTIVE_SENSOR,
                    f"sensor {target.sensor_id} is {target.status.value}",
                    device=uplink.device,
                )
            try:
                reading = decode_counts(
                    uplink.port, uplink.payload, payload_format=PayloadFormat(target.payload_format)
                )
            except Rejected as rejected:
                raise Rejected(rejected.reason, rejected.detail, device=uplink.device) from None
            disagreement = disagrees(reading, uplink.decoded)
            count = Count(
                start=uplink.received_at - target.interval_seconds,
                end=uplink.received_at,
                kind=CountKind.PRESENCE,
                value=reading.pax,
                quality=Quality.DECODER_DISAGREEMENT if disagreement else Quality.NONE,
            )
            try:
                check_counts([count], now=moment)
            except InvalidInput as error:
                raise Rejected(RejectionReason.INVALID_COUNTS, str(error), device=uplink.device) from None
            fresh = UplinkRepository(uow.connection).remember(
                key=uplink.key,
                sensor_pk=target.sensor_pk,
                port=uplink.port,
                wifi=reading.wifi,
                ble=reading.ble,
                uplink_at=uplink.received_at,
                now=now,
            )
            if not fresh:
                return UplinkOutcome("duplicate", sensor=target.sensor_id)
            new = uow.counts.add(target.sensor_pk, [count], now=now)
            if new:
                uow.revision.bump()
            uow.commit()
        return UplinkOutcome("stored", sensor=target.sensor_id, new=new, decoder_disagreement=disagreement)
