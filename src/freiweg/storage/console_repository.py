"""Queries of the operator console: staff accounts, sessions, alert rules and alerts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from freiweg.storage.console_tables import alert_rules, alerts, staff, staff_sessions


class ConsoleRepository:
    """Staff, sessions and alerts on one open connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def staff_by_name(self, name: str) -> Any:
        """The staff row named name, or None."""
        return self._connection.execute(select(staff).where(staff.c.name == name)).first()

    def staff_by_invite(self, invite_hash: str) -> Any:
        """The staff row with this invitation, or None."""
        return self._connection.execute(select(staff).where(staff.c.invite_hash == invite_hash)).first()

    def all_staff(self) -> list[Any]:
        """Every staff row by name."""
        return list(self._connection.execute(select(staff).order_by(staff.c.name)))

    def add_staff(self, name: str, role: str, **values: Any) -> int:
        """Insert a staff row; return its id."""
        result = self._connection.execute(
            insert(staff).values(name=name, role=role, disabled=False, failed_logins=0, **values)
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def update_staff(self, staff_id: int, **values: Any) -> None:
        """Change columns of one staff row."""
        self._connection.execute(update(staff).where(staff.c.id == staff_id).values(**values))

    def add_session(self, token_hash: str, staff_id: int, csrf: str, *, now: int, expires_at: int) -> None:
        """Store a new session."""
        self._connection.execute(
            insert(staff_sessions).values(
                token_hash=token_hash,
                staff_id=staff_id,
                csrf_token=csrf,
                created_at=now,
                expires_at=expires_at,
            )
        )

    def session(self, token_hash: str) -> Any:
        """The session joined with its staff row, or None."""
        query = (
            select(
                staff_sessions.c.csrf_token,
                staff_sessions.c.expires_at,
                staff.c.id,
                staff.c.name,
                staff.c.role,
                staff.c.disabled,
            )
            .join(staff, staff.c.id == staff_sessions.c.staff_id)
            .where(staff_sessions.c.token_hash == token_hash)
        )
        return self._connection.execute(query).first()

    def end_session(self, token_hash: str) -> None:
        """Delete one session."""
        self._connection.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == token_hash))

    def end_sessions_of(self, staff_id: int) -> None:
        """Delete every session of one staff member."""
        self._connection.execute(delete(staff_sessions).where(staff_sessions.c.staff_id == staff_id))

    def add_rule(self, **values: Any) -> int:
        """Insert an alert rule; return its id."""
        result = self._connection.execute(insert(alert_rules).values(**values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def rules(self, *, lock: bool = False) -> list[Any]:
        """Every alert rule; with lock, held until the transaction ends (PostgreSQL: FOR UPDATE).

        SQLite writers already hold the database's write lock from BEGIN IMMEDIATE on.
        """
        query = select(alert_rules).order_by(alert_rules.c.id)
        return list(self._connection.execute(query.with_for_update() if lock else query))

    def set_condition_since(self, rule_id: int, since: int | None) -> None:
        """Remember since when a rule's condition holds (None: it does not)."""
        self._connection.execute(
            update(alert_rules).where(alert_rules.c.id == rule_id).values(condition_since=since)
        )

    def undelivered(self) -> list[Any]:
        """Alerts whose last change has not reached the channel yet."""
        return list(self._connection.execute(select(alerts).where(alerts.c.delivered.is_(False))))

    def mark_undelivered(self, alert_id: int) -> None:
        """Mark an alert's newest change (e.g. resolution) as still to be delivered."""
        self._connection.execute(update(alerts).where(alerts.c.id == alert_id).values(delivered=False))

    def open_alert(self, rule_id: int) -> Any:
        """The unresolved alert of a rule, or None."""
        query = select(alerts).where(alerts.c.rule_id == rule_id, alerts.c.resolved_at.is_(None))
        return self._connection.execute(query).first()

    def add_alert(self, rule_id: int, message: str, *, now: int) -> int:
        """Open an alert; return its id."""
        result = self._connection.execute(
            insert(alerts).values(rule_id=rule_id, opened_at=now, message=message, delivered=False)
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def mark_delivered(self, alert_id: int) -> None:
        """Record that an alert reached its channel."""
        self._connection.execute(update(alerts).where(alerts.c.id == alert_id).values(delivered=True))

    def resolve_alert(self, alert_id: int, *, now: int) -> None:
        """Close an alert."""
        self._connection.execute(update(alerts).where(alerts.c.id == alert_id).values(resolved_at=now))

    def alert_history(self, limit: int) -> list[Any]:
        """The newest alerts with their rules."""
        query = (
            select(alerts, alert_rules.c.kind, alert_rules.c.subject)
            .join(alert_rules, alert_rules.c.id == alerts.c.rule_id)
            .order_by(alerts.c.opened_at.desc(), alerts.c.id.desc())
            .limit(limit)
        )
        return list(self._connection.execute(query))
