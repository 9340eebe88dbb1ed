"""Telling waiting users their place in the queue when it changes.

The bot tells a user their place once, when they ask for a person (`bot.turns`). After that the
place moves as colleagues take conversations or a more urgent one arrives; the queue watcher
calls `QueuePlaceAnnouncer.announce` about once a second, and each waiting user whose place
differs from what they were last told gets a system message (`person.queue_wait`), stored as
pending like every other message, so the web chat and Telegram deliver it as usual.

While the duty is not staffed nothing is said: a message left outside duty hours gets its place
when the duty opens. What was last told is kept in memory and in the message's payload, so a
restart does not repeat it. One announcer per deployment (the app runs one process).
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversations import add_message, get_conversation
from bot.dialogue.texts import say
from bot.messages import ReplyKind
from bot.models import Conversation, Message, Sender
from bot.queue import estimate_wait_minutes, waiting_queue

QUEUE_PLACE_EVENT = "queue-place"
# A conversation first seen this soon after its request was told its place by the bot just now.
JUST_TOLD = timedelta(seconds=10)
NEVER_TOLD = 0


@dataclass
class QueuePlaceAnnouncer:
    told: dict[uuid.UUID, int] = field(default_factory=dict)

    async def announce(
        self, session: AsyncSession, now: datetime, *, staffed: bool, available_staff: int
    ) -> int:
        """Store a place update for every waiting user whose place changed; returns how many.

        Flushes; the caller commits.
        """
        waiting = await waiting_queue(session, now)
        for gone in set(self.told) - {entry.conversation_id for entry in waiting}:
            del self.told[gone]
        announced = 0
        for entry in waiting:
            key, position = entry.conversation_id, entry.position
            if key not in self.told:
                told = await _last_told(session, key, entry.requested_at, now, staffed)
                self.told[key] = position if told is None else told
            if not staffed or self.told[key] == position:
                continue
            conversation = await get_conversation(session, key)
            await _tell(session, conversation, position, available_staff, now)
            self.told[key] = position
            announced += 1
        return announced


async def _last_told(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    requested: datetime,
    now: datetime,
    staffed: bool,
) -> int | None:
    """The place this user was last told; None when the bot told them a moment ago."""
    result = await session.scalars(
        select(Message.payload)
        .where(
            Message.conversation_id == conversation_id,
            Message.sender == Sender.SYSTEM,
            Message.created_at >= requested,
        )
        .order_by(Message.id.desc())
    )
    for payload in result:
        if payload and payload.get("event") == QUEUE_PLACE_EVENT:
            return int(payload.get("position", NEVER_TOLD))
    if staffed and now - requested <= JUST_TOLD:
        return None
    return NEVER_TOLD


async def _tell(
    session: AsyncSession,
    conversation: Conversation,
    position: int,
    available_staff: int,
    now: datetime,
) -> None:
    minutes = estimate_wait_minutes(position, available_staff)
    await add_message(
        session,
        conversation,
        sender=Sender.SYSTEM,
        text=say(conversation.language, "person.queue_wait", position=position, minutes=minutes),
        payload={"kind": ReplyKind.HANDOFF.value, "event": QUEUE_PLACE_EVENT, "position": position},
        now=now,
    )
