"""Retention: old conversations go with their messages and notes; statistics and staff work stay."""

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import handoff
from bot.conversations import add_note
from bot.inbound import handle_message
from bot.models import Conversation, ConversationMode, ConversationStat, Message, StaffNote
from bot.retention import delete_expired
from tests.bot.factories import NOON
from tests.bot.fakes import deps, web


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_old_conversations_go_and_their_aggregates_stay(session: AsyncSession) -> None:
    old = await handle_message(session, web("Sønnen min blir mobbet", user="old"), deps())
    assert old.conversation_id is not None
    await add_note(session, old.conversation_id, 2, "notat", NOON)
    recent_day = NOON + timedelta(days=20)
    recent = await handle_message(session, web("hei", user="new"), deps(now=recent_day))
    await session.commit()

    removed = await delete_expired(session, NOON + timedelta(days=31), retention_days=30)
    await session.commit()

    assert removed == 1
    assert await session.get(Conversation, old.conversation_id) is None
    assert await session.get(Conversation, recent.conversation_id) is not None
    assert await count(session, StaffNote) == 0
    remaining = await session.scalars(select(Message.conversation_id).distinct())
    assert list(remaining) == [recent.conversation_id]
    stats = list(await session.scalars(select(ConversationStat).order_by(ConversationStat.id)))
    assert len(stats) == 2 and stats[0].topics == ["bullying"]
    assert stats[0].services_suggested  # what the statistics read is still there


async def test_conversations_with_or_waiting_for_staff_are_never_deleted(
    session: AsyncSession,
) -> None:
    waiting = await handle_message(session, web("person", user="a"), deps())
    with_staff = await handle_message(session, web("person", user="b"), deps())
    assert with_staff.conversation_id is not None
    await handoff.take_over(session, with_staff.conversation_id, staff_id=1, now=NOON)
    await session.commit()

    removed = await delete_expired(session, NOON + timedelta(days=400), retention_days=30)

    assert removed == 0
    modes = set(await session.scalars(select(Conversation.mode)))
    assert modes == {ConversationMode.WAITING_FOR_STAFF, ConversationMode.WITH_STAFF}
    assert waiting.conversation_id is not None


async def test_a_conversation_active_within_the_period_is_kept(session: AsyncSession) -> None:
    await handle_message(session, web("hei"), deps())
    await handle_message(session, web("hei igjen"), deps(now=NOON + timedelta(days=29)))
    await session.commit()

    assert await delete_expired(session, NOON + timedelta(days=31), retention_days=30) == 0
    assert await count(session, Conversation) == 1
