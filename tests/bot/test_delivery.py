"""The outbox: push delivery with retries and back-off, failures kept visible, pull delivery."""

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from admin.database import create_session_factory
from bot import handoff
from bot.delivery import (
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    Outbox,
    OutboxItem,
    PermanentFailure,
    read_for_user,
    retry_now,
)
from bot.inbound import handle_message, handle_staff_reply
from bot.models import Channel, DeliveryState, Message, Sender
from tests.bot.factories import NOON, SECRET, minutes
from tests.bot.fakes import deps, telegram, web


class RecordingSender:
    def __init__(self, failures: int = 0, error: Exception | None = None) -> None:
        self.sent: list[OutboxItem] = []
        self.failures = failures
        self.error = error or ConnectionError("Telegram answered 502")

    async def __call__(self, item: OutboxItem) -> None:
        if self.failures:
            self.failures -= 1
            raise self.error
        await asyncio.sleep(0)
        self.sent.append(item)


async def telegram_conversation_with_staff_reply(
    factory: async_sessionmaker[AsyncSession],
) -> int:
    """A Telegram user with staff; returns the id of the staff reply (pending)."""
    async with factory() as session:
        first = await handle_message(session, telegram("person"), deps())
        assert first.conversation_id is not None
        await handoff.take_over(session, first.conversation_id, staff_id=4, now=NOON)
        reply = await handle_staff_reply(
            session, first.conversation_id, 4, "Hei, jeg er her.", now=NOON
        )
        # Everything before the staff reply was delivered already.
        for message in await session.scalars(select(Message).where(Message.id < reply.id)):
            if message.delivery is DeliveryState.PENDING:
                message.delivery = DeliveryState.DELIVERED
        await session.commit()
        return reply.id


async def stored(factory: async_sessionmaker[AsyncSession], message_id: int) -> Message:
    async with factory() as session:
        message = await session.get(Message, message_id)
        assert message is not None
        return message


async def test_sender_gets_the_reply_and_the_opened_chat_id(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with factory() as session:
        await handle_message(session, telegram("Sønnen min blir mobbet"), deps())
        await session.commit()
    outbox, sender = Outbox(SECRET), RecordingSender()
    outbox.register(Channel.TELEGRAM, sender)

    report = await outbox.deliver_due(factory, NOON)

    assert report.delivered == len(sender.sent) > 0 and report.failed == 0
    assert {item.address for item in sender.sent} == {"987654321"}
    assert any(item.reply.cards for item in sender.sent)
    assert (await outbox.deliver_due(factory, NOON)).delivered == 0  # nothing sent twice


async def test_failed_staff_reply_stays_pending_with_the_error_and_is_retried(
    engine: AsyncEngine,
) -> None:
    factory = create_session_factory(engine)
    reply_id = await telegram_conversation_with_staff_reply(factory)
    outbox, sender = Outbox(SECRET), RecordingSender(failures=1)
    outbox.register(Channel.TELEGRAM, sender)

    first = await outbox.deliver_due(factory, NOON)

    assert first.retrying == 1 and sender.sent == []
    message = await stored(factory, reply_id)
    assert message.delivery is DeliveryState.PENDING and message.attempts == 1
    assert message.last_error == "ConnectionError: Telegram answered 502"
    assert message.next_attempt_at == NOON + RETRY_DELAYS[0]
    assert (await outbox.deliver_due(factory, NOON + RETRY_DELAYS[0] / 2)).retrying == 0

    second = await outbox.deliver_due(factory, NOON + RETRY_DELAYS[0])

    assert second.delivered == 1 and sender.sent[0].reply.text == "Hei, jeg er her."
    assert sender.sent[0].sender is Sender.STAFF
    assert (await stored(factory, reply_id)).delivery is DeliveryState.DELIVERED


async def test_delivery_gives_up_after_the_last_attempt_and_staff_can_retry(
    engine: AsyncEngine,
) -> None:
    factory = create_session_factory(engine)
    reply_id = await telegram_conversation_with_staff_reply(factory)
    outbox = Outbox(SECRET)
    outbox.register(Channel.TELEGRAM, RecordingSender(failures=MAX_ATTEMPTS))

    moment = NOON
    for _ in range(MAX_ATTEMPTS):
        await outbox.deliver_due(factory, moment)
        moment += minutes(60)

    message = await stored(factory, reply_id)
    assert message.delivery is DeliveryState.FAILED and message.attempts == MAX_ATTEMPTS
    assert message.last_error and "502" in message.last_error
    async with factory() as session:
        await retry_now(session, reply_id)
        await session.commit()
    assert (await stored(factory, reply_id)).delivery is DeliveryState.PENDING


async def test_permanent_failure_is_not_retried(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    reply_id = await telegram_conversation_with_staff_reply(factory)
    outbox = Outbox(SECRET)
    outbox.register(
        Channel.TELEGRAM, RecordingSender(failures=1, error=PermanentFailure("bot was blocked"))
    )

    report = await outbox.deliver_due(factory, NOON)

    assert report.failed == 1
    message = await stored(factory, reply_id)
    assert message.delivery is DeliveryState.FAILED and message.attempts == 1


async def test_two_workers_send_each_message_once(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with factory() as session:
        await handle_message(session, telegram("Sønnen min blir mobbet"), deps())
        await session.commit()
    sender = RecordingSender()
    first, second = Outbox(SECRET), Outbox(SECRET)
    first.register(Channel.TELEGRAM, sender)
    second.register(Channel.TELEGRAM, sender)

    await asyncio.gather(first.deliver_due(factory, NOON), second.deliver_due(factory, NOON))

    ids = [item.message_id for item in sender.sent]
    assert ids and len(ids) == len(set(ids))


async def test_web_chat_marks_messages_delivered_when_fetched(session: AsyncSession) -> None:
    first = await handle_message(session, web("person"), deps())
    conversation_id = first.conversation_id
    assert conversation_id is not None

    fetched = await read_for_user(session, conversation_id, NOON)

    assert fetched[0].sender is Sender.USER
    assert all(m.delivery is not DeliveryState.INTERNAL for m in fetched)
    assert all(m.delivery is DeliveryState.DELIVERED for m in fetched if m.sender is Sender.BOT)
    all_rows = await session.scalars(
        select(Message).where(Message.conversation_id == conversation_id)
    )
    internal = [m for m in all_rows if m.delivery is DeliveryState.INTERNAL]
    assert internal  # the staff-only line about the request exists, but the user never got it
    last = fetched[-1].id
    assert await read_for_user(session, conversation_id, NOON, after_id=last) == []
