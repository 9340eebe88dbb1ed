"""The handoff queue: who waits for a person, in which order, and what a waiting user is told.

Order: acute first, then concern, then normal; within a priority, the longest waiting first.
Each entry carries what staff need to choose (channel, waiting time, topics, age, role, crisis
flag and a one-line summary of what the user wrote) and nothing that names the user.
"""

import math
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversations import add_message
from bot.dialogue.texts import say
from bot.dialogue.turn import Priority
from bot.messages import ReplyKind
from bot.models import Channel, Conversation, ConversationMode, Message, Sender
from nlu.interpretation import CrisisLevel

# A rough figure for the wait estimate: how long one conversation keeps a staff member busy.
MINUTES_PER_CONVERSATION = 8
SUMMARY_CHARS = 140
_SUMMARY_MESSAGES = 3

_priority_order = case(
    (Conversation.handoff_priority == Priority.ACUTE, 0),
    (Conversation.handoff_priority == Priority.CONCERN, 1),
    else_=2,
)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    position: int  # 1 = next to be answered
    conversation_id: uuid.UUID
    channel: Channel
    priority: Priority
    crisis_level: CrisisLevel
    crisis_unseen: bool
    requested_at: datetime
    waiting_seconds: int
    topics: tuple[str, ...]
    age: int | None
    role: str | None
    language: str
    summary: str  # the start of what the user wrote, on one line


@dataclass(frozen=True, slots=True)
class QueuePlace:
    """What a waiting user is told: their place and a rough wait in minutes."""

    position: int
    of: int
    estimated_minutes: int


def _ordered_waiting() -> list[object]:
    return [_priority_order, Conversation.handoff_requested_at, Conversation.id]


async def waiting_queue(session: AsyncSession, now: datetime) -> list[QueueEntry]:
    """Every conversation waiting for a person, in the order staff should answer them."""
    result = await session.execute(
        select(Conversation)
        .where(Conversation.mode == ConversationMode.WAITING_FOR_STAFF)
        .order_by(*_ordered_waiting())  # type: ignore[arg-type]
    )
    conversations = list(result.scalars())
    summaries = await _summaries(session, [c.id for c in conversations])
    return [
        _entry(position, conversation, summaries.get(conversation.id, ""), now)
        for position, conversation in enumerate(conversations, start=1)
    ]


def _entry(position: int, conversation: Conversation, summary: str, now: datetime) -> QueueEntry:
    requested = conversation.handoff_requested_at or conversation.last_activity_at
    return QueueEntry(
        position=position,
        conversation_id=conversation.id,
        channel=conversation.channel,
        priority=Priority(conversation.handoff_priority or Priority.NORMAL),
        crisis_level=conversation.crisis_level,
        crisis_unseen=conversation.crisis_unseen,
        requested_at=requested,
        waiting_seconds=max(0, int((now - requested).total_seconds())),
        topics=tuple(conversation.topics or ()),
        age=conversation.age,
        role=conversation.role,
        language=conversation.language,
        summary=summary,
    )


async def _summaries(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    result = await session.execute(
        select(Message.conversation_id, Message.text)
        .where(Message.conversation_id.in_(ids), Message.sender == Sender.USER)
        .order_by(Message.id)
    )
    parts: dict[uuid.UUID, list[str]] = {}
    for conversation_id, text in result:
        kept = parts.setdefault(conversation_id, [])
        if len(kept) < _SUMMARY_MESSAGES and text.strip():
            kept.append(" ".join(text.split()))
    return {key: _shorten(" / ".join(texts)) for key, texts in parts.items()}


def _shorten(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


async def queue_position(
    session: AsyncSession, conversation_id: uuid.UUID, *, available_staff: int = 1
) -> QueuePlace | None:
    """The conversation's place in the queue, or None when it is not waiting."""
    result = await session.execute(
        select(Conversation.id)
        .where(Conversation.mode == ConversationMode.WAITING_FOR_STAFF)
        .order_by(*_ordered_waiting())  # type: ignore[arg-type]
    )
    ids = list(result.scalars())
    if conversation_id not in ids:
        return None
    position = ids.index(conversation_id) + 1
    return QueuePlace(
        position=position,
        of=len(ids),
        estimated_minutes=estimate_wait_minutes(position, available_staff),
    )


async def tell_queue_places(
    session: AsyncSession, now: datetime, *, available_staff: int = 1
) -> int:
    """Tell every waiting user who moved up the queue their new place; returns how many.

    Call it after a claim (or now and then): each such user gets one pending message. Nobody is
    told they moved back (an acute conversation going first) until they move up again.
    """
    told = 0
    for entry in await waiting_queue(session, now):
        conversation = await session.get(Conversation, entry.conversation_id)
        if conversation is None or (conversation.queue_place_told or 0) <= entry.position:
            continue
        minutes = estimate_wait_minutes(entry.position, available_staff)
        await add_message(
            session,
            conversation,
            sender=Sender.SYSTEM,
            text=say(
                conversation.language, "person.queue_wait", position=entry.position, minutes=minutes
            ),
            payload={"kind": ReplyKind.HANDOFF.value, "event": "queue-place"},
            now=now,
            flush=False,
        )
        conversation.queue_place_told = entry.position
        told += 1
    await session.flush()
    return told


def estimate_wait_minutes(position: int, available_staff: int) -> int:
    """A rough, honest-sized wait: the conversations ahead shared among the staff on duty."""
    staff = max(available_staff, 1)
    ahead = max(position - 1, 0)
    return max(1, math.ceil((ahead + 1) * MINUTES_PER_CONVERSATION / staff))
