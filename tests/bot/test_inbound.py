"""The inbound use case: store first, crisis always, silence while staff own, restart, delete."""

from collections.abc import Sequence
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from admin.database import create_session_factory
from bot import handoff
from bot.conversations import MAX_TEXT_CHARS, add_note, get_conversation, transcript
from bot.dialogue.texts import say
from bot.handoff import AlreadyClaimed, IllegalTransition
from bot.inbound import delete_conversation, handle_message, handle_staff_reply
from bot.messages import ReplyKind
from bot.models import (
    Channel,
    Conversation,
    ConversationMode,
    ConversationStat,
    DeliveryState,
    Message,
    Outcome,
    Sender,
    StaffNote,
)
from nlu.interpretation import CrisisLevel, Interpretation, Language
from services_catalog.matching import ServiceMatch
from tests.bot.factories import NOON, minutes
from tests.bot.fakes import FakeCatalogue, KeywordEngine, deps, telegram, web


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


class StoreFirstCatalogue(FakeCatalogue):
    """Checks, when the dialogue asks for services, that the user's message is committed."""

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        super().__init__()
        self.factory = factory
        self.user_rows_seen: list[int] = []

    async def find(
        self, topics: Sequence[tuple[str, float]], age: int | None, role: str | None, language: str
    ) -> list[ServiceMatch]:
        async with self.factory() as elsewhere:  # another connection sees only committed rows
            rows = await elsewhere.scalar(
                select(func.count()).select_from(Message).where(Message.sender == Sender.USER)
            )
        self.user_rows_seen.append(int(rows or 0))
        return await super().find(topics, age, role, language)


async def test_user_message_is_committed_before_any_reply_is_made(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    catalogue = StoreFirstCatalogue(factory)

    async with factory() as session:
        result = await handle_message(
            session, web("Sønnen min på 13 blir mobbet"), deps(lookup=lambda s, n: catalogue)
        )
        await session.commit()
        messages = await transcript(session, result.conversation_id)  # type: ignore[arg-type]

    assert catalogue.user_rows_seen == [1]
    assert messages[0].sender is Sender.USER and messages[0].delivery is DeliveryState.RECEIVED
    bot_rows = [m for m in messages if m.sender is Sender.BOT]
    assert bot_rows and all(m.delivery is DeliveryState.PENDING for m in bot_rows)
    assert [m.id for m in bot_rows] == result.reply_ids
    assert any((m.payload or {}).get("cards") for m in bot_rows)  # the service cards are kept


class BrokenCatalogue(FakeCatalogue):
    async def find(
        self, topics: Sequence[tuple[str, float]], age: int | None, role: str | None, language: str
    ) -> list[ServiceMatch]:
        raise ConnectionError("catalogue down")

    async def get(self, slugs: Sequence[str], language: str) -> list[ServiceMatch]:
        raise ConnectionError("catalogue down")


async def test_a_failing_answer_keeps_the_users_message_and_says_so(
    session: AsyncSession,
) -> None:
    result = await handle_message(
        session, web("Hei, sønnen min blir mobbet"), deps(lookup=lambda s, n: BrokenCatalogue())
    )
    await session.commit()

    assert result.failed
    assert [reply.text for reply in result.replies] == [say("nb", "channel.no_answer")]
    stored, apology = await transcript(session, result.conversation_id)  # type: ignore[arg-type]
    assert stored.sender is Sender.USER and stored.text == "Hei, sønnen min blir mobbet"
    assert apology.sender is Sender.BOT and apology.delivery is DeliveryState.PENDING
    assert result.reply_ids == [apology.id]  # Telegram's outbox sends it like any reply


async def test_a_failing_answer_still_flags_the_crisis(session: AsyncSession) -> None:
    result = await handle_message(
        session, web("jeg tenker på selvmord"), deps(lookup=lambda s, n: BrokenCatalogue())
    )
    await session.commit()

    assert result.failed and result.crisis_level is CrisisLevel.ACUTE
    conversation = await get_conversation(session, result.conversation_id)  # type: ignore[arg-type]
    assert conversation.crisis_level is CrisisLevel.ACUTE and conversation.crisis_unseen
    stored, apology = await transcript(session, conversation.id)
    assert stored.crisis_level is CrisisLevel.ACUTE
    assert apology.text == say("nb", "channel.no_answer_crisis")  # names no number it cannot check


class BrokenEngine:
    """An NLU engine that is down, as a Rasa server that went away."""

    name = "broken"

    def interpret(self, text: str) -> Interpretation:
        raise ConnectionError("nlu down")

    def interpret_many(self, texts: list[str]) -> list[Interpretation]:
        raise ConnectionError("nlu down")


async def test_with_the_nlu_down_the_crisis_rules_still_answer_first(
    session: AsyncSession,
) -> None:
    result = await handle_message(
        session,
        web("jeg skal ta livet mitt i kveld"),
        deps(engine=BrokenEngine()),  # type: ignore[arg-type]
    )
    await session.commit()

    assert result.crisis_level is CrisisLevel.ACUTE
    assert result.replies and result.replies[0].kind is ReplyKind.CRISIS
    conversation = await get_conversation(session, result.conversation_id)  # type: ignore[arg-type]
    assert conversation.crisis_unseen


async def test_crisis_while_with_staff_flags_it_and_the_bot_stays_silent(
    session: AsyncSession,
) -> None:
    first = await handle_message(session, web("Jeg vil snakke med en person"), deps())
    assert first.mode is ConversationMode.WAITING_FOR_STAFF
    conversation_id = first.conversation_id
    assert conversation_id is not None
    await handoff.take_over(session, conversation_id, staff_id=5, now=NOON + minutes(1))
    await session.commit()
    before = len(await transcript(session, conversation_id))

    result = await handle_message(session, web("jeg tenker på selvmord"), deps())
    await session.commit()

    assert result.replies == [] and result.crisis_level is CrisisLevel.ACUTE
    after = await transcript(session, conversation_id)
    assert len(after) == before + 1
    assert after[-1].sender is Sender.USER and after[-1].crisis_level is CrisisLevel.ACUTE
    conversation = await get_conversation(session, conversation_id)
    assert conversation.crisis_level is CrisisLevel.ACUTE and conversation.crisis_unseen
    assert conversation.mode is ConversationMode.WITH_STAFF


async def test_crisis_while_waiting_moves_the_conversation_up_the_queue(
    session: AsyncSession,
) -> None:
    first = await handle_message(session, web("kan jeg få en person", user="a"), deps())
    result = await handle_message(session, web("jeg er så lei meg", user="a"), deps())
    assert result.conversation_id == first.conversation_id
    conversation = await get_conversation(session, first.conversation_id)  # type: ignore[arg-type]
    assert conversation.handoff_priority == "concern" and conversation.crisis_unseen
    assert result.replies  # the bot still answers a waiting user, crisis lines first


async def test_asking_for_a_person_queues_and_tells_the_place(session: AsyncSession) -> None:
    await handle_message(session, web("person takk", user="earlier"), deps())
    later = deps(now=NOON + minutes(2))
    result = await handle_message(session, web("Jeg vil snakke med en person"), later)

    assert result.mode is ConversationMode.WAITING_FOR_STAFF
    assert result.queue is not None and result.queue.position == 2
    assert "nummer 2 i køen" in result.replies[-1].text


async def test_restart_mid_conversation_continues_where_it_was(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with factory() as session:
        first = await handle_message(session, web("hei"), deps())
        await session.commit()
    assert len(first.replies) >= 2  # the first-contact greeting

    async with factory() as session:  # a new process: new session, new engine objects
        second = await handle_message(session, web("hei"), deps(engine=KeywordEngine()))
        await session.commit()

    assert second.conversation_id == first.conversation_id
    assert len(second.replies) == 1  # "Hei igjen!", not the introduction again
    assert second.replies[0].text != first.replies[0].text


async def test_slett_deletes_the_conversation_and_everything_in_it(
    engine: AsyncEngine,
) -> None:
    factory = create_session_factory(engine)
    async with factory() as session:
        first = await handle_message(session, web("Sønnen min blir mobbet"), deps())
        conversation_id = first.conversation_id
        assert conversation_id is not None
        await add_note(session, conversation_id, 3, "ringte skolen", NOON)
        asked = await handle_message(session, web("/slett"), deps())
        await session.commit()
    assert asked.replies[-1].quick_replies  # one confirmation first

    told: list[tuple[Channel, object]] = []

    async def record(_session: AsyncSession, channel: Channel, conversation: object) -> None:
        told.append((channel, conversation))

    async with factory() as session:
        confirmed = replace(deps(), record_deletion=record)
        done = await handle_message(session, web("delete:yes"), confirmed)
        await session.commit()

    assert done.deleted and done.conversation_id is None and done.replies
    assert told == [(Channel.WEB, conversation_id)]  # the audit log hears of it, nothing more
    async with factory() as session:
        assert await count(session, Conversation) == 0
        assert await count(session, Message) == 0
        assert await count(session, StaffNote) == 0
        stat = await session.scalar(select(ConversationStat))
        assert stat is not None and stat.deleted_by_user and stat.topics == ["bullying"]


async def test_delete_conversation_from_the_web_button(session: AsyncSession) -> None:
    first = await handle_message(session, web("hei"), deps())
    assert first.conversation_id is not None
    assert await delete_conversation(session, first.conversation_id)
    assert not await delete_conversation(session, first.conversation_id)
    assert await count(session, Message) == 0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        None,
        b"\xff\xfe\x00binary\x00",
        "null\x00byte and \x07bell \x1b[31mescape",
        "lone surrogate \ud800 here",
        "🙂" * 50,
    ],
    ids=["empty", "blank", "none", "bytes", "controls", "surrogate", "emoji"],
)
async def test_odd_text_is_stored_and_answered_without_crashing(
    session: AsyncSession, text: str | bytes | None
) -> None:
    result = await handle_message(session, web(text), deps())
    await session.commit()

    assert not result.failed
    (user_message, *_) = await transcript(session, result.conversation_id)  # type: ignore[arg-type]
    assert user_message.sender is Sender.USER
    assert "\x00" not in user_message.text


async def test_huge_text_is_stored_cut_but_crisis_checked_in_full(session: AsyncSession) -> None:
    engine = KeywordEngine()
    text = "bla " * 3000 + "jeg tenker på selvmord"

    result = await handle_message(session, web(text), deps(engine=engine))
    await session.commit()

    assert engine.seen == [text]
    assert result.crisis_level is CrisisLevel.ACUTE
    (user_message, *_) = await transcript(session, result.conversation_id)  # type: ignore[arg-type]
    assert len(user_message.text) == MAX_TEXT_CHARS and user_message.truncated
    assert user_message.crisis_level is CrisisLevel.ACUTE


async def test_staff_reply_is_stored_pending_and_only_by_the_holder(
    session: AsyncSession,
) -> None:
    first = await handle_message(session, web("person"), deps())
    conversation_id = first.conversation_id
    assert conversation_id is not None
    with pytest.raises(IllegalTransition):
        await handle_staff_reply(session, conversation_id, 5, "Hei!")
    await handoff.take_over(session, conversation_id, staff_id=5, now=NOON)
    with pytest.raises(AlreadyClaimed):
        await handle_staff_reply(session, conversation_id, 6, "Hei!")

    reply = await handle_staff_reply(session, conversation_id, 5, "Hei, jeg heter Anne.")

    assert reply.sender is Sender.STAFF and reply.delivery is DeliveryState.PENDING
    assert reply.staff_id == 5


async def test_rating_button_after_close_rates_the_closed_conversation(
    session: AsyncSession,
) -> None:
    first = await handle_message(session, telegram("person"), deps())
    conversation_id = first.conversation_id
    assert conversation_id is not None
    await handoff.take_over(session, conversation_id, staff_id=5, now=NOON)
    await handoff.close(session, conversation_id, Outcome.ADVICE_GIVEN, now=NOON)

    result = await handle_message(session, telegram("rating:4"), deps())

    assert result.conversation_id == conversation_id and result.replies
    conversation = await get_conversation(session, conversation_id)
    stat = await session.get(ConversationStat, conversation.stat_id)
    assert conversation.rating == 4 and stat is not None and stat.rating == 4
    # After the comment's window (see tests/bot/test_rating_comment.py), a new conversation.
    again = await handle_message(session, telegram("hei"), deps(now=NOON + minutes(16)))
    assert again.conversation_id != conversation_id  # a closed conversation is not reopened


async def test_a_new_conversation_starts_in_the_configured_language(session: AsyncSession) -> None:
    nynorsk = replace(deps(), default_language=Language.NYNORSK)
    result = await handle_message(session, web("hei"), nynorsk)
    assert result.replies[0].text.startswith(say("nn", "greeting.intro")[:20])
    bokmaal = await handle_message(session, web("hei", user="another"), deps())
    assert bokmaal.replies[0].text.startswith(say("nb", "greeting.intro")[:20])
