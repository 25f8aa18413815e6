"""Staff accounts: invitations, argon2 passwords, optional TOTP, lock-out and database sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Final

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from freiweg.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from freiweg.domain.sensors import check_identifier
from freiweg.services.clock import Clock, epoch
from freiweg.services.logbook import record_change
from freiweg.storage.console_repository import ConsoleRepository
from freiweg.storage.unit_of_work import Database

ROLES: Final = ("admin", "editor", "analyst", "moderator")
MAX_FAILURES: Final = 5
LOCK_SECONDS: Final = 15 * 60
SESSION_SECONDS: Final = 12 * 3600
INVITE_SECONDS: Final = 7 * 24 * 3600
MIN_PASSWORD_LENGTH: Final = 12
# One hasher for the process: argon2id with the library's RFC 9106 "low memory" defaults.
HASHER: Final = PasswordHasher()
# Verified when the name is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH: Final = HASHER.hash(secrets.token_urlsafe(16))


class LoginRefused(Exception):
    """Name, password or code wrong, or the account disabled or locked; the reason is never shown."""


@dataclass(frozen=True)
class StaffMember:
    """Who is signed in, with what role."""

    id: int
    name: str
    role: str


@dataclass(frozen=True)
class StaffSession:
    """A signed-in staff member, the session cookie value and the form token of the session."""

    member: StaffMember
    token: str
    csrf: str


@dataclass(frozen=True)
class NewStaff:
    """A new account with either a one-time password or an invitation token, shown once."""

    name: str
    role: str
    password: str | None
    invitation: str | None


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def check_role(role: str) -> str:
    """The role, or InvalidInput naming the roles there are."""
    if role not in ROLES:
        raise InvalidInput(
            [FieldProblem(None, "role", f"unknown role {role!r}; use one of {', '.join(ROLES)}")]
        )
    return role


def check_password(password: str) -> None:
    """Refuse passwords shorter than MIN_PASSWORD_LENGTH characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            [FieldProblem(None, "password", f"needs at least {MIN_PASSWORD_LENGTH} characters")],
            title="The password was not set.",
        )


class StaffService:
    """Accounts, sign-in and sessions of the city's staff; account changes are logged."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def add(self, name: str, *, role: str, invite: bool = False) -> NewStaff:
        """Create an account with a one-time password, or with an invitation when invite is true."""
        check_identifier(name, field="name")
        check_role(role)
        now = epoch(self._clock())
        password = None if invite else secrets.token_urlsafe(15)
        invitation = secrets.token_urlsafe(32) if invite else None
        with self._database.unit_of_work() as uow:
            repository = ConsoleRepository(uow.connection)
            if repository.staff_by_name(name) is not None:
                raise Conflict(f"staff member {name!r} already exists")
            repository.add_staff(
                name,
                role,
                password_hash=HASHER.hash(password) if password else None,
                invite_hash=_digest(invitation) if invitation else None,
                invite_expires_at=now + INVITE_SECONDS if invitation else None,
                created_at=now,
                updated_at=now,
            )
            record_change(
                uow, kind="staff.added", subject=f"staff:{name}", body={"name": name, "role": role}, now=now
            )
            uow.commit()
        return NewStaff(name, role, password, invitation)

    def list_staff(self) -> list[dict[str, object]]:
        """Every account: name, role, whether disabled, locked or with a second factor."""
        now = epoch(self._clock())
        with self._database.reading() as uow:
            rows = ConsoleRepository(uow.connection).all_staff()
        return [
            {
                "name": r.name,
                "role": r.role,
                "disabled": bool(r.disabled),
                "locked": bool(r.locked_until and r.locked_until > now),
                "invited": r.password_hash is None,
                "totp": r.totp_secret is not None,
            }
            for r in rows
        ]

    def disable(self, name: str) -> None:
        """Disable an account and end its sessions."""
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = ConsoleRepository(uow.connection)
            row = self._row(repository, name)
            repository.update_staff(row.id, disabled=True, updated_at=now)
            repository.end_sessions_of(row.id)
            record_change(uow, kind="staff.disabled", subject=f"staff:{name}", body={"name": name}, now=now)
            uow.commit()

    def reset_password(self, name: str) -> str:
        """Give an account a new one-time password, unlock it and end its sessions; return the password."""
        password = secrets.token_urlsafe(15)
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = ConsoleRepository(uow.connection)
            row = self._row(repository, name)
            repository.update_staff(
                row.id,
                password_hash=HASHER.hash(password),
                failed_logins=0,
                locked_until=None,
                invite_hash=None,
                updated_at=now,
            )
            repository.end_sessions_of(row.id)
            record_change(
                uow, kind="staff.password_reset", subject=f"staff:{name}", body={"name": name}, now=now
            )
            uow.commit()
        return password

    def accept_invitation(self, invitation: str, password: str) -> str:
        """Set the password of an invited account; return its name."""
        check_password(password)
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = ConsoleRepository(uow.connection)
            row = repository.staff_by_invite(_digest(invitation))
            if row is None or row.disabled or (row.invite_expires_at or 0) < now:
                raise NotFound(
                    "this invitation is unknown, used or expired; ask an administrator for a new one"
                )
            repository.update_staff(
                row.id,
                password_hash=HASHER.hash(password),
                invite_hash=None,
                invite_expires_at=None,
                updated_at=now,
            )
            uow.commit()
        return str(row.name)

    def enable_totp(self, name: str) -> str:
        """Require a TOTP code from now on; return the secret for the authenticator app."""
        secret = pyotp.random_base32()
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = ConsoleRepository(uow.connection)
            row = self._row(repository, name)
            repository.update_staff(row.id, totp_secret=secret, updated_at=now)
            record_change(
                uow, kind="staff.totp_enabled", subject=f"staff:{name}", body={"name": name}, now=now
            )
            uow.commit()
        return secret

    def log_in(self, name: str, password: str, code: str | None = None) -> StaffSession:
        """Start a session when name, password and (if enabled) TOTP code are right; count failures."""
        now = epoch(self._clock())
        with self._database.unit_of_work() as uow:
            repository = ConsoleRepository(uow.connection)
            row = repository.staff_by_name(name)
            if row is None:
                _verify(_DUMMY_HASH, password)
                raise LoginRefused("unknown name")
            if row.locked_until and row.locked_until > now:
                raise LoginRefused("locked after repeated failures")
            good = (
                not row.disabled
                and row.password_hash is not None
                and _verify(row.password_hash, password)
                and (row.totp_secret is None or _totp_ok(row.totp_secret, code, now))
            )
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            if good:
                repository.update_staff(row.id, failed_logins=0, locked_until=None)
                repository.add_session(
                    _digest(token), row.id, csrf, now=now, expires_at=now + SESSION_SECONDS
                )
            else:
                # The failure is kept (committed) before the refusal is raised outside the unit of work.
                failures = int(row.failed_logins) + 1
                locked = now + LOCK_SECONDS if failures >= MAX_FAILURES else None
                repository.update_staff(
                    row.id, failed_logins=0 if locked else failures, locked_until=locked, updated_at=now
                )
            uow.commit()
        if not good:
            raise LoginRefused("wrong password or code" if not row.disabled else "disabled")
        return StaffSession(StaffMember(int(row.id), str(row.name), str(row.role)), token, csrf)

    def session(self, token: str | None) -> StaffSession | None:
        """The live session of a cookie value, or None when unknown, expired or the account is disabled."""
        if not token:
            return None
        with self._database.reading() as uow:
            row = ConsoleRepository(uow.connection).session(_digest(token))
        if row is None or row.disabled or row.expires_at <= epoch(self._clock()):
            return None
        return StaffSession(
            StaffMember(int(row.id), str(row.name), str(row.role)), token, str(row.csrf_token)
        )

    def log_out(self, token: str) -> None:
        """End one session."""
        with self._database.unit_of_work() as uow:
            ConsoleRepository(uow.connection).end_session(_digest(token))
            uow.commit()

    @staticmethod
    def _row(repository: ConsoleRepository, name: str) -> Any:
        row = repository.staff_by_name(name)
        if row is None:
            raise NotFound(f"staff member {name!r} does not exist; `freiweg staff list` shows who does")
        return row


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _totp_ok(secret: str, code: str | None, now: int) -> bool:
    return bool(code) and pyotp.TOTP(secret).verify((code or "").strip(), for_time=now, valid_window=1)
