"""MQTT intake: messages of subscribed topics end in the same validated, idempotent paths as HTTP."""

from __future__ import annotations

from dataclasses import dataclass

from freiweg.domain.errors import InvalidInput
from freiweg.domain.uplinks import Rejected, RejectionReason
from freiweg.ingest.http_push.decode import parse_batch
from freiweg.ingest.mqtt import SOURCE
from freiweg.ingest.mqtt.decode import parse_message
from freiweg.services.intake import IntakeService, Unauthenticated
from freiweg.services.lorawan import LorawanService
from freiweg.services.rejections import RejectionLog

MAX_UPLINK_BYTES = 64_000  # a TTN uplink with many gateways is a few KB; more is no uplink


@dataclass(frozen=True, slots=True)
class MessageOutcome:
    """What became of one message: stored (with how many counts were new) or rejected."""

    outcome: str
    new: int = 0
    reason: str | None = None


class MqttIntake:
    """Handles messages of the own counts topic and of the TTN and ChirpStack uplink topics."""

    def __init__(self, *, intake: IntakeService, lorawan: LorawanService, rejections: RejectionLog) -> None:
        self._intake = intake
        self._lorawan = lorawan
        self._rejections = rejections

    def own_counts(self, topic: str, payload: bytes) -> MessageOutcome:
        """Store the counts of a freiweg/counts/{sensor} message, or record why not."""
        try:
            sensor_id, token, document = parse_message(topic, payload)
            try:
                credential = self._intake.authenticate(token)
                if credential.id != sensor_id:
                    raise Unauthenticated(f"the token does not belong to sensor {sensor_id!r}")
                result = self._intake.record(token=token, read=lambda now: parse_batch(document, now=now))
            except Unauthenticated as error:
                raise Rejected(RejectionReason.UNAUTHENTICATED, str(error), device=sensor_id) from None
            except InvalidInput as error:
                raise Rejected(RejectionReason.INVALID_COUNTS, str(error), device=sensor_id) from None
        except Rejected as rejected:
            self._rejections.record(SOURCE, rejected)
            return MessageOutcome("rejected", reason=rejected.reason.value)
        return MessageOutcome("stored", new=result.new)

    def uplink(self, network: str, payload: bytes) -> MessageOutcome:
        """Store a TTN or ChirpStack uplink message from their MQTT integration."""
        if len(payload) > MAX_UPLINK_BYTES:
            detail = f"the message has {len(payload)} bytes; an uplink has at most {MAX_UPLINK_BYTES}"
            self._rejections.record(network, Rejected(RejectionReason.MALFORMED, detail))
            return MessageOutcome("rejected", reason=RejectionReason.MALFORMED.value)
        outcome = self._lorawan.receive(network, payload)
        return MessageOutcome(outcome.outcome, new=outcome.new, reason=outcome.reason)
