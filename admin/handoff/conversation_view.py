"""What the takeover page shows: the transcript (with each staff message's delivery state and
each user message's crisis flag), what the bot suggested, what was collected about the writer,
private notes, and who holds the conversation.

Text is passed to the templates as it was stored; Jinja's autoescaping makes a `<script>` that a
user wrote show as text.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.handoff.labels import (
    CHANNEL_LABELS,
    CRISIS_LABELS,
    DELIVERY_LABELS,
    OUTCOME_LABELS,
    PRIORITY_LABELS,
    SENDER_LABELS,
    label_topic,
    label_user_role,
)
from admin.handoff.queue_view import staff_names
from bot.conversations import get_conversation, list_notes, transcript
from bot.models import Conversation, ConversationMode, DeliveryState, Message, Sender
from bot.transcript import reply_of
from nlu.interpretation import CrisisLevel


@dataclass(frozen=True, slots=True)
class SuggestedService:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class MessageRow:
    id: int
    sender: Sender
    author: str  # "Bruker", "Chatbot", "Veileder kari", "System"
    text: str
    created_at: datetime
    delivery: DeliveryState
    delivery_label: str
    last_error: str
    crisis_label: str
    crisis_acute: bool
    internal: bool  # a line for staff only
    services: tuple[SuggestedService, ...]
    buttons: tuple[str, ...]
    truncated: bool


@dataclass(frozen=True, slots=True)
class NoteRow:
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ConversationPage:
    conversation: Conversation
    messages: list[MessageRow]
    notes: list[NoteRow]
    suggested: list[SuggestedService]
    holder_name: str
    mine: bool
    channel_label: str
    priority_label: str
    crisis_label: str
    topic_labels: tuple[str, ...]
    role_label: str
    outcome_label: str
    version: str

    @property
    def waiting(self) -> bool:
        return self.conversation.mode is ConversationMode.WAITING_FOR_STAFF

    @property
    def with_staff(self) -> bool:
        return self.conversation.mode is ConversationMode.WITH_STAFF

    @property
    def closed(self) -> bool:
        return self.conversation.mode is ConversationMode.CLOSED

    @property
    def flagged(self) -> bool:
        return self.conversation.crisis_level in (CrisisLevel.ACUTE, CrisisLevel.CONCERN)


async def load_conversation_page(
    session: AsyncSession, conversation_id: uuid.UUID, viewer_id: int
) -> ConversationPage:
    """Everything the takeover page shows; raises `ConversationNotFound`."""
    conversation = await get_conversation(session, conversation_id)
    await session.refresh(conversation)
    messages = await transcript(session, conversation_id)
    notes = await list_notes(session, conversation_id)
    names = await staff_names(
        session,
        [conversation.claimed_by_staff_id]
        + [m.staff_id for m in messages]
        + [n.staff_id for n in notes],
    )
    rows = [_message_row(message, names) for message in messages]
    return ConversationPage(
        conversation=conversation,
        messages=rows,
        notes=[NoteRow(names.get(n.staff_id, "ukjent"), n.text, n.created_at) for n in notes],
        suggested=_suggested(rows),
        holder_name=names.get(conversation.claimed_by_staff_id or 0, ""),
        mine=conversation.mode is ConversationMode.WITH_STAFF
        and conversation.claimed_by_staff_id == viewer_id,
        channel_label=CHANNEL_LABELS.get(conversation.channel, conversation.channel.value),
        priority_label=PRIORITY_LABELS.get(conversation.handoff_priority or "", ""),
        crisis_label=CRISIS_LABELS.get(conversation.crisis_level, ""),
        topic_labels=tuple(label_topic(topic) for topic in conversation.topics or ()),
        role_label=label_user_role(conversation.role),
        outcome_label=OUTCOME_LABELS.get(conversation.outcome, "") if conversation.outcome else "",
        version=_version(conversation, [(m.id, m.delivery) for m in messages], len(notes)),
    )


async def conversation_version(session: AsyncSession, conversation_id: uuid.UUID) -> str:
    """The page's version without loading message text: cheap enough to ask every second."""
    conversation = await get_conversation(session, conversation_id)
    await session.refresh(conversation)
    rows = await session.execute(
        select(Message.id, Message.delivery)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.id)
    )
    notes = await list_notes(session, conversation_id)
    return _version(conversation, [(row[0], row[1]) for row in rows], len(notes))


def _version(
    conversation: Conversation, messages: list[tuple[int, DeliveryState]], notes: int
) -> str:
    parts = [
        conversation.mode.value,
        str(conversation.claimed_by_staff_id),
        conversation.crisis_level.value,
        str(conversation.handoff_priority),
        str(notes),
        *(f"{message_id}:{delivery.value}" for message_id, delivery in messages),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _message_row(message: Message, names: dict[int, str]) -> MessageRow:
    author = SENDER_LABELS[message.sender]
    if message.sender is Sender.STAFF:
        author = f"Veileder {names.get(message.staff_id or 0, '')}".strip()
    reply = reply_of(message)
    level = message.crisis_level or CrisisLevel.NONE
    return MessageRow(
        id=message.id,
        sender=message.sender,
        author=author,
        text=message.text,
        created_at=message.created_at,
        delivery=message.delivery,
        delivery_label=DELIVERY_LABELS.get(message.delivery, ""),
        last_error=message.last_error or "",
        crisis_label=CRISIS_LABELS.get(level, ""),
        crisis_acute=level is CrisisLevel.ACUTE,
        internal=message.delivery is DeliveryState.INTERNAL,
        services=tuple(SuggestedService(card.slug, card.name) for card in reply.cards),
        buttons=tuple(quick.label for quick in reply.quick_replies),
        truncated=message.truncated,
    )


def _suggested(rows: list[MessageRow]) -> list[SuggestedService]:
    seen: dict[str, SuggestedService] = {}
    for row in rows:
        if row.sender is Sender.BOT:
            for service in row.services:
                seen.setdefault(service.slug, service)
    return list(seen.values())
