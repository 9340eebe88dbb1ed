"""Telegram end to end: a rating, the comment it offers, and a crisis that is never a comment.

The real python-telegram-bot Application polls the fake Bot API; staff close the conversation
in the database the way the admin app does, and the channel's own outbox delivers everything.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory
from bot import handoff
from bot.channels.telegram_application import TelegramApp
from bot.conversations import find_open
from bot.dialogue.texts import say
from bot.models import Channel, Conversation, Outcome
from bot.pseudonyms import user_key
from tests.bot.channels.telegram_setup import (
    KARI,
    PRIVACY,
    buttons,
    delivery_of,
    texts,
)
from tests.bot.factories import SECRET
from tests.fakes import telegram_updates as tg
from tests.fakes.bot_api import FakeBotApi

OFFER = say("nb", "rating_comment.invite")
CRISIS_ANSWER = "Det du skriver, høres alvorlig ut"


def seen(fake: FakeBotApi) -> list[str]:
    return texts(fake.sent_to(KARI.id))


async def rated_after_a_close(
    fake: FakeBotApi, telegram: TelegramApp, engine: AsyncEngine
) -> uuid.UUID:
    """Kari writes once, staff close, Kari taps 4: the goodbye offers a comment. Its id."""
    fake.feed(tg.text(KARI, "Jeg lurer på noe om barnehage"))
    await fake.until(lambda: PRIVACY in seen(fake), what="the first answer")
    async with create_session_factory(engine)() as session:
        key = user_key(SECRET, Channel.TELEGRAM, str(KARI.id))
        conversation = await find_open(session, Channel.TELEGRAM, key)
        assert conversation is not None
        await handoff.close(
            session, conversation.id, Outcome.NO_FURTHER_NEED, now=datetime.now(UTC)
        )
        await session.commit()
    delivery_of(telegram).wake()
    await fake.until(lambda: "karakter fra 1 til 5" in seen(fake)[-1], what="the rating buttons")

    fake.feed(tg.button(KARI, "rating:4"))
    await fake.until(lambda: seen(fake)[-1] == OFFER, what="the comment offer")
    assert buttons(fake.sent_to(KARI.id)[-1]) == [("Hopp over", "rating-comment:skip")]
    return conversation.id


async def stored(engine: AsyncEngine, conversation_id: uuid.UUID) -> Conversation:
    async with create_session_factory(engine)() as session:
        conversation = await session.get(Conversation, conversation_id)
    assert conversation is not None
    return conversation


async def test_the_comment_after_a_rating_is_kept_and_thanked_for(
    fake: FakeBotApi, telegram: TelegramApp, engine: AsyncEngine
) -> None:
    conversation_id = await rated_after_a_close(fake, telegram, engine)

    fake.feed(tg.text(KARI, "Fint å få svar så raskt."))
    await fake.until(
        lambda: seen(fake)[-1] == say("nb", "rating_comment.thanks"), what="the thanks"
    )

    conversation = await stored(engine, conversation_id)
    assert (conversation.rating, conversation.rating_comment) == (4, "Fint å få svar så raskt.")
    assert seen(fake).count(PRIVACY) == 1  # not told again for the rating or the comment


async def test_a_crisis_written_as_a_comment_gets_the_crisis_answer(
    fake: FakeBotApi, telegram: TelegramApp, engine: AsyncEngine
) -> None:
    conversation_id = await rated_after_a_close(fake, telegram, engine)

    fake.feed(tg.text(KARI, "Takk, men jeg tenker på selvmord"))
    await fake.until(
        lambda: any(text.startswith(CRISIS_ANSWER) for text in seen(fake)),
        what="the crisis answer",
    )

    conversation = await stored(engine, conversation_id)
    assert conversation.rating == 4 and conversation.rating_comment is None
    async with create_session_factory(engine)() as session:
        key = user_key(SECRET, Channel.TELEGRAM, str(KARI.id))
        new = await find_open(session, Channel.TELEGRAM, key)
    assert new is not None and new.crisis_unseen and new.id != conversation_id


async def test_hopp_over_says_goodbye(
    fake: FakeBotApi, telegram: TelegramApp, engine: AsyncEngine
) -> None:
    conversation_id = await rated_after_a_close(fake, telegram, engine)

    fake.feed(tg.button(KARI, "rating-comment:skip", message_id=1001))
    await fake.until(lambda: seen(fake)[-1] == say("nb", "courtesy.goodbye"), what="goodbye")

    assert (await stored(engine, conversation_id)).rating_comment is None
