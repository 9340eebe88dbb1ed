"""The migration to one open conversation per user: duplicates from before it are closed first."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from admin.database import session_for
from admin.schema import upgrade_database
from bot.conversations import transcript
from bot.models import Channel, Conversation, ConversationMode, DeliveryState, Sender
from tests.bot.factories import NOON, minutes

BEFORE = "a145eb481f27"  # the initial schema, without the unique index


def conversation(user: str, minute: int, mode: ConversationMode) -> Conversation:
    at = NOON + minutes(minute)
    return Conversation(
        user_key=user, channel=Channel.TELEGRAM, mode=mode, created_at=at, last_activity_at=at
    )


async def test_older_open_duplicates_are_closed_with_a_line_for_staff(db_url: str) -> None:
    await upgrade_database(db_url, BEFORE)
    rows = {
        "older": conversation("kari", 0, ConversationMode.WITH_STAFF),
        "newest": conversation("kari", 2, ConversationMode.BOT),
        "oldest": conversation("kari", -5, ConversationMode.WAITING_FOR_STAFF),
        "closed": conversation("kari", 1, ConversationMode.CLOSED),
        "other user": conversation("ola", 0, ConversationMode.BOT),
    }
    async with session_for(db_url) as session:
        session.add_all(rows.values())
    ids = {name: row.id for name, row in rows.items()}

    await upgrade_database(db_url)

    async with session_for(db_url) as session:
        modes = {
            name: (await session.get(Conversation, ids[name])).mode  # type: ignore[union-attr]
            for name in ids
        }
        lines = await transcript(session, ids["older"])
        untouched = await transcript(session, ids["newest"])
    assert modes == {
        "older": ConversationMode.CLOSED,
        "newest": ConversationMode.BOT,
        "oldest": ConversationMode.CLOSED,
        "closed": ConversationMode.CLOSED,
        "other user": ConversationMode.BOT,
    }
    [line] = lines
    assert line.sender is Sender.SYSTEM and line.delivery is DeliveryState.INTERNAL
    assert "nyere åpen samtale" in line.text and untouched == []

    with pytest.raises(IntegrityError):  # from now on the database itself refuses a second one
        async with session_for(db_url) as session:
            session.add(conversation("kari", 10, ConversationMode.BOT))
    async with session_for(db_url) as session:
        still_open = await session.scalars(
            select(Conversation.id).where(Conversation.mode != ConversationMode.CLOSED)
        )
        assert set(still_open) == {ids["newest"], ids["other user"]}
