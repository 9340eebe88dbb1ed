"""Server-side staff sessions: the cookie holds a random token, the database only its hash.

A session ends when it has been idle too long, when it reaches its absolute lifetime (one long
duty day), on logout, on "log out everywhere" and when the account is deactivated.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.models import StaffSession, StaffUser

ABSOLUTE_LIFETIME = timedelta(hours=12)
IDLE_TIMEOUT = timedelta(hours=2)
# Writing last_seen on every request would turn each page view into a write.
LAST_SEEN_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class ActiveSession:
    """A valid session and its user, as the request handlers see them."""

    session: StaffSession
    user: StaffUser

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(session: AsyncSession, user: StaffUser, now: datetime) -> str:
    """Create a session for `user` and return the token for the cookie (shown only once)."""
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=hash_token(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + ABSOLUTE_LIFETIME,
            last_seen_at=now,
        )
    )
    await session.flush()
    return token


async def resume_session(session: AsyncSession, token: str, now: datetime) -> ActiveSession | None:
    """The live session behind a cookie token, or None if it is unknown, expired or idle."""
    if not token:
        return None
    query = select(StaffSession).where(StaffSession.token_hash == hash_token(token))
    staff_session = await session.scalar(query)
    if staff_session is None:
        return None
    user = await session.get(StaffUser, staff_session.user_id)
    expired = now >= staff_session.expires_at or now - staff_session.last_seen_at > IDLE_TIMEOUT
    if user is None or not user.active or expired:
        await session.delete(staff_session)
        await session.flush()
        return None
    if now - staff_session.last_seen_at >= LAST_SEEN_GRANULARITY:
        staff_session.last_seen_at = now
        await session.flush()
    return ActiveSession(staff_session, user)


async def end_session(session: AsyncSession, staff_session: StaffSession) -> None:
    await session.delete(staff_session)
    await session.flush()


async def purge_expired_sessions(session: AsyncSession, now: datetime) -> int:
    """Delete sessions past their absolute lifetime or idle timeout; returns how many."""
    result = await session.execute(
        delete(StaffSession).where(
            (StaffSession.expires_at <= now) | (StaffSession.last_seen_at < now - IDLE_TIMEOUT)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
