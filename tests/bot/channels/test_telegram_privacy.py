"""Privacy on Telegram: after a whole conversation, no name, username or phone number anywhere.

Every column of every table and every captured log record (at DEBUG) are searched for what
Telegram told us about the user; the logs are also searched for what the user wrote.
"""

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import all_metadata
from tests.bot.channels.telegram_setup import KARI, PRIVACY, TEXT_ONLY, telegram_polling, texts
from tests.fakes import telegram_updates as tg
from tests.fakes.bot_api import FakeBotApi

WRITTEN = [
    "Sønnen min på 2 år sover dårlig om natta",
    "Han våkner fem ganger hver natt og gråter",
]
SECRETS = [
    KARI.first_name,
    KARI.last_name,
    KARI.username,
    KARI.phone_number,
    KARI.phone_number.removeprefix("+47"),
]


async def everything_stored(engine: AsyncEngine) -> list[str]:
    """Every value of every row of every table, as text."""
    values: list[str] = []
    async with engine.connect() as connection:
        for metadata in all_metadata():
            for table in metadata.sorted_tables:
                for row in await connection.execute(select(table)):
                    values.extend(str(value) for value in row)
    return values


async def test_no_name_username_or_phone_number_is_stored_or_logged(
    fake: FakeBotApi, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with telegram_polling(fake, engine):
        fake.feed(tg.text(KARI, WRITTEN[0]))
        await fake.until(lambda: PRIVACY in texts(fake.sent_to(KARI.id)), what="the answer")
        fake.feed(tg.contact(KARI))  # shares their own phone number
        await fake.until(lambda: TEXT_ONLY in texts(fake.sent_to(KARI.id)), what="text only")
        fake.feed(tg.button(KARI, "helped:no"))
        fake.feed(tg.text(KARI, WRITTEN[1]))
        await fake.until(lambda: len(fake.sent_to(KARI.id)) >= 7, what="the later answers")
        fake.fail("sendMessage", 500)  # a failed delivery is logged too
        fake.feed(tg.text(KARI, "/person"))
        await fake.until(
            lambda: any("delivery of message" in r.getMessage() for r in caplog.records),
            what="the failed delivery logged",
        )

    stored = await everything_stored(engine)
    assert any(WRITTEN[0] in value for value in stored)  # the search does reach the messages
    for secret in SECRETS[:4]:
        assert not [value for value in stored if secret in value], secret
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Application started" in logged  # the logs were captured at all
    for secret in [*SECRETS, *WRITTEN, "sover dårlig"]:
        assert secret not in logged, secret
