"""Checking a username and password: lockout with back-off per account, and a per-IP limit.

The answer to a failed attempt is the same whether the user exists, the password is wrong or the
account is locked, so the login form reveals nothing about which usernames exist.
"""

import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.accounts import find_user
from admin.staff.audit import DetailValue, record_event
from admin.staff.models import ANONYMOUS_ACTOR, SYSTEM_ACTOR, AuditAction, StaffUser
from admin.staff.passwords import upgraded_hash, verify_password

FAILURES_BEFORE_LOCK = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)


def lock_duration(failed_logins: int) -> timedelta:
    """How long an account stays locked after its `failed_logins`-th failure in a row.

    Five failures lock it for a minute; each further failure doubles that, up to an hour.
    """
    if failed_logins < FAILURES_BEFORE_LOCK:
        return timedelta(0)
    doublings = min(failed_logins - FAILURES_BEFORE_LOCK, 10)
    return min(FIRST_LOCK * (2**doublings), LONGEST_LOCK)


async def authenticate(
    session: AsyncSession, username: str, password: str, now: datetime
) -> StaffUser | None:
    """The user if the credentials are right and the account is usable now, else None.

    Writes the outcome to the audit log and keeps the failure counter and lock up to date.
    """
    user = await find_user(session, username)
    correct = verify_password(user.password_hash if user else None, password)
    if user is None:
        await record_event(session, ANONYMOUS_ACTOR, AuditAction.LOGIN_FAILED, at=now)
        return None
    locked = user.locked_until is not None and now < user.locked_until
    if correct and user.active and not locked:
        await _succeed(session, user, password, now)
        return user
    await _fail(session, user, now, locked=locked)
    return None


async def _succeed(session: AsyncSession, user: StaffUser, password: str, now: datetime) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.password_hash = upgraded_hash(user.password_hash, password) or user.password_hash
    await session.flush()
    await record_event(session, user.username, AuditAction.LOGIN, "staff_user", user.id, at=now)


async def _fail(session: AsyncSession, user: StaffUser, now: datetime, locked: bool) -> None:
    reason = "locked" if locked else ("inactive" if not user.active else "password")
    if not locked:
        # Attempts while locked do not count, or a locked account could never recover.
        user.failed_logins += 1
        lock = lock_duration(user.failed_logins)
        if lock:
            user.locked_until = now + lock
    await session.flush()
    details: dict[str, DetailValue] = {"reason": reason, "failed_logins": user.failed_logins}
    await record_event(
        session, user.username, AuditAction.LOGIN_FAILED, "staff_user", user.id, details, at=now
    )
    if not locked and user.locked_until is not None and user.locked_until > now:
        lock_minutes = int((user.locked_until - now).total_seconds() // 60)
        await record_event(
            session,
            SYSTEM_ACTOR,
            AuditAction.ACCOUNT_LOCKED,
            "staff_user",
            user.id,
            {"minutes": lock_minutes},
            at=now,
        )


@dataclass
class LoginThrottle:
    """At most `limit` failed logins per client address within `window` seconds, in memory.

    Addresses live only in this process's memory for the window; they are never stored.
    """

    limit: int = 20
    window: float = 600.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def allows(self, client: str, at: float | None = None) -> bool:
        now = time.monotonic() if at is None else at
        failures = self._failures.get(client)
        if failures is None:
            return True
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return True
        return len(failures) < self.limit

    def record_failure(self, client: str, at: float | None = None) -> None:
        now = time.monotonic() if at is None else at
        self._failures.setdefault(client, deque()).append(now)
        if len(self._failures) > 10_000:
            self._forget_stale(now)

    def _forget_stale(self, now: float) -> None:
        for client in [c for c, f in self._failures.items() if f[-1] <= now - self.window]:
            del self._failures[client]
