"""Retention: conversations are deleted a set number of days after their last activity.

Messages and staff notes go with them; the anonymous `conversation_stat` rows stay, which is
what the municipality's statistics read. A conversation waiting for or with staff is never
deleted, however old: a person is still responsible for it.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Conversation, ConversationMode, Message, StaffNote

BATCH = 500  # ids per DELETE … IN (…), well under every backend's parameter limit
_KEPT_MODES = (ConversationMode.WAITING_FOR_STAFF, ConversationMode.WITH_STAFF)


async def delete_expired(session: AsyncSession, now: datetime, retention_days: int) -> int:
    """Delete every conversation idle for longer than `retention_days`; returns how many."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    cutoff = now - timedelta(days=retention_days)
    deleted = 0
    while True:
        ids = list(
            await session.scalars(
                select(Conversation.id)
                .where(
                    Conversation.last_activity_at < cutoff,
                    Conversation.mode.not_in(_KEPT_MODES),
                )
                .limit(BATCH)
            )
        )
        if not ids:
            return deleted
        # Explicit deletes rather than ON DELETE CASCADE alone: SQLite enforces foreign keys only
        # when the connection asks for it.
        await session.execute(delete(Message).where(Message.conversation_id.in_(ids)))
        await session.execute(delete(StaffNote).where(StaffNote.conversation_id.in_(ids)))
        await session.execute(delete(Conversation).where(Conversation.id.in_(ids)))
        deleted += len(ids)
