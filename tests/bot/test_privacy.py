"""Privacy: after a whole Telegram conversation no table holds who the user is, in clear,
and the logs hold none of what they wrote."""

import json
import logging
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import all_metadata, create_session_factory
from bot import handoff
from bot.delivery import Outbox, OutboxItem
from bot.inbound import InboundMessage, handle_message, handle_staff_reply
from bot.models import Channel, Outcome
from bot.pseudonyms import open_address
from tests.bot.factories import NOON, SECRET, minutes
from tests.bot.fakes import deps

TELEGRAM_ID = "5583920147"
FIRST_NAME = "Ingeborg"
USERNAME = "ingeborg_h_2009"
PHONE = "+4791234567"
SAID = [
    "Hei, sønnen min på 13 blir mobbet på skolen",
    "Jeg vil snakke med en person",
    "Han sier han er så lei meg av alt",
    "rating:5",
]


def telegram(text: str) -> InboundMessage:
    # A Telegram update carries name, username and phone too; a channel passes none of them on.
    return InboundMessage(
        channel=Channel.TELEGRAM,
        channel_user_id=TELEGRAM_ID,
        text=text,
        delivery_address=TELEGRAM_ID,
    )


async def every_stored_value(engine: AsyncEngine) -> list[str]:
    values: list[str] = []
    async with engine.connect() as connection:
        for metadata in all_metadata():
            for table in metadata.sorted_tables:
                for row in await connection.execute(select(table)):
                    values.extend(_as_text(value) for value in row)
    return values


def _as_text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


async def test_no_table_holds_the_telegram_identity_in_clear(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    # INFO as in production; DEBUG of aiosqlite logs SQL parameters and must stay off (see README).
    caplog.set_level(logging.INFO)
    factory = create_session_factory(engine)
    sent: list[OutboxItem] = []

    async def failing_then_recording(item: OutboxItem) -> None:
        if not sent and item.attempts == 0:
            sent.append(item)
            raise ConnectionError("Bad Gateway")
        sent.append(item)

    outbox = Outbox(SECRET)
    outbox.register(Channel.TELEGRAM, failing_then_recording)
    async with factory() as session:
        first = await handle_message(session, telegram(SAID[0]), deps())
        await handle_message(session, telegram(SAID[1]), deps(now=NOON + minutes(1)))
        conversation_id = first.conversation_id
        assert conversation_id is not None
        await handoff.take_over(session, conversation_id, 3, now=NOON + minutes(2))
        await handle_message(session, telegram(SAID[2]), deps(now=NOON + minutes(3)))
        await handle_staff_reply(session, conversation_id, 3, "Takk for at du skriver.")
        await handoff.close(session, conversation_id, Outcome.ADVICE_GIVEN, now=NOON + minutes(9))
        await handle_message(session, telegram(SAID[3]), deps(now=NOON + minutes(10)))
        await session.commit()
    await outbox.deliver_due(factory, NOON + minutes(10))
    await outbox.deliver_due(factory, NOON + minutes(20))

    values = await every_stored_value(engine)
    for secret_value in (TELEGRAM_ID, FIRST_NAME, USERNAME, PHONE, PHONE[3:]):
        assert not [value for value in values if secret_value in value], secret_value
    # The chat id is still reachable for delivery: encrypted, opened only with the secret.
    assert {item.address for item in sent} == {TELEGRAM_ID}
    assert any(open_address(SECRET, v) == TELEGRAM_ID for v in values if v.startswith("gAAAA"))

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Bad Gateway" not in logged or "ConnectionError" in logged
    for text in [*SAID[:3], "Takk for at du skriver.", TELEGRAM_ID]:
        assert text not in logged
