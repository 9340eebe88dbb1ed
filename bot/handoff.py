"""The handoff state machine: bot -> waiting_for_staff -> with_staff -> bot | closed.

This module is the only writer of `conversation.mode`. Every transition is a conditional UPDATE
(`... WHERE mode IN (allowed)`) whose row count decides who won, so two staff members claiming
the same conversation at once cannot both succeed, on SQLite or PostgreSQL. Every transition
writes a system message into the transcript. The queue itself lives in `bot.queue`.
"""

import uuid
from collections.abc import Collection
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import aggregates
from bot.conversations import ConversationNotFound, add_message
from bot.dialogue.texts import say
from bot.dialogue.turn import Priority
from bot.messages import QuickReply, Reply, ReplyKind
from bot.models import Conversation, ConversationMode, DeliveryState, Outcome, Sender
from bot.transcript import reply_payload
from nlu.interpretation import CrisisLevel

Mode = ConversationMode
RATING_PREFIX = "rating:"  # the payload of the rating buttons: rating:1 … rating:5
_PRIORITY_RANK = {Priority.NORMAL: 0, Priority.CONCERN: 1, Priority.ACUTE: 2}


class HandoffEvent(StrEnum):
    """The `event` of a system message's payload."""

    REQUESTED = "handoff-requested"
    PRIORITY_RAISED = "priority-raised"
    CLAIMED = "staff-joined"
    TRANSFERRED = "transferred"
    HANDED_BACK = "handed-back"
    CLOSED = "closed"


# Lines only staff see in the transcript (the admin app is Norwegian only).
_STAFF_LINES = {
    HandoffEvent.REQUESTED: "Brukeren ba om å snakke med en person (prioritet: {priority}).",
    HandoffEvent.PRIORITY_RAISED: "Prioriteten ble hevet til {priority}.",
    HandoffEvent.TRANSFERRED: "Samtalen ble overført til en annen veileder.",
}


class HandoffError(Exception):
    """A transition that cannot happen from the conversation's current mode."""


class IllegalTransition(HandoffError):
    def __init__(self, action: str, mode: ConversationMode) -> None:
        super().__init__(f"cannot {action} a conversation that is {mode.value}")
        self.action = action
        self.mode = mode


class AlreadyClaimed(HandoffError):
    """Someone else took the conversation first."""

    def __init__(self, staff_id: int | None) -> None:
        super().__init__("Samtalen er allerede tatt av en annen veileder.")
        self.staff_id = staff_id


class OutcomeRequired(HandoffError):
    """A conversation flagged acute or concern needs an outcome to be closed, and a person."""


def _in_norwegian(details: dict[str, Any]) -> dict[str, Any]:
    names = {"acute": "akutt", "concern": "bekymring", "normal": "vanlig"}
    return {key: names.get(value, value) for key, value in details.items()}


def _is_flagged(conversation: Conversation) -> bool:
    return conversation.crisis_level in (CrisisLevel.ACUTE, CrisisLevel.CONCERN)


async def _transition(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    action: str,
    allowed: Collection[ConversationMode],
    extra_condition: Any = None,
    **values: Any,
) -> Conversation:
    """Move the conversation on if (and only if) its mode is still one of `allowed`."""
    statement = update(Conversation).where(
        Conversation.id == conversation_id, Conversation.mode.in_(list(allowed))
    )
    if extra_condition is not None:
        statement = statement.where(extra_condition)
    result = cast(
        CursorResult[Any],
        await session.execute(
            statement.values(**values), execution_options={"synchronize_session": False}
        ),
    )
    conversation = await session.get(Conversation, conversation_id, populate_existing=True)
    if conversation is None:
        raise ConversationNotFound(str(conversation_id))
    if result.rowcount != 1:
        if action == "take over" and conversation.mode is Mode.WITH_STAFF:
            raise AlreadyClaimed(conversation.claimed_by_staff_id)
        raise IllegalTransition(action, conversation.mode)
    return conversation


async def _say_to_user(
    session: AsyncSession, conversation: Conversation, event: HandoffEvent, key: str, now: datetime
) -> None:
    await add_message(
        session,
        conversation,
        sender=Sender.SYSTEM,
        text=say(conversation.language, key),
        payload={"kind": ReplyKind.HANDOFF.value, "event": event.value},
        now=now,
    )


async def _note_for_staff(
    session: AsyncSession,
    conversation: Conversation,
    event: HandoffEvent,
    now: datetime,
    **details: Any,
) -> None:
    await add_message(
        session,
        conversation,
        sender=Sender.SYSTEM,
        text=_STAFF_LINES[event].format(**_in_norwegian(details)),
        payload={"event": event.value, **details},
        delivery=DeliveryState.INTERNAL,
        now=now,
    )


async def request_person(
    session: AsyncSession, conversation_id: uuid.UUID, *, priority: Priority, now: datetime
) -> Conversation:
    """Queue the conversation for a person; asking again while queued only raises the priority.

    A conversation already with staff stays there; a closed one cannot be queued.
    """
    conversation = await session.get(Conversation, conversation_id)
    if conversation is not None and conversation.mode is Mode.WAITING_FOR_STAFF:
        return await raise_priority(session, conversation, priority, now)
    if conversation is not None and conversation.mode is Mode.WITH_STAFF:
        return conversation
    conversation = await _transition(
        session,
        conversation_id,
        "request a person for",
        {Mode.BOT},
        mode=Mode.WAITING_FOR_STAFF,
        handoff_requested_at=now,
        handoff_priority=priority.value,
        queue_place_told=None,
        last_activity_at=now,
    )
    aggregates.mark_handoff(await aggregates.stat_for(session, conversation))
    await _note_for_staff(
        session, conversation, HandoffEvent.REQUESTED, now, priority=priority.value
    )
    return conversation


async def raise_priority(
    session: AsyncSession, conversation: Conversation, priority: Priority, now: datetime
) -> Conversation:
    """Move a waiting conversation up the queue when something more serious is written."""
    current = Priority(conversation.handoff_priority or Priority.NORMAL)
    if conversation.mode is Mode.WAITING_FOR_STAFF and (
        _PRIORITY_RANK[priority] > _PRIORITY_RANK[current]
    ):
        conversation.handoff_priority = priority.value
        await _note_for_staff(
            session, conversation, HandoffEvent.PRIORITY_RAISED, now, priority=priority.value
        )
    return conversation


async def take_over(
    session: AsyncSession, conversation_id: uuid.UUID, staff_id: int, *, now: datetime
) -> Conversation:
    """Claim a waiting conversation; AlreadyClaimed if a colleague was first."""
    conversation = await _transition(
        session,
        conversation_id,
        "take over",
        {Mode.WAITING_FOR_STAFF},
        mode=Mode.WITH_STAFF,
        claimed_by_staff_id=staff_id,
        claimed_at=now,
        last_activity_at=now,
    )
    if conversation.handoff_requested_at is not None:
        waited = (now - conversation.handoff_requested_at).total_seconds()
        aggregates.mark_waited(await aggregates.stat_for(session, conversation), waited)
    await _say_to_user(session, conversation, HandoffEvent.CLAIMED, "person.staff_joined", now)
    return conversation


async def transfer(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    to_staff_id: int,
    *,
    now: datetime,
    from_staff_id: int | None = None,
) -> Conversation:
    """Give a conversation with staff to a colleague (only its holder may, when given)."""
    condition = None
    if from_staff_id is not None:
        condition = Conversation.claimed_by_staff_id == from_staff_id
    conversation = await _transition(
        session,
        conversation_id,
        "transfer",
        {Mode.WITH_STAFF},
        condition,
        claimed_by_staff_id=to_staff_id,
        claimed_at=now,
        last_activity_at=now,
    )
    await _note_for_staff(session, conversation, HandoffEvent.TRANSFERRED, now)
    return conversation


async def hand_back(
    session: AsyncSession, conversation_id: uuid.UUID, *, now: datetime
) -> Conversation:
    """Give the conversation back to the assistant; the bot answers the next message."""
    conversation = await _transition(
        session,
        conversation_id,
        "hand back",
        {Mode.WITH_STAFF},
        mode=Mode.BOT,
        claimed_by_staff_id=None,
        claimed_at=None,
        handoff_requested_at=None,
        handoff_priority=None,
        last_activity_at=now,
    )
    await _say_to_user(session, conversation, HandoffEvent.HANDED_BACK, "person.handed_back", now)
    return conversation


async def close(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    outcome: Outcome | None,
    service_slug: str | None = None,
    *,
    now: datetime,
    automatic: bool = False,
) -> Conversation:
    """Close with an outcome; the user gets a closing line and an invitation to rate.

    A conversation flagged acute or concern is never closed automatically and never without an
    outcome. Referring to a service needs the service's slug.
    """
    current = await session.get(Conversation, conversation_id)
    if current is None:
        raise ConversationNotFound(str(conversation_id))
    if _is_flagged(current) and (automatic or outcome is None):
        raise OutcomeRequired("a conversation flagged for crisis needs a person and an outcome")
    if outcome is Outcome.REFERRED and not service_slug:
        raise OutcomeRequired("a referral needs the service it refers to")
    conversation = await _transition(
        session,
        conversation_id,
        "close",
        {Mode.BOT, Mode.WAITING_FOR_STAFF, Mode.WITH_STAFF},
        mode=Mode.CLOSED,
        outcome=outcome,
        outcome_service_slug=service_slug if outcome is Outcome.REFERRED else None,
        closed_at=now,
        last_activity_at=now,
    )
    aggregates.mark_outcome(await aggregates.stat_for(session, conversation), outcome)
    await _say_to_user(session, conversation, HandoffEvent.CLOSED, "person.closed_by_staff", now)
    await _invite_rating(session, conversation, now)
    return conversation


async def _invite_rating(session: AsyncSession, conversation: Conversation, now: datetime) -> None:
    invitation = Reply(
        text=say(conversation.language, "person.rating"),
        kind=ReplyKind.HANDOFF,
        quick_replies=tuple(QuickReply(str(n), f"{RATING_PREFIX}{n}") for n in range(1, 6)),
    )
    await add_message(
        session,
        conversation,
        sender=Sender.SYSTEM,
        text=invitation.text,
        payload=reply_payload(invitation, event="rating-invited"),
        now=now,
    )
