"""One open conversation per user and channel: enforced by the database, harmless in a race."""

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from admin.database import create_engine, create_session_factory
from bot import handoff
from bot.conversations import add_note, find_open, start_conversation, transcript
from bot.inbound import InboundResult, handle_message
from bot.models import Channel, Conversation, ConversationMode, Outcome, Sender, StaffNote
from bot.pseudonyms import user_key
from tests.bot.factories import NOON, SECRET, minutes, new_conversation
from tests.bot.fakes import deps, telegram

KEY = user_key(SECRET, Channel.TELEGRAM, "987654321")  # the user of `telegram(...)`


async def conversations_of(session: AsyncSession, key: str = KEY) -> list[Conversation]:
    result = await session.execute(
        select(Conversation).where(Conversation.user_key == key).order_by(Conversation.created_at)
    )
    return list(result.scalars())


async def test_two_first_messages_at_once_share_one_conversation_and_both_are_answered(
    engine: AsyncEngine,
) -> None:
    """Two processes (two sessions) take the same user's first messages at the same moment."""
    factory = create_session_factory(engine)

    async def receive(text: str) -> InboundResult:
        async with factory() as session:
            result = await handle_message(session, telegram(text), deps())
            await session.commit()
            return result

    first, second = await asyncio.gather(receive("hei"), receive("Sønnen min på 13 blir mobbet"))

    assert first.conversation_id is not None and first.conversation_id == second.conversation_id
    assert first.replies and second.replies and not first.failed and not second.failed
    async with factory() as session:
        [conversation] = await conversations_of(session)
        said = [
            m.text for m in await transcript(session, conversation.id) if m.sender is Sender.USER
        ]
    assert sorted(said) == ["Sønnen min på 13 blir mobbet", "hei"]


async def test_the_second_start_continues_the_first_and_keeps_its_own_unit_of_work(
    db_url: str, engine: AsyncEngine
) -> None:
    """Both looked and found nothing; the one that inserts second gets the first's conversation,
    and what its session did before the collision is still there to commit.

    Two processes race like this (one process gives SQLite a single connection, so its own
    sessions take turns); two connections here stand for the two processes.
    """
    two_processes = create_engine(db_url, pool_size=2)
    try:
        await _race_two_starts(create_session_factory(two_processes))
    finally:
        await two_processes.dispose()


async def _race_two_starts(factory: async_sessionmaker[AsyncSession]) -> None:
    async with factory() as setup:
        other = await new_conversation(setup, user="someone-else")
        await setup.commit()

    async with factory() as winner, factory() as loser:
        assert await find_open(winner, Channel.TELEGRAM, KEY) is None
        assert await find_open(loser, Channel.TELEGRAM, KEY) is None
        won = await start_conversation(winner, channel=Channel.TELEGRAM, user_key=KEY, now=NOON)
        await winner.commit()

        await add_note(loser, other.id, staff_id=7, text="skrevet før kollisjonen", now=NOON)
        lost = await start_conversation(
            loser, channel=Channel.TELEGRAM, user_key=KEY, now=NOON + minutes(1)
        )
        await loser.commit()

    assert lost.id == won.id
    async with factory() as session:
        assert len(await conversations_of(session)) == 1
        notes = await session.scalar(select(func.count()).select_from(StaffNote))
    assert notes == 1


async def test_the_database_refuses_a_second_open_conversation_but_not_after_a_close(
    session: AsyncSession,
) -> None:
    first = await start_conversation(session, channel=Channel.TELEGRAM, user_key=KEY, now=NOON)
    first_id = first.id
    await session.commit()
    session.add(
        Conversation(user_key=KEY, channel=Channel.TELEGRAM, created_at=NOON, last_activity_at=NOON)
    )
    with pytest.raises(IntegrityError):
        await session.flush()
    await session.rollback()

    # The same user on another channel is another conversation.
    web = await start_conversation(session, channel=Channel.WEB, user_key=KEY, now=NOON)
    assert web.id != first_id

    await handoff.close(session, first_id, Outcome.NO_FURTHER_NEED, now=NOON + minutes(5))
    again = await start_conversation(
        session, channel=Channel.TELEGRAM, user_key=KEY, now=NOON + minutes(6)
    )
    await session.commit()
    assert again.id != first_id and again.mode is ConversationMode.BOT
    modes = sorted(c.mode for c in await conversations_of(session) if c.channel is Channel.TELEGRAM)
    assert modes == [ConversationMode.BOT, ConversationMode.CLOSED]


async def test_hand_back_and_a_message_after_close_keep_one_open_conversation(
    session: AsyncSession,
) -> None:
    first = await handle_message(session, telegram("person"), deps())
    assert first.conversation_id is not None
    await handoff.take_over(session, first.conversation_id, staff_id=5, now=NOON)
    await handoff.hand_back(session, first.conversation_id, now=NOON + minutes(1))
    back = await handle_message(session, telegram("hei"), deps(now=NOON + minutes(2)))
    assert back.conversation_id == first.conversation_id

    await handoff.close(session, first.conversation_id, None, now=NOON + minutes(3))
    later = await handle_message(session, telegram("hei igjen"), deps(now=NOON + minutes(30)))
    await session.commit()

    assert later.conversation_id not in (None, first.conversation_id)
    open_ones = [
        c for c in await conversations_of(session) if c.mode is not ConversationMode.CLOSED
    ]
    assert [c.id for c in open_ones] == [later.conversation_id]
