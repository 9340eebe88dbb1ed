"""The outbox: stored messages waiting to reach the user, and how each channel gets them there.

Every bot, staff and system message is stored as `pending` before anything is sent. Channels
that push (Telegram) register a sender; `Outbox.deliver_due` hands each due message to it and
marks it delivered, or records the error and retries with back-off until it gives up (`failed`,
visible to staff with the error). Channels that pull (the web chat polls or streams the
transcript) mark messages delivered when the browser fetches them (`read_for_user`).
"""

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.messages import Reply
from bot.models import Channel, Conversation, DeliveryState, Message, Sender
from bot.pseudonyms import AddressUnreadable, open_address
from bot.transcript import reply_of

log = logging.getLogger(__name__)

# Wait before attempt 2, 3, …; after the last one the message is marked failed.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A message being sent is leased so a second worker does not send it too.
LEASE = timedelta(seconds=60)
MAX_ERROR_CHARS = 500


class PermanentFailure(Exception):
    """Raised by a sender when retrying cannot help (the user blocked the bot, chat gone)."""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One message to send, with the channel address opened for the sender only."""

    message_id: int
    conversation_id: uuid.UUID
    channel: Channel
    address: str | None  # Telegram's chat id; None for channels without one
    sender: Sender
    reply: Reply
    attempts: int  # attempts before this one


ChannelSender = Callable[[OutboxItem], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


async def due_messages(
    session: AsyncSession, channel: Channel, now: datetime, *, limit: int = 50
) -> list[tuple[Message, Conversation]]:
    """Pending messages of a channel whose next attempt is due, oldest first."""
    result = await session.execute(
        select(Message, Conversation)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(
            Conversation.channel == channel,
            Message.delivery == DeliveryState.PENDING,
            or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now),
        )
        .order_by(Message.id)
        .limit(limit)
    )
    return [(message, conversation) for message, conversation in result.all()]


async def lease(session: AsyncSession, message_id: int, now: datetime) -> bool:
    """Reserve a due message for sending; False if another worker has it or it is done."""
    result = cast(
        CursorResult[Any],
        await session.execute(
            update(Message)
            .where(
                Message.id == message_id,
                Message.delivery == DeliveryState.PENDING,
                or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now),
            )
            .values(next_attempt_at=now + LEASE),
            execution_options={"synchronize_session": False},
        ),
    )
    return result.rowcount == 1


async def mark_delivered(session: AsyncSession, message_id: int, now: datetime) -> None:
    await session.execute(
        update(Message)
        .where(Message.id == message_id, Message.delivery != DeliveryState.DELIVERED)
        .values(
            delivery=DeliveryState.DELIVERED,
            delivered_at=now,
            next_attempt_at=None,
            attempts=Message.attempts + 1,
        ),
        execution_options={"synchronize_session": False},
    )


async def mark_failed(
    session: AsyncSession, message_id: int, error: str, now: datetime, *, permanent: bool = False
) -> DeliveryState:
    """Count a failed attempt; schedule a retry, or give up after the last one."""
    message = await session.get(Message, message_id, populate_existing=True)
    if message is None:
        return DeliveryState.FAILED  # deleted meanwhile (/slett): nothing left to deliver
    message.attempts += 1
    message.last_error = error[:MAX_ERROR_CHARS]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.delivery = DeliveryState.FAILED
        message.next_attempt_at = None
    else:
        message.delivery = DeliveryState.PENDING
        message.next_attempt_at = now + RETRY_DELAYS[message.attempts - 1]
    await session.flush()
    return message.delivery


async def retry_now(session: AsyncSession, message_id: int) -> None:
    """Staff asked to try a failed message again: pending, due at once, attempts kept."""
    await session.execute(
        update(Message)
        .where(Message.id == message_id, Message.delivery == DeliveryState.FAILED)
        .values(delivery=DeliveryState.PENDING, next_attempt_at=None),
        execution_options={"synchronize_session": False},
    )


async def read_for_user(
    session: AsyncSession, conversation_id: uuid.UUID, now: datetime, *, after_id: int = 0
) -> list[Message]:
    """What the user sees after `after_id` (for pull channels); pending ones become delivered."""
    result = await session.execute(
        select(Message)
        .where(
            Message.conversation_id == conversation_id,
            Message.id > after_id,
            Message.delivery != DeliveryState.INTERNAL,
        )
        .order_by(Message.id)
    )
    messages = list(result.scalars())
    for message in messages:
        if message.delivery in (DeliveryState.PENDING, DeliveryState.FAILED):
            message.delivery = DeliveryState.DELIVERED
            message.delivered_at = now
            message.next_attempt_at = None
            message.attempts += 1
    await session.flush()
    return messages


class Outbox:
    """Push delivery: one registered sender per channel, called for every due message."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._senders: dict[Channel, ChannelSender] = {}

    def register(self, channel: Channel, sender: ChannelSender) -> None:
        self._senders[channel] = sender

    @property
    def channels(self) -> tuple[Channel, ...]:
        return tuple(self._senders)

    async def deliver_due(
        self,
        factory: async_sessionmaker[AsyncSession],
        now: datetime,
        *,
        limit: int = 50,
    ) -> DeliveryReport:
        """Send what is due on every registered channel, one short transaction per message.

        The network call happens outside any transaction, so a slow channel never holds a
        database lock; a crash mid-way leaves the message pending (it may be sent twice, never
        lost).
        """
        report = DeliveryReport()
        for channel, sender in self._senders.items():
            async with factory() as session:
                due = await due_messages(session, channel, now, limit=limit)
                items = [self._item(message, conversation) for message, conversation in due]
            for item in items:
                report = _add(report, await self._deliver_one(factory, sender, item, now))
        return report

    def _item(self, message: Message, conversation: Conversation) -> OutboxItem:
        address = None
        if conversation.delivery_address:
            try:
                address = open_address(self._secret, conversation.delivery_address)
            except AddressUnreadable:
                address = None  # the sender will fail it; the error is recorded
        return OutboxItem(
            message_id=message.id,
            conversation_id=conversation.id,
            channel=conversation.channel,
            address=address,
            sender=message.sender,
            reply=reply_of(message),
            attempts=message.attempts,
        )

    async def _deliver_one(
        self,
        factory: async_sessionmaker[AsyncSession],
        sender: ChannelSender,
        item: OutboxItem,
        now: datetime,
    ) -> DeliveryState:
        async with factory() as session:
            leased = await lease(session, item.message_id, now)
            await session.commit()
        if not leased:
            return DeliveryState.INTERNAL  # someone else has it; counted as nothing
        try:
            await sender(item)
        except Exception as error:  # any channel error: record it, never lose the message
            permanent = isinstance(error, PermanentFailure)
            log.warning(
                "delivery of message %s on %s failed: %s",
                item.message_id,
                item.channel.value,
                type(error).__name__,
            )
            async with factory() as session:
                state = await mark_failed(
                    session, item.message_id, _describe(error), now, permanent=permanent
                )
                await session.commit()
            return state
        async with factory() as session:
            await mark_delivered(session, item.message_id, now)
            await session.commit()
        return DeliveryState.DELIVERED


def _describe(error: Exception) -> str:
    # The type and the channel's own words; senders must not put message text in errors.
    detail = str(error).strip()
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def _add(report: DeliveryReport, state: DeliveryState) -> DeliveryReport:
    return DeliveryReport(
        delivered=report.delivered + (state is DeliveryState.DELIVERED),
        retrying=report.retrying + (state is DeliveryState.PENDING),
        failed=report.failed + (state is DeliveryState.FAILED),
    )
