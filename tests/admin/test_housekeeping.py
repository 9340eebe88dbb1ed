"""Housekeeping: the retention period deletes old conversations, keeps the statistics, audits it."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory, unit_of_work
from admin.housekeeping import tidy
from admin.staff.models import AuditAction, AuditEvent
from bot.conversations import add_message, start_conversation
from bot.models import Channel, Conversation, ConversationStat, Message, Sender
from bot.pseudonyms import user_key

SECRET = b"test-secret"


async def _conversation(engine: AsyncEngine, user: str, at: datetime, text: str) -> None:
    async with unit_of_work(create_session_factory(engine)) as session:
        conversation = await start_conversation(
            session, channel=Channel.WEB, user_key=user_key(SECRET, "web", user), now=at
        )
        await add_message(session, conversation, sender=Sender.USER, text=text, now=at)
        session.add(
            ConversationStat(
                day=at.date(), channel=Channel.WEB, topic="mental-health", crisis_level="none"
            )
        )


async def test_tidy_deletes_only_expired_conversations_and_keeps_statistics(
    engine: AsyncEngine,
) -> None:
    now = datetime.now(UTC)
    await _conversation(engine, "old", now - timedelta(days=31), "gammel hemmelighet")
    await _conversation(engine, "fresh", now - timedelta(days=2), "ny melding")
    done = await tidy(create_session_factory(engine), now, retention_days=30)
    assert done.conversations_deleted == 1
    async with create_session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Conversation)) == 1
        texts = list(await session.scalars(select(Message.text)))
        assert texts == ["ny melding"]
        assert await session.scalar(select(func.count()).select_from(ConversationStat)) == 2
        events = list(await session.scalars(select(AuditEvent)))
    [event] = [e for e in events if e.action is AuditAction.DELETED]
    assert event.actor == "system"
    assert "hemmelighet" not in str(event.details)


async def test_nothing_to_tidy_writes_no_audit_event(engine: AsyncEngine) -> None:
    done = await tidy(create_session_factory(engine), datetime.now(UTC), retention_days=30)
    assert done.conversations_deleted == 0
    async with create_session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEvent)) == 0
