"""Conversations and their transcript: finding, opening, writing messages, notes, codes, deletion.

Every message is a row before anything is sent (store first, then deliver). Text is made safe to
store on every backend and capped at `MAX_TEXT_CHARS`; the caller keeps the full text for crisis
detection. The conversation's `mode` is not written here: `bot.handoff` owns it.
"""

import logging
import re
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Channel,
    Conversation,
    ConversationMode,
    DeliveryState,
    Message,
    Sender,
    StaffNote,
)
from bot.pseudonyms import new_samtalekode, samtalekode_hash
from nlu.interpretation import CrisisLevel

log = logging.getLogger(__name__)

# A chat bubble longer than this is cut when stored (marked `truncated`); the NLU still reads
# every character of the original, so a crisis at the end of a long message is not missed.
MAX_TEXT_CHARS = 4000
MAX_NOTE_CHARS = 4000
# Control characters (Unicode Cc) except tab and newline, and lone surrogates (Cs).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Losing the race to start a conversation and then finding the winner already closed again
# takes a staff member's close in between; three rounds of that mean something else is wrong.
_START_ATTEMPTS = 3


class ConversationNotFound(LookupError):
    """No conversation with that id (it may have been deleted)."""


def clean_text(text: str | bytes | None, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """Text safe to store anywhere, and whether it had to be cut to `limit` characters.

    Bytes are decoded leniently; line breaks become \\n; other control characters except tab
    (PostgreSQL refuses NUL) and lone surrogates (UTF-8 cannot hold them) become U+FFFD.
    """
    if text is None:
        return "", False
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = _UNSAFE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > limit:
        return text[:limit], True
    return text, False


async def get_conversation(session: AsyncSession, conversation_id: uuid.UUID) -> Conversation:
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None:
        raise ConversationNotFound(str(conversation_id))
    return conversation


async def find_open(session: AsyncSession, channel: Channel, user_key: str) -> Conversation | None:
    """The user's latest conversation on this channel that is not closed."""
    result = await session.execute(
        select(Conversation)
        .where(
            Conversation.channel == channel,
            Conversation.user_key == user_key,
            Conversation.mode != ConversationMode.CLOSED,
        )
        .order_by(Conversation.last_activity_at.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def start_conversation(
    session: AsyncSession,
    *,
    channel: Channel,
    user_key: str,
    now: datetime,
    delivery_address: str | None = None,
    language: str = "nb",
) -> Conversation:
    """A new conversation in bot mode, or the user's open one if it was started meanwhile.

    A user has at most one open conversation per channel (a unique index). Two first messages
    at the same moment (two servers, a double tap) may both find none and both start one: the
    insert that loses continues the winner's. It runs in a SAVEPOINT, so the caller's unit of
    work survives the collision. `delivery_address` must already be sealed.
    """
    attempts = 0
    while True:
        attempts += 1
        conversation = _new_conversation(channel, user_key, now, delivery_address, language)
        try:
            async with session.begin_nested():
                session.add(conversation)
            return conversation
        except IntegrityError:
            opened = await find_open(session, channel, user_key)
            if opened is not None:
                log.info("a conversation was open already; continuing %s", opened.id)
                return opened
            if attempts >= _START_ATTEMPTS:
                raise
            # The winner was closed before we could read it: a new one may start now.


def _new_conversation(
    channel: Channel,
    user_key: str,
    now: datetime,
    delivery_address: str | None,
    language: str,
) -> Conversation:
    return Conversation(
        id=uuid.uuid4(),
        user_key=user_key,
        channel=channel,
        delivery_address=delivery_address,
        mode=ConversationMode.BOT,
        state={},
        language=language,
        crisis_level=CrisisLevel.NONE,
        crisis_unseen=False,
        topics=[],
        created_at=now,
        last_activity_at=now,
    )


async def add_message(
    session: AsyncSession,
    conversation: Conversation,
    *,
    sender: Sender,
    text: str,
    now: datetime,
    payload: dict[str, Any] | None = None,
    crisis_level: CrisisLevel | None = None,
    staff_id: int | None = None,
    delivery: DeliveryState = DeliveryState.PENDING,
    flush: bool = True,
) -> Message:
    """Append one message to the transcript and touch the conversation's activity.

    Flushed (so it has an id) unless `flush=False`, for callers that add several at once.
    """
    stored, truncated = clean_text(text)
    message = Message(
        conversation_id=conversation.id,
        sender=sender,
        staff_id=staff_id,
        text=stored,
        payload=payload,
        crisis_level=crisis_level,
        truncated=truncated,
        created_at=now,
        delivery=delivery,
        attempts=0,
        delivered_at=now if delivery is DeliveryState.DELIVERED else None,
    )
    session.add(message)
    conversation.last_activity_at = max(conversation.last_activity_at, now)
    if flush:
        await session.flush()
    return message


async def mark_crisis_seen(session: AsyncSession, conversation_id: uuid.UUID) -> None:
    """Staff have seen the crisis flag; the level itself stays for the record."""
    conversation = await get_conversation(session, conversation_id)
    conversation.crisis_unseen = False
    await session.flush()


async def transcript(
    session: AsyncSession, conversation_id: uuid.UUID, *, after_id: int = 0
) -> list[Message]:
    """The conversation's messages in order, optionally only those after `after_id`."""
    result = await session.execute(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.id > after_id)
        .order_by(Message.id)
    )
    return list(result.scalars())


async def add_note(
    session: AsyncSession, conversation_id: uuid.UUID, staff_id: int, text: str, now: datetime
) -> StaffNote:
    """A private staff note; the user never sees it."""
    await get_conversation(session, conversation_id)
    stored, _ = clean_text(text, MAX_NOTE_CHARS)
    note = StaffNote(
        conversation_id=conversation_id, staff_id=staff_id, text=stored, created_at=now
    )
    session.add(note)
    await session.flush()
    return note


async def list_notes(session: AsyncSession, conversation_id: uuid.UUID) -> list[StaffNote]:
    result = await session.execute(
        select(StaffNote).where(StaffNote.conversation_id == conversation_id).order_by(StaffNote.id)
    )
    return list(result.scalars())


async def issue_samtalekode(
    session: AsyncSession, conversation_id: uuid.UUID, secret: bytes
) -> str:
    """A new samtalekode for the conversation, returned once; only its HMAC is stored.

    Issuing again replaces the previous code, so a code written down and lost can be retired.
    """
    conversation = await get_conversation(session, conversation_id)
    for _ in range(5):
        code = new_samtalekode()
        hashed = samtalekode_hash(secret, code)
        taken = await session.scalar(
            select(Conversation.id).where(Conversation.samtalekode_hash == hashed)
        )
        if taken is None:
            conversation.samtalekode_hash = hashed
            await session.flush()
            return code
    raise RuntimeError("could not find a free samtalekode")  # 1 in 10^50: a broken RNG


async def find_by_samtalekode(
    session: AsyncSession, secret: bytes, code: str
) -> Conversation | None:
    """The open conversation a samtalekode belongs to, or None (unknown, closed or deleted)."""
    result = await session.execute(
        select(Conversation).where(
            Conversation.samtalekode_hash == samtalekode_hash(secret, code),
            Conversation.mode != ConversationMode.CLOSED,
        )
    )
    return result.scalar_one_or_none()


async def remove_conversation(session: AsyncSession, conversation_id: uuid.UUID) -> bool:
    """Delete the conversation with its messages and notes at once; False if it was gone.

    The anonymous `conversation_stat` row stays (the conversation points to it, not back).
    """
    # Explicit deletes rather than trusting ON DELETE CASCADE alone: SQLite enforces foreign keys
    # only when the connection asks for it.
    await session.execute(delete(Message).where(Message.conversation_id == conversation_id))
    await session.execute(delete(StaffNote).where(StaffNote.conversation_id == conversation_id))
    result = await session.execute(delete(Conversation).where(Conversation.id == conversation_id))
    return bool(getattr(result, "rowcount", 0))
