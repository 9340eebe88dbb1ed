"""Scheduled housekeeping: deleting conversations past the retention period and stale staff
sessions. Runs hourly inside the server, and on demand as `familieveiviser retention`.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from admin.database import unit_of_work
from admin.staff.audit import record_event
from admin.staff.models import SYSTEM_ACTOR, AuditAction
from admin.staff.sessions import purge_expired_sessions
from bot.retention import delete_expired

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class Housekeeping:
    conversations_deleted: int
    staff_sessions_purged: int


async def tidy(
    sessions: async_sessionmaker[AsyncSession], now: datetime, retention_days: int
) -> Housekeeping:
    """One pass: expired conversations (aggregates stay) and expired staff sessions."""
    async with unit_of_work(sessions) as session:
        deleted = await delete_expired(session, now, retention_days)
        purged = await purge_expired_sessions(session, now)
        if deleted:
            await record_event(
                session,
                SYSTEM_ACTOR,
                AuditAction.DELETED,
                target_type="conversation",
                details={"reason": "retention", "count": deleted},
                at=now,
            )
    return Housekeeping(deleted, purged)


async def tidy_every_hour(sessions: async_sessionmaker[AsyncSession], retention_days: int) -> None:
    """Run `tidy` now and then every hour until cancelled; a failed pass is logged, not fatal."""
    while True:
        try:
            done = await tidy(sessions, datetime.now(UTC), retention_days)
            log.info(
                "housekeeping: %d conversations deleted, %d staff sessions purged",
                done.conversations_deleted,
                done.staff_sessions_purged,
            )
        except Exception:
            log.exception("housekeeping failed; trying again in an hour")
        await asyncio.sleep(INTERVAL_SECONDS)
