"""A comment on a rating given with buttons (Telegram, terminal), written as transcripts.

Staff close; the user taps a rating; the goodbye offers one comment. The next message within
fifteen minutes is the comment, unless crisis detection sees anything in it: then it is a new
message and gets the crisis answer.
"""

import uuid
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import handoff
from bot.conversations import get_conversation
from bot.dialogue.texts import say
from bot.inbound import InboundResult, handle_message
from bot.messages import QuickReply, ReplyKind
from bot.models import Conversation, Message, Outcome, Sender
from bot.ratings import MAX_COMMENT_CHARS, SKIP_COMMENT
from nlu.interpretation import CrisisLevel, Interpretation
from tests.bot.factories import NOON, minutes
from tests.bot.fakes import KeywordEngine, deps, telegram

SKIP = QuickReply("Hopp over", SKIP_COMMENT)


@dataclass
class Chat:
    """One Telegram user's side of the chat; every message is sent at a chosen minute."""

    session: AsyncSession
    engine: KeywordEngine

    async def says(self, text: str, at_minute: float = 0) -> InboundResult:
        inbound_deps = replace(deps(now=NOON + minutes(at_minute)), nlu=self.engine)
        return await handle_message(self.session, telegram(text), inbound_deps)

    async def closed_by_staff_and_rated(self, stars: int = 4) -> uuid.UUID:
        first = await self.says("Kan jeg snakke med en person?")
        assert first.conversation_id is not None
        await handoff.take_over(self.session, first.conversation_id, staff_id=5, now=NOON)
        await handoff.close(self.session, first.conversation_id, Outcome.ADVICE_GIVEN, now=NOON)
        offer = await self.says(f"rating:{stars}", at_minute=1)
        assert [r.text for r in offer.replies] == [say("nb", "rating_comment.invite")]
        assert offer.replies[0].quick_replies == (SKIP,)
        return first.conversation_id


class NoNlu(KeywordEngine):
    """The NLU engine is down: only the crisis rules in this process still read the text."""

    def interpret(self, text: str) -> Interpretation:
        raise ConnectionError("rasa is away")


@pytest.fixture
def chat(session: AsyncSession) -> Chat:
    return Chat(session, KeywordEngine())


async def user_messages(session: AsyncSession, conversation_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id == conversation_id, Message.sender == Sender.USER)
        )
        or 0
    )


async def test_the_next_message_is_the_comment_and_the_one_after_starts_anew(chat: Chat) -> None:
    rated = await chat.closed_by_staff_and_rated(4)

    thanks = await chat.says("Veilederen var hyggelig, men jeg ventet lenge.", at_minute=5)

    assert [r.text for r in thanks.replies] == [say("nb", "rating_comment.thanks")]
    assert thanks.conversation_id == rated and thanks.user_message_id is None
    conversation = await get_conversation(chat.session, rated)
    assert conversation.rating == 4
    assert conversation.rating_comment == "Veilederen var hyggelig, men jeg ventet lenge."
    assert await user_messages(chat.session, rated) == 1  # a comment is not a chat message

    after = await chat.says("hei", at_minute=6)
    assert after.conversation_id not in (None, rated)
    assert after.replies[0].kind is ReplyKind.GREETING
    unchanged = await get_conversation(chat.session, rated)
    assert unchanged.rating_comment == "Veilederen var hyggelig, men jeg ventet lenge."


@pytest.mark.parametrize(
    ("comment", "level"),
    [
        ("Takk for hjelpen, men nå tenker jeg på selvmord", CrisisLevel.ACUTE),
        ("Greit nok, men jeg er fortsatt så lei meg", CrisisLevel.CONCERN),
    ],
)
async def test_a_comment_with_any_crisis_is_answered_as_a_new_message(
    chat: Chat, comment: str, level: CrisisLevel
) -> None:
    rated = await chat.closed_by_staff_and_rated(2)

    answer = await chat.says(comment, at_minute=3)

    assert answer.conversation_id not in (None, rated)
    assert answer.crisis_level is level and answer.user_message_id is not None
    assert answer.replies and answer.replies[0].kind is ReplyKind.CRISIS
    assert (await get_conversation(chat.session, rated)).rating_comment is None
    # The user is talking in the new conversation now: the next message is not a comment.
    more = await chat.says("Det er ingen jeg kan snakke med", at_minute=4)
    assert more.conversation_id == answer.conversation_id
    assert (await get_conversation(chat.session, rated)).rating_comment is None


async def test_crisis_detection_runs_on_a_comment_even_when_the_nlu_is_down(
    session: AsyncSession,
) -> None:
    chat = Chat(session, KeywordEngine())
    rated = await chat.closed_by_staff_and_rated(3)
    chat.engine = NoNlu()

    answer = await chat.says("Jeg vil ikke leve lenger", at_minute=2)

    assert answer.conversation_id != rated and answer.crisis_level is CrisisLevel.ACUTE
    assert (await get_conversation(session, rated)).rating_comment is None


async def test_hopp_over_says_goodbye_and_keeps_no_comment(chat: Chat) -> None:
    rated = await chat.closed_by_staff_and_rated(5)

    goodbye = await chat.says(SKIP_COMMENT, at_minute=2)

    assert [r.text for r in goodbye.replies] == [say("nb", "courtesy.goodbye")]
    assert (await get_conversation(chat.session, rated)).rating_comment is None
    after = await chat.says("Sønnen min på 13 blir mobbet", at_minute=3)
    assert after.conversation_id not in (None, rated)
    assert (await get_conversation(chat.session, rated)).rating_comment is None


async def test_a_command_is_what_it_says_not_a_comment(chat: Chat) -> None:
    rated = await chat.closed_by_staff_and_rated(4)

    command = await chat.says("/start", at_minute=2)

    assert command.conversation_id not in (None, rated) and command.user_message_id is not None
    assert command.replies[0].kind is ReplyKind.GREETING
    assert (await get_conversation(chat.session, rated)).rating_comment is None


async def test_after_fifteen_minutes_the_message_starts_a_new_conversation(chat: Chat) -> None:
    rated = await chat.closed_by_staff_and_rated(4)  # the offer is made at minute 1

    late = await chat.says("Jeg glemte å si takk", at_minute=1 + 16)

    assert late.conversation_id not in (None, rated) and late.user_message_id is not None
    assert (await get_conversation(chat.session, rated)).rating_comment is None


async def test_a_long_comment_is_kept_like_the_web_chats(chat: Chat) -> None:
    rated = await chat.closed_by_staff_and_rated(4)
    await chat.says("Bra samtale. " + "x" * 3000 + "\x00", at_minute=2)

    comment = (await get_conversation(chat.session, rated)).rating_comment
    assert comment is not None and len(comment) == MAX_COMMENT_CHARS
    assert comment.startswith("Bra samtale. ")


async def test_the_offer_speaks_the_conversations_language(chat: Chat) -> None:
    first = await chat.says("/nynorsk")
    assert first.conversation_id is not None
    await handoff.close(chat.session, first.conversation_id, None, now=NOON)

    offer = await chat.says("rating:5", at_minute=1)

    assert [r.text for r in offer.replies] == [say("nn", "rating_comment.invite")]
    assert offer.replies[0].quick_replies == (QuickReply("Hopp over", SKIP_COMMENT),)
    thanks = await chat.says("Takk skal de ha", at_minute=2)
    assert [r.text for r in thanks.replies] == [say("nn", "rating_comment.thanks")]
    stored = await chat.session.get(Conversation, first.conversation_id)
    assert stored is not None and stored.rating_comment == "Takk skal de ha"
