"""Alerts: rules per area and sensor, opened once, sent by webhook or e-mail, resolved by themselves."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any, Final, Protocol

import httpx

from freiweg.domain.crowd import LEVEL_ORDER, CrowdLevel
from freiweg.domain.errors import FieldProblem, InvalidInput
from freiweg.services.clock import Clock, epoch
from freiweg.services.crowd import CrowdService
from freiweg.services.sensor_health import SensorHealthService
from freiweg.settings import Settings
from freiweg.storage.console_repository import ConsoleRepository
from freiweg.storage.unit_of_work import Database

RULE_KINDS: Final = ("area_level", "forecast_level", "sensor_silent", "unknown_software")
AREA_KINDS: Final = ("area_level", "forecast_level")
FORECAST_AHEAD_SECONDS: Final = 3600
CHANNELS: Final = ("webhook", "email")
DELIVERY_TIMEOUT: Final = 10.0
logger = logging.getLogger("freiweg.alerts")


class AreaForecasts(Protocol):
    """What the alert check needs of the forecast service (which needs the forecast extra)."""

    def for_area(self, area_id: str, *, refresh: bool = True) -> dict[str, Any] | None:
        """The newest forecast of an area, hours with `start` and `value`, or None."""
        ...


@dataclass(frozen=True)
class Notice:
    """What a channel receives when an alert opens or resolves."""

    alert_id: int
    rule_id: int
    kind: str
    subject: str
    state: str  # "open" or "resolved"
    message: str
    at: int
    channel: str
    target: str

    def as_json(self) -> dict[str, Any]:
        """The webhook body."""
        return {
            "alert": self.alert_id,
            "rule": self.rule_id,
            "kind": self.kind,
            "subject": self.subject,
            "state": self.state,
            "message": self.message,
            "at": self.at,
        }


def deliver(settings: Settings) -> Callable[[Notice], bool]:
    """A delivery function: JSON POST to a webhook or an e-mail through the configured SMTP server."""

    def send(notice: Notice) -> bool:
        try:
            if notice.channel == "webhook":
                answer = httpx.post(notice.target, json=notice.as_json(), timeout=DELIVERY_TIMEOUT)
                return answer.is_success
            if not settings.smtp_host:
                logger.warning("alert e-mail not sent: FREIWEG_SMTP_HOST is not set")
                return False
            mail = EmailMessage()
            mail["From"] = settings.smtp_from
            mail["To"] = notice.target
            mail["Subject"] = f"freiweg alert {notice.state}: {notice.kind} {notice.subject}"
            mail.set_content(notice.message)
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=DELIVERY_TIMEOUT) as smtp:
                smtp.send_message(mail)
            return True
        except (httpx.HTTPError, OSError, smtplib.SMTPException) as error:
            logger.warning(
                "alert %s not delivered by %s: %s", notice.alert_id, notice.channel, type(error).__name__
            )
            return False

    return send


def parse_threshold(kind: str, threshold: str) -> float:
    """A rule's threshold: a crowd level name for areas, a number of intervals for silent sensors."""
    if kind in AREA_KINDS:
        if threshold not in {level.value for level in CrowdLevel}:
            raise InvalidInput(
                [
                    FieldProblem(
                        None, "threshold", f"use a level: {', '.join(level.value for level in CrowdLevel)}"
                    )
                ]
            )
        return float(LEVEL_ORDER.index(CrowdLevel(threshold)))
    try:
        value = float(threshold or 0)
    except ValueError:
        value = -1
    if value < 0:
        raise InvalidInput([FieldProblem(None, "threshold", "must be a number of intervals (0 or more)")])
    return value


class AlertService:
    """Keeps alert rules, checks them, opens and resolves alerts and has them delivered."""

    def __init__(
        self,
        *,
        database: Database,
        clock: Clock,
        crowd: CrowdService,
        health: SensorHealthService,
        send: Callable[[Notice], bool],
        forecasts: AreaForecasts | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._crowd = crowd
        self._health = health
        self._send = send
        self._forecasts = forecasts

    def add_rule(
        self, *, kind: str, subject: str, threshold: str, minutes: int, channel: str, target: str
    ) -> int:
        """Store a rule: an area at or above a level for minutes, a sensor silent or running unknown code."""
        problems = []
        if kind not in RULE_KINDS:
            problems.append(FieldProblem(None, "kind", f"use one of {', '.join(RULE_KINDS)}"))
        elif kind == "forecast_level" and self._forecasts is None:
            problems.append(
                FieldProblem(
                    None,
                    "kind",
                    "forecast rules need forecasts, which this installation lacks: "
                    "install the forecast extra (pip install 'freiweg[forecast]')",
                )
            )
        if channel not in CHANNELS:
            problems.append(FieldProblem(None, "channel", f"use one of {', '.join(CHANNELS)}"))
        elif channel == "webhook" and not target.startswith(("http://", "https://")):
            problems.append(FieldProblem(None, "target", "a webhook needs an http(s) URL"))
        elif channel == "email" and "@" not in target:
            problems.append(FieldProblem(None, "target", "needs an e-mail address"))
        if not 0 <= minutes <= 24 * 60:
            problems.append(FieldProblem(None, "minutes", "must be between 0 and 1440"))
        if problems:
            raise InvalidInput(problems, title="The alert rule was not stored.")
        value = parse_threshold(kind, threshold)
        with self._database.unit_of_work() as uow:
            known = uow.areas.get(subject) if kind in AREA_KINDS else uow.sensors.get(subject)
            if known is None:
                raise InvalidInput([FieldProblem(None, "subject", f"{subject!r} does not exist")])
            rule_id = ConsoleRepository(uow.connection).add_rule(
                kind=kind,
                subject=subject,
                threshold=value,
                minutes=minutes,
                channel=channel,
                target=target,
                created_at=epoch(self._clock()),
            )
            uow.commit()
        return rule_id

    def rules(self) -> list[dict[str, Any]]:
        """Every rule."""
        with self._database.reading() as uow:
            rows = ConsoleRepository(uow.connection).rules()
        return [
            {
                "id": r.id,
                "kind": r.kind,
                "subject": r.subject,
                "threshold": LEVEL_ORDER[int(r.threshold)].value if r.kind in AREA_KINDS else r.threshold,
                "minutes": r.minutes,
                "channel": r.channel,
                "target": r.target,
            }
            for r in rows
        ]

    def history(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest alerts, open and resolved."""
        with self._database.reading() as uow:
            rows = ConsoleRepository(uow.connection).alert_history(limit)
        return [
            {
                "id": r.id,
                "rule": r.rule_id,
                "kind": r.kind,
                "subject": r.subject,
                "opened_at": r.opened_at,
                "resolved_at": r.resolved_at,
                "message": r.message,
                "delivered": bool(r.delivered),
            }
            for r in rows
        ]

    def check(self) -> list[Notice]:
        """Evaluate every rule once: open what newly holds long enough, resolve what ended; deliver both."""
        now = epoch(self._clock())
        conditions = self._conditions()
        notices: list[Notice] = []
        with self._database.unit_of_work() as uow:
            repository = ConsoleRepository(uow.connection)
            # Locked: a check run by hand and the server's own check never open the same alert twice.
            for rule in repository.rules(lock=True):
                holds, message = conditions(rule)
                open_alert = repository.open_alert(rule.id)
                if holds:
                    since = rule.condition_since if rule.condition_since is not None else now
                    if rule.condition_since is None:
                        repository.set_condition_since(rule.id, now)
                    if open_alert is None and now - since >= rule.minutes * 60:
                        alert_id = repository.add_alert(rule.id, message, now=now)
                        notices.append(self._notice(rule, alert_id, "open", message, now))
                else:
                    repository.set_condition_since(rule.id, None)
                    if open_alert is not None:
                        repository.resolve_alert(open_alert.id, now=now)
                        repository.mark_undelivered(open_alert.id)
                        notices.append(self._notice(rule, open_alert.id, "resolved", open_alert.message, now))
            uow.commit()
        for notice in notices:
            logger.info(
                f"alert {notice.state}",
                extra={
                    "alert": notice.alert_id,
                    "rule": notice.rule_id,
                    "kind": notice.kind,
                    "subject": notice.subject,
                },
            )
        delivered = [n for n in notices if self._send(n)]
        if delivered:
            with self._database.unit_of_work() as uow:
                for notice in delivered:
                    ConsoleRepository(uow.connection).mark_delivered(notice.alert_id)
                uow.commit()
        return notices

    @staticmethod
    def _notice(rule: Any, alert_id: int, state: str, message: str, now: int) -> Notice:
        return Notice(
            alert_id, rule.id, rule.kind, rule.subject, state, message, now, rule.channel, rule.target
        )

    def _forecast_level(self, area_id: str) -> CrowdLevel | None:
        """The highest level the area's forecast gives for the hours that begin within the next hour."""
        if self._forecasts is None:
            return None
        forecast = self._forecasts.for_area(area_id)
        with self._database.reading() as uow:
            area = uow.areas.get(area_id)
        if forecast is None or area is None:
            return None
        now = epoch(self._clock())
        starts = [(epoch(datetime.fromisoformat(h["start"]).astimezone(UTC)), h) for h in forecast["hours"]]
        # The hour running now and those starting within the next hour.
        values = [
            float(h["value"]) for start, h in starts if now - 3600 < start < now + FORECAST_AHEAD_SECONDS
        ]
        if not values:
            return None
        # The same reading of a forecast value as the area pages: people in the area's walkable space.
        return area.thresholds.level(max(values) / area.walkable_m2)

    def _conditions(self) -> Callable[[Any], tuple[bool, str]]:
        areas = {a["id"]: a for a in self._crowd.overview().payload["areas"]}
        sensors = {s["id"]: s for s in self._health.report()}

        def holds(rule: Any) -> tuple[bool, str]:
            if rule.kind == "forecast_level":
                level = self._forecast_level(rule.subject)
                rank = LEVEL_ORDER.index(level) if level else -1
                wanted = LEVEL_ORDER[int(rule.threshold)].value
                shown = level.value if level else "not forecast"
                return rank >= rule.threshold, (
                    f"{rule.subject} is forecast to be {shown} within the next hour (rule: {wanted} or more)"
                )
            if rule.kind == "area_level":
                level = (areas.get(rule.subject) or {}).get("level")
                rank = LEVEL_ORDER.index(CrowdLevel(level)) if level else -1
                wanted = LEVEL_ORDER[int(rule.threshold)].value
                return rank >= rule.threshold, f"{rule.subject} is {level} (rule: {wanted} or more)"
            sensor = sensors.get(rule.subject)
            if sensor is None:
                return False, ""
            if rule.kind == "unknown_software":
                state = sensor["software"]["state"]
                return state == "not_in_log", f"{rule.subject} runs code that is not a logged release"
            last = sensor["last_count_end"]
            silent_for = epoch(self._clock()) - last if last is not None else None
            allowed = max(rule.threshold, 1) * sensor["interval_seconds"]
            silent = sensor["status"] == "active" and (silent_for is None or silent_for > allowed)
            return silent, f"{rule.subject} has sent no count for more than {allowed / 60:.0f} minutes"

        return holds
