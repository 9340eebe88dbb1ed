"""Conversations: safe text, samtalekoder that continue a conversation elsewhere, notes."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import handoff
from bot.conversations import (
    MAX_TEXT_CHARS,
    clean_text,
    find_by_samtalekode,
    issue_samtalekode,
    list_notes,
    mark_crisis_seen,
)
from bot.inbound import InboundMessage, handle_message
from bot.models import Channel, Conversation, Outcome
from tests.bot.factories import NOON, SECRET
from tests.bot.fakes import deps, web


def test_clean_text_keeps_what_people_write_and_defuses_the_rest() -> None:
    assert clean_text("Hei!\nHvordan går det?\tøæå 🙂") == ("Hei!\nHvordan går det?\tøæå 🙂", False)
    assert clean_text("a\x00b\x1bc") == ("a\ufffdb\ufffdc", False)
    assert clean_text("linje 1\r\nlinje 2\rlinje 3") == ("linje 1\nlinje 2\nlinje 3", False)
    assert clean_text("x\ud800y") == ("x\ufffdy", False)  # UTF-8 cannot hold a lone surrogate
    assert clean_text(b"\xffok") == ("\ufffdok", False)
    assert clean_text(None) == ("", False)
    long, cut = clean_text("a" * (MAX_TEXT_CHARS + 1))
    assert cut and len(long) == MAX_TEXT_CHARS


async def test_samtalekode_continues_the_conversation_from_another_device(
    session: AsyncSession,
) -> None:
    first = await handle_message(session, web("hei", user="phone"), deps())
    assert first.conversation_id is not None
    code = await issue_samtalekode(session, first.conversation_id, SECRET)

    stored = await session.get(Conversation, first.conversation_id)
    assert stored is not None and stored.samtalekode_hash and code not in stored.samtalekode_hash
    found = await find_by_samtalekode(session, SECRET, code.lower().replace("-", " "))
    assert found is not None and found.id == first.conversation_id

    laptop = InboundMessage(
        channel=Channel.WEB, channel_user_id="laptop", text="hei", conversation_id=found.id
    )
    second = await handle_message(session, laptop, deps())
    assert second.conversation_id == first.conversation_id
    assert len(second.replies) == 1  # greeted already: "Hei igjen!"


async def test_samtalekode_is_replaced_and_dies_with_the_conversation(
    session: AsyncSession,
) -> None:
    first = await handle_message(session, web("hei"), deps())
    assert first.conversation_id is not None
    old = await issue_samtalekode(session, first.conversation_id, SECRET)
    new = await issue_samtalekode(session, first.conversation_id, SECRET)
    assert await find_by_samtalekode(session, SECRET, old) is None
    assert await find_by_samtalekode(session, SECRET, new) is not None
    await handoff.close(session, first.conversation_id, Outcome.NO_FURTHER_NEED, now=NOON)
    assert await find_by_samtalekode(session, SECRET, new) is None
    assert await find_by_samtalekode(session, SECRET, "AAAA-AAAA") is None


async def test_conversation_id_of_another_channel_is_not_followed(session: AsyncSession) -> None:
    web_first = await handle_message(session, web("hei"), deps())
    sneaky = InboundMessage(
        channel=Channel.TELEGRAM,
        channel_user_id="1",
        text="hei",
        conversation_id=web_first.conversation_id,
    )
    result = await handle_message(session, sneaky, deps())
    assert result.conversation_id != web_first.conversation_id


async def test_crisis_flag_is_cleared_when_staff_have_seen_it(session: AsyncSession) -> None:
    result = await handle_message(session, web("jeg tenker på selvmord"), deps())
    assert result.conversation_id is not None
    await mark_crisis_seen(session, result.conversation_id)
    conversation = await session.scalar(select(Conversation))
    assert conversation is not None and not conversation.crisis_unseen
    assert conversation.crisis_level == "acute"
    assert await list_notes(session, result.conversation_id) == []
