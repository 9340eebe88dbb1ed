"""Making a dialogue turn real: store its state and replies, act on its events.

The dialogue is pure; this is where its `Turn` meets the database: the next state and what staff
should see (topics, age, role) go onto the conversation, every reply becomes a pending message,
and events become effects: queue for a person (and tell the user their place), delete the
conversation, count anonymous statistics.
"""

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot import aggregates, handoff
from bot.conversations import add_message, remove_conversation
from bot.dialogue.lookup import DutyStatus
from bot.dialogue.texts import say
from bot.dialogue.turn import Event, EventKind, Priority, Turn
from bot.messages import Reply, ReplyKind
from bot.models import Conversation, ConversationStat, DeliveryState, Message, Sender
from bot.queue import queue_position
from bot.transcript import reply_payload

if TYPE_CHECKING:
    from datetime import datetime

    from bot.inbound import InboundResult


async def apply_turn(
    session: AsyncSession,
    conversation: Conversation,
    turn: Turn,
    duty: DutyStatus,
    now: "datetime",
    result: "InboundResult",
    *,
    delivery: DeliveryState = DeliveryState.PENDING,
) -> None:
    """Store the turn on the conversation and carry out its events; fills `result`.

    Replies are stored `delivery` (delivered when the channel answers in its own response).
    """
    stat = await aggregates.stat_for(session, conversation)
    if turn.has(EventKind.DELETE_CONFIRMED):
        aggregates.mark_deleted_by_user(stat)
        await remove_conversation(session, conversation.id)
        result.deleted, result.conversation_id, result.conversation = True, None, None
        result.replies = list(turn.replies)
        return
    _remember_state(conversation, turn)
    stored = [
        await _store_reply(session, conversation, r, now, result, delivery) for r in turn.replies
    ]
    for event in turn.events:
        stored.extend(
            await _act_on(session, conversation, stat, event, duty, now, result, delivery)
        )
    await session.flush()  # one INSERT batch for every reply
    result.reply_ids = [message.id for message in stored]


def _remember_state(conversation: Conversation, turn: Turn) -> None:
    state = turn.state
    conversation.state = state.to_dict()
    conversation.language = state.language.value
    if state.topics:
        conversation.topics = [name for name, _ in state.topics]
    if state.age is not None:
        conversation.age = state.age
    if state.role is not None:
        conversation.role = state.role.value


async def _store_reply(
    session: AsyncSession,
    conversation: Conversation,
    reply: Reply,
    now: "datetime",
    result: "InboundResult",
    delivery: DeliveryState,
) -> Message:
    message = await add_message(
        session,
        conversation,
        sender=Sender.BOT,
        text=reply.text,
        payload=reply_payload(reply),
        now=now,
        delivery=delivery,
        flush=False,
    )
    result.replies.append(reply)
    return message


async def _act_on(
    session: AsyncSession,
    conversation: Conversation,
    stat: ConversationStat,
    event: Event,
    duty: DutyStatus,
    now: "datetime",
    result: "InboundResult",
    delivery: DeliveryState,
) -> list[Message]:
    """Carry out one event; returns any reply it added (the user's place in the queue)."""
    kind = event.kind
    if kind in (EventKind.HANDOFF_REQUESTED, EventKind.MESSAGE_LEFT_FOR_DUTY):
        priority = event.priority or Priority.NORMAL
        await handoff.request_person(session, conversation.id, priority=priority, now=now)
        if kind is EventKind.HANDOFF_REQUESTED:
            return await _tell_queue_place(session, conversation, duty, now, result, delivery)
    elif kind is EventKind.SERVICES_SUGGESTED:
        aggregates.add_topics(stat, event.topics)
        aggregates.add_suggested(stat, event.slugs)
    elif kind is EventKind.NO_SERVICE_FOUND:
        aggregates.add_topics(stat, event.topics)
        aggregates.add_unmet(stat, event.topics)
    elif kind is EventKind.FEEDBACK_GIVEN and event.helpful is not None:
        aggregates.mark_helpful(stat, event.helpful)
    elif kind is EventKind.LANGUAGE_CHANGED and event.language is not None:
        conversation.language = event.language.value
    return []


async def _tell_queue_place(
    session: AsyncSession,
    conversation: Conversation,
    duty: DutyStatus,
    now: "datetime",
    result: "InboundResult",
    delivery: DeliveryState,
) -> list[Message]:
    place = await queue_position(session, conversation.id, available_staff=duty.available_staff)
    result.queue = place
    if place is None:
        return []
    conversation.queue_place_told = place.position
    text = say(
        conversation.language,
        "person.queue_wait",
        position=place.position,
        minutes=place.estimated_minutes,
    )
    reply = Reply(text=text, kind=ReplyKind.HANDOFF)
    return [await _store_reply(session, conversation, reply, now, result, delivery)]
