"""The one inbound use case every channel calls: a user's message in, stored replies out.

Order on every message: store the user's message (a row before anything else happens), read it
with the NLU (crisis detection runs always, also while staff own the conversation), flag a crisis
for staff, let the dialogue answer unless a person owns the conversation, store every reply as a
pending message, then act on the dialogue's events (queue for a person, delete, statistics). If
anything after the first step fails, the user's message stays stored and the failure is logged
without its text. Channels commit the session and deliver the pending replies (`bot.delivery`).
"""

import asyncio
import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import aggregates, handoff
from bot.conversations import (
    ConversationNotFound,
    add_message,
    find_open,
    get_conversation,
    remove_conversation,
    start_conversation,
)
from bot.dialogue.commands import Command, read_command
from bot.dialogue.engine import respond
from bot.dialogue.lookup import DutyStatus, ServiceLookup
from bot.dialogue.state import DialogueState, Pending
from bot.dialogue.texts import say, supported
from bot.dialogue.turn import Priority, Turn
from bot.messages import Reply
from bot.models import Channel, Conversation, ConversationMode, DeliveryState, Message, Sender
from bot.pseudonyms import seal_address, user_key
from bot.queue import QueuePlace
from bot.ratings import (
    find_comment_awaited,
    find_rateable,
    rate_conversation,
    read_rating,
    take_comment,
)
from bot.transcript import reply_of
from bot.turns import apply_turn
from nlu.crisis import detect_crisis
from nlu.interpretation import CrisisLevel, Engine, Interpretation, Language, MetaIntent

log = logging.getLogger(__name__)

LookupFactory = Callable[[AsyncSession, datetime], ServiceLookup]
DutySource = Callable[[AsyncSession, datetime], DutyStatus | Awaitable[DutyStatus]]
# Told of every conversation a user deletes (channel, conversation id), in the same unit of work;
# the staff app writes it to its audit log. Nothing about the content is passed on.
DeletionHook = Callable[[AsyncSession, Channel, uuid.UUID], Awaitable[None]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """What a channel received. `channel_user_id` is hashed at once and never stored.

    `delivery_address` is where a channel must send later replies (Telegram's chat id); it is
    stored encrypted. `conversation_id` lets a channel that already knows the conversation (the
    web chat after a samtalekode) continue it; otherwise the user's open conversation is used.
    `answered_in_response`: the channel hands the replies back in its own response (the web
    chat's HTTP answer), so they are stored as delivered rather than left for the outbox.
    `language`: the language the user's page is shown in; a new conversation starts in it.
    """

    channel: Channel
    channel_user_id: str
    text: str | bytes | None
    delivery_address: str | None = None
    conversation_id: uuid.UUID | None = None
    answered_in_response: bool = False
    language: Language | None = None


@dataclass(frozen=True, slots=True)
class InboundDeps:
    """Plain things the composition root injects."""

    nlu: Engine
    services: LookupFactory  # a ServiceLookup bound to this session and moment
    duty_status: DutySource
    secret: bytes
    clock: Callable[[], datetime] = utc_now
    record_deletion: DeletionHook | None = None
    default_language: Language = Language.BOKMAAL  # a new conversation starts in this language


@dataclass(slots=True)
class InboundResult:
    conversation_id: uuid.UUID | None  # None once the conversation was deleted
    user_message_id: int | None
    mode: ConversationMode
    crisis_level: CrisisLevel
    replies: list[Reply] = field(default_factory=list)
    reply_ids: list[int] = field(default_factory=list)  # the stored, pending reply rows
    deleted: bool = False  # replies were not stored: the channel sends them directly
    queue: QueuePlace | None = None
    failed: bool = False  # the message is stored but no answer could be made
    # The conversation as this session holds it (None once deleted): the caller's session keeps
    # it loaded instead of reading it again.
    conversation: Conversation | None = None


async def handle_message(
    session: AsyncSession, inbound: InboundMessage, deps: InboundDeps
) -> InboundResult:
    """Store, understand, answer and act on one user message.

    The user's message is committed on its own first (store first: it is durable before
    anything can fail, and no lock is held while the NLU and the dialogue think); the answer
    is flushed and left for the caller's commit.
    """
    now = deps.clock()
    key = user_key(deps.secret, inbound.channel, inbound.channel_user_id)
    text = _as_text(inbound.text)
    rated = await _rate_if_asked(session, inbound.channel, key, text, now, deps.nlu)
    if rated is not None:
        return rated
    conversation = await _conversation_for(session, inbound, key, deps, now)
    message = await add_message(
        session,
        conversation,
        sender=Sender.USER,
        text=text,
        now=now,
        delivery=DeliveryState.RECEIVED,
        flush=False,
    )
    await session.commit()
    result = InboundResult(
        conversation_id=conversation.id,
        user_message_id=message.id,
        mode=conversation.mode,
        crisis_level=conversation.crisis_level,
        conversation=conversation,
    )
    heard = await _interpret(deps.nlu, text, conversation.id)
    duty, turn = await _answer(session, conversation, heard, deps, now, result)
    try:
        delivery = (
            DeliveryState.DELIVERED if inbound.answered_in_response else DeliveryState.PENDING
        )
        await _record(session, conversation, message, heard, duty, turn, now, result, delivery)
        await session.flush()
    except Exception as error:  # the user's message is committed already; nothing else is
        _log_failure("storing the answer", conversation.id, error)
        await session.rollback()
        await session.refresh(conversation)
        result.failed, result.replies, result.reply_ids, result.queue = True, [], [], None
    if result.deleted:
        await record_user_deletion(session, deps, inbound.channel, conversation.id)
    else:
        result.mode, result.crisis_level = conversation.mode, conversation.crisis_level
    return result


async def record_user_deletion(
    session: AsyncSession, deps: InboundDeps, channel: Channel, conversation_id: uuid.UUID
) -> None:
    """Tell the composition root (the audit log) that a user deleted a conversation."""
    if deps.record_deletion is not None:
        await deps.record_deletion(session, channel, conversation_id)


async def _answer(
    session: AsyncSession,
    conversation: Conversation,
    heard: Interpretation,
    deps: InboundDeps,
    now: datetime,
    result: InboundResult,
) -> tuple[DutyStatus, Turn | None]:
    """The dialogue's turn, or None when a person owns the conversation or answering failed."""
    state = (
        DialogueState.from_dict(conversation.state)
        if conversation.state
        else DialogueState(language=supported(conversation.language))  # as it was started
    )
    duty_now = DutyStatus(staffed_now=False)
    if not _bot_may_answer(conversation, state, heard.text):
        return duty_now, None  # staff see the message and any crisis flag
    try:
        duty = deps.duty_status(session, now)
        duty_now = await duty if inspect.isawaitable(duty) else duty
        services = deps.services(session, now)
        return duty_now, await respond(state, heard, services=services, duty=duty_now, now=now)
    except Exception as error:  # a broken lookup must not lose the crisis flag or the message
        _log_failure("answering", conversation.id, error)
        result.failed = True
        return duty_now, _apology(state, heard)


def _apology(state: DialogueState, heard: Interpretation) -> Turn:
    """Said when no answer could be made: the message arrived, and what to do now.

    Without the catalogue there are no help lines to name (they only ever come from it), so a
    crisis gets the plain advice to call the emergency number and the offer of a person.
    """
    key = (
        "channel.no_answer"
        if heard.crisis.level is CrisisLevel.NONE
        else "channel.no_answer_crisis"
    )
    return Turn(replies=[Reply(text=say(state.language, key))], state=state)


async def _record(
    session: AsyncSession,
    conversation: Conversation,
    message: Message,
    heard: Interpretation,
    duty: DutyStatus,
    turn: Turn | None,
    now: datetime,
    result: InboundResult,
    delivery: DeliveryState,
) -> None:
    if heard.crisis.level is not CrisisLevel.NONE:  # None reads as none: spares an UPDATE
        message.crisis_level = heard.crisis.level
    await _flag_crisis(session, conversation, heard, now)
    stat = await aggregates.stat_for(session, conversation)
    aggregates.count_user_message(stat, heard.crisis.level, conversation.language)
    if turn is not None:
        await apply_turn(session, conversation, turn, duty, now, result, delivery=delivery)


def _log_failure(doing: str, conversation_id: uuid.UUID, error: Exception) -> None:
    # The type only: an exception's message may quote the user's text (SQL parameters).
    log.error("%s failed in conversation %s: %s", doing, conversation_id, type(error).__name__)


async def _rate_if_asked(
    session: AsyncSession, channel: Channel, key: str, text: str, now: datetime, nlu: Engine
) -> InboundResult | None:
    """A tapped rating button after a close rates that conversation instead of starting anew;
    the message after it is the rating's comment, unless crisis detection sees anything in it."""
    rating = read_rating(text)
    if rating is None and channel is Channel.WEB:
        return None  # the web chat sends its comment with the rating: nothing to look up
    if rating is None:
        conversation = await find_comment_awaited(session, channel, key, text, now)
        if conversation is None or await _shows_crisis(nlu, text, conversation.id):
            return None
        said = await take_comment(session, conversation, text, now=now)
    else:
        conversation = await find_rateable(session, channel, key)
        if conversation is None:
            return None
        said = await rate_conversation(
            session, conversation.id, rating, now=now, invite_comment=channel is not Channel.WEB
        )
    return InboundResult(
        conversation_id=conversation.id,
        user_message_id=None,
        mode=conversation.mode,
        crisis_level=conversation.crisis_level,
        replies=[reply_of(said)],
        reply_ids=[said.id],
        conversation=conversation,
    )


async def _shows_crisis(nlu: Engine, text: str, conversation_id: uuid.UUID) -> bool:
    """Any crisis level: the text is answered as a new message, never kept as a comment."""
    return (await _interpret(nlu, text, conversation_id)).crisis.level is not CrisisLevel.NONE


async def _interpret(nlu: Engine, text: str, conversation_id: uuid.UUID) -> Interpretation:
    unclear = Interpretation(
        text=text, language=Language.BOKMAAL, intent=MetaIntent.UNCLEAR, confidence=0.0
    )
    if not text.strip():
        return unclear
    try:
        # In a thread: a Rasa engine blocks on HTTP and the embedded one on CPU.
        return await asyncio.to_thread(nlu.interpret, text)
    except Exception as error:  # without the NLU the bot can still ask the user to rephrase
        _log_failure("understanding", conversation_id, error)
    try:
        # The engine is down (a Rasa server away, a broken model): the crisis rules are plain
        # patterns in this process and still see danger, so crisis comes first even now.
        return replace(unclear, crisis=detect_crisis(text))
    except Exception as error:
        _log_failure("crisis rules", conversation_id, error)
        return unclear


async def _flag_crisis(
    session: AsyncSession, conversation: Conversation, heard: Interpretation, now: datetime
) -> None:
    level = heard.crisis.level
    if level is CrisisLevel.NONE:
        return
    conversation.crisis_level = aggregates.higher_crisis(conversation.crisis_level, level)
    conversation.crisis_unseen = True
    if conversation.mode is ConversationMode.WAITING_FOR_STAFF:
        await handoff.raise_priority(session, conversation, Priority.for_crisis(level), now)


def _bot_may_answer(conversation: Conversation, state: DialogueState, text: str) -> bool:
    """The bot is silent while staff own the conversation, except for deleting it (/slett)."""
    if conversation.mode is not ConversationMode.WITH_STAFF:
        return True
    return read_command(text) is Command.DELETE or state.pending is Pending.CONFIRM_DELETE


async def _conversation_for(
    session: AsyncSession, inbound: InboundMessage, key: str, deps: InboundDeps, now: datetime
) -> Conversation:
    conversation: Conversation | None = None
    if inbound.conversation_id is not None:
        try:
            conversation = await get_conversation(session, inbound.conversation_id)
        except ConversationNotFound:
            conversation = None
        if conversation is not None and (
            conversation.channel is not inbound.channel
            or conversation.mode is ConversationMode.CLOSED
        ):
            conversation = None
    if conversation is None:
        conversation = await find_open(session, inbound.channel, key)
    if conversation is None:
        conversation = await start_conversation(
            session,
            channel=inbound.channel,
            user_key=key,
            now=now,
            language=(inbound.language or deps.default_language).value,
        )
    if inbound.delivery_address and conversation.delivery_address is None:
        conversation.delivery_address = seal_address(deps.secret, inbound.delivery_address)
    return conversation


def _as_text(text: str | bytes | None) -> str:
    if text is None:
        return ""
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace")
    return text


async def handle_staff_reply(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    staff_id: int,
    text: str,
    *,
    now: datetime | None = None,
) -> Message:
    """Store a staff member's reply as a pending message; only the holder may write."""
    conversation = await get_conversation(session, conversation_id)
    if conversation.mode is not ConversationMode.WITH_STAFF:
        raise handoff.IllegalTransition("reply in", conversation.mode)
    if conversation.claimed_by_staff_id != staff_id:
        raise handoff.AlreadyClaimed(conversation.claimed_by_staff_id)
    return await add_message(
        session,
        conversation,
        sender=Sender.STAFF,
        staff_id=staff_id,
        text=text,
        now=now or utc_now(),
    )


async def delete_conversation(session: AsyncSession, conversation_id: uuid.UUID) -> bool:
    """/slett: the conversation, its messages and notes go now; anonymous statistics stay."""
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None:
        return False
    aggregates.mark_deleted_by_user(await aggregates.stat_for(session, conversation))
    return await remove_conversation(session, conversation_id)
