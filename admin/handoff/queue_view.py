"""What the queue page shows: the waiting conversations in answering order, the ones staff
hold now (and who holds them), and the dashboard's short summary.

Built from `bot.queue.waiting_queue` (acute, then concern, then the longest waiting). Every row
carries a `version` part so the live stream only sends a new list when something changed.
"""

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.handoff.labels import (
    CHANNEL_LABELS,
    CRISIS_LABELS,
    PRIORITY_LABELS,
    format_waiting,
    label_topic,
    label_user_role,
)
from admin.staff.duty import load_schedule
from admin.staff.models import StaffUser
from bot.models import Conversation, ConversationMode
from bot.queue import QueueEntry, waiting_queue


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One waiting conversation, ready for the template."""

    entry: QueueEntry
    priority_label: str
    channel_label: str
    crisis_label: str
    waiting_label: str
    topic_labels: tuple[str, ...]
    role_label: str
    left_outside_duty: bool  # written while the duty was closed; answered when it opens

    @property
    def conversation_id(self) -> uuid.UUID:
        return self.entry.conversation_id


@dataclass(frozen=True, slots=True)
class HeldRow:
    """A conversation a staff member has taken over."""

    conversation_id: uuid.UUID
    channel_label: str
    staff_name: str
    claimed_at: datetime | None
    crisis_label: str
    topic_labels: tuple[str, ...]
    mine: bool


@dataclass(frozen=True, slots=True)
class QueueBoard:
    waiting: list[QueueRow]
    held: list[HeldRow]
    version: str  # changes when the lists change, not when only the clock moves

    @property
    def most_urgent(self) -> QueueRow | None:
        return self.waiting[0] if self.waiting else None


async def load_queue_board(session: AsyncSession, now: datetime, viewer_id: int) -> QueueBoard:
    """The queue as the staff member `viewer_id` sees it at `now`."""
    schedule = await load_schedule(session)
    waiting = [
        _queue_row(entry, now, left_outside_duty=not schedule.is_open(entry.requested_at))
        for entry in await waiting_queue(session, now)
    ]
    held = await _held(session, viewer_id)
    return QueueBoard(waiting=waiting, held=held, version=_version(waiting, held))


def _queue_row(entry: QueueEntry, now: datetime, *, left_outside_duty: bool) -> QueueRow:
    return QueueRow(
        entry=entry,
        priority_label=PRIORITY_LABELS.get(entry.priority.value, entry.priority.value),
        channel_label=CHANNEL_LABELS.get(entry.channel, entry.channel.value),
        crisis_label=CRISIS_LABELS.get(entry.crisis_level, ""),
        waiting_label=format_waiting(entry.waiting_seconds),
        topic_labels=tuple(label_topic(topic) for topic in entry.topics),
        role_label=label_user_role(entry.role),
        left_outside_duty=left_outside_duty,
    )


async def _held(session: AsyncSession, viewer_id: int) -> list[HeldRow]:
    result = await session.scalars(
        select(Conversation)
        .where(Conversation.mode == ConversationMode.WITH_STAFF)
        .order_by(Conversation.claimed_at, Conversation.id)
    )
    conversations = list(result)
    names = await staff_names(session, (c.claimed_by_staff_id for c in conversations))
    return [
        HeldRow(
            conversation_id=conversation.id,
            channel_label=CHANNEL_LABELS.get(conversation.channel, conversation.channel.value),
            staff_name=names.get(conversation.claimed_by_staff_id or 0, "ukjent"),
            claimed_at=conversation.claimed_at,
            crisis_label=CRISIS_LABELS.get(conversation.crisis_level, ""),
            topic_labels=tuple(label_topic(topic) for topic in conversation.topics or ()),
            mine=conversation.claimed_by_staff_id == viewer_id,
        )
        for conversation in conversations
    ]


async def staff_names(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    """Usernames of staff members by id (the bot's tables only keep the id)."""
    wanted = {staff_id for staff_id in ids if staff_id is not None}
    if not wanted:
        return {}
    result = await session.execute(
        select(StaffUser.id, StaffUser.username).where(StaffUser.id.in_(wanted))
    )
    return {staff_id: username for staff_id, username in result.all()}


def _version(waiting: list[QueueRow], held: list[HeldRow]) -> str:
    parts = [
        f"w:{row.conversation_id}:{row.entry.priority}:{row.entry.crisis_level}:"
        f"{row.entry.summary}:{row.entry.topics}:{row.entry.age}:{row.entry.role}"
        for row in waiting
    ]
    parts += [f"h:{row.conversation_id}:{row.staff_name}:{row.crisis_label}" for row in held]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
