"""Telegram end to end: the real python-telegram-bot Application polling a fake Bot API server."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory
from bot.channels.telegram_application import TelegramApp
from bot.conversations import add_message, find_open, transcript
from bot.models import Channel, DeliveryState, Message, Sender
from bot.pseudonyms import user_key
from tests.bot.channels.telegram_setup import (
    KARI,
    OLA,
    PRIVACY,
    TEXT_ONLY,
    TOO_FAST,
    buttons,
    delivery_of,
    texts,
)
from tests.bot.factories import SECRET
from tests.fakes import telegram_updates as tg
from tests.fakes.bot_api import FakeBotApi

SLEEP = "Sønnen min på 2 år sover dårlig om natta"


def said_to(fake: FakeBotApi, user_id: int) -> list[str]:
    return texts(fake.sent_to(user_id))


async def test_a_question_about_sleep_gets_a_service_card_buttons_and_the_privacy_note(
    fake: FakeBotApi, telegram: TelegramApp
) -> None:
    fake.feed(tg.text(KARI, SLEEP))
    await fake.until(lambda: PRIVACY in said_to(fake, KARI.id), what="the privacy note")

    sent = fake.sent_to(KARI.id)
    assert sent[0]["text"].startswith("Hei!")
    card = next(call for call in sent if "<b>Hjelp Small Children</b>" in call["text"])
    assert "📞 Ring: 11611" in card["text"] and card["parse_mode"] == "HTML"
    asked = next(call for call in sent if buttons(call))
    assert asked["text"] == "Hjalp dette?"
    assert buttons(asked) == [
        ("Ja", "helped:yes"),
        ("Nei", "helped:no"),
        ("Snakk med en person", "/person"),
    ]
    assert texts(sent)[-1] == PRIVACY

    fake.feed(tg.text(KARI, "/start"))
    await fake.until(lambda: len(fake.sent_to(KARI.id)) > len(sent), what="a second answer")
    assert said_to(fake, KARI.id).count(PRIVACY) == 1  # told once, not on every message


async def test_a_crisis_is_answered_with_the_emergency_line_first(
    fake: FakeBotApi, telegram: TelegramApp
) -> None:
    fake.feed(tg.text(OLA, "Jeg orker ikke mer, tenker på selvmord"))
    await fake.until(lambda: PRIVACY in said_to(fake, OLA.id), what="the answer")

    first = said_to(fake, OLA.id)[0]
    assert first.startswith("Det du skriver, høres alvorlig ut")
    assert first.index("<b>Nodnummer</b>") < first.index("<b>Mental Helse Hjelpetelefon</b>")
    assert buttons(fake.sent_to(OLA.id)[1]) == [("Snakk med en person", "/person")]


@pytest.mark.parametrize(
    "update",
    [tg.sticker, tg.photo, tg.voice, tg.location, tg.contact],
    ids=["sticker", "photo", "voice", "location", "contact"],
)
async def test_anything_but_text_gets_a_polite_text_only_answer(
    fake: FakeBotApi, telegram: TelegramApp, engine: AsyncEngine, update: object
) -> None:
    fake.feed(update(KARI))  # type: ignore[operator]
    await fake.until(lambda: said_to(fake, KARI.id) == [TEXT_ONLY], what="text only")

    async with create_session_factory(engine)() as session:  # nothing stored for it
        assert await find_open(session, Channel.TELEGRAM, kari_key()) is None


async def test_an_edited_message_is_not_read_again(fake: FakeBotApi, telegram: TelegramApp) -> None:
    fake.feed(tg.edited(KARI, "Jeg mente noe annet"))
    await fake.until(lambda: said_to(fake, KARI.id) == [TEXT_ONLY], what="text only")


async def test_a_tapped_button_answers_its_payload_and_removes_the_keyboard(
    fake: FakeBotApi, telegram: TelegramApp
) -> None:
    fake.feed(tg.text(KARI, SLEEP))
    await fake.until(lambda: PRIVACY in said_to(fake, KARI.id), what="the first answer")
    before = len(fake.sent_to(KARI.id))

    fake.feed(tg.button(KARI, "helped:no", message_id=1002))
    await fake.until(lambda: len(fake.sent_to(KARI.id)) > before, what="the answer to the tap")

    assert len(fake.calls_to("answerCallbackQuery")) == 1
    assert fake.calls_to("editMessageReplyMarkup") == [{"chat_id": KARI.id, "message_id": 1002}]
    answer = fake.sent_to(KARI.id)[before]
    assert answer["text"].startswith("Så synd.")
    assert ("Snakk med en person", "/person") in buttons(answer)


async def test_a_flood_from_one_user_does_not_starve_another(
    fake: FakeBotApi, telegram: TelegramApp, engine: AsyncEngine
) -> None:
    for n in range(50):
        fake.feed(tg.text(KARI, f"hei {n}"))
    fake.feed(tg.text(OLA, SLEEP))

    await fake.until(lambda: PRIVACY in said_to(fake, OLA.id), seconds=15, what="Ola's answer")
    await fake.until(lambda: TOO_FAST in said_to(fake, KARI.id), what="the notice")
    assert said_to(fake, KARI.id).count(TOO_FAST) == 1
    async with create_session_factory(engine)() as session:
        kari = await find_open(session, Channel.TELEGRAM, kari_key())
        assert kari is not None
        stored = [m for m in await transcript(session, kari.id) if m.sender is Sender.USER]
    assert 1 <= len(stored) <= 8  # the burst allowance, not fifty


async def test_a_crisis_gets_through_even_in_a_flood(
    fake: FakeBotApi, telegram: TelegramApp
) -> None:
    for n in range(20):
        fake.feed(tg.text(KARI, f"hei {n}"))
    fake.feed(tg.text(KARI, "nå vil jeg ta selvmord"))

    await fake.until(
        lambda: any(
            t.startswith("Det du skriver, høres alvorlig ut") for t in said_to(fake, KARI.id)
        ),
        seconds=15,
        what="the crisis answer",
    )


async def test_a_staff_reply_reaches_the_user(
    fake: FakeBotApi, telegram: TelegramApp, engine: AsyncEngine
) -> None:
    await start_conversation(fake)
    message_id = await write_staff_reply(engine, "Hei, jeg heter Siri og er på chatvakt.")
    delivery_of(telegram).wake()

    await fake.until(
        lambda: "Hei, jeg heter Siri og er på chatvakt." in said_to(fake, KARI.id),
        what="the staff reply",
    )
    delivered = await stored(engine, message_id, lambda m: m.delivery != DeliveryState.PENDING)
    assert delivered.delivery is DeliveryState.DELIVERED


@pytest.mark.parametrize(("status", "error"), [(500, "Internal Server Error"), (429, "RetryAfter")])
async def test_a_failed_delivery_stays_pending_with_its_error_and_is_retried(
    fake: FakeBotApi, telegram: TelegramApp, engine: AsyncEngine, status: int, error: str
) -> None:
    await start_conversation(fake)
    delivery = delivery_of(telegram)
    fake.fail("sendMessage", status)
    message_id = await write_staff_reply(engine, "Er du der fortsatt?")
    delivery.wake()

    failed = await stored(engine, message_id, lambda m: m.attempts >= 1)
    assert failed.delivery is DeliveryState.PENDING  # visible to staff, with the reason
    assert error in (failed.last_error or "")
    assert "Er du der fortsatt?" not in said_to(fake, KARI.id)

    later = datetime.now(UTC) + timedelta(minutes=1)
    delivery.clock = lambda: later  # the back-off has passed
    delivery.wake()
    await fake.until(lambda: "Er du der fortsatt?" in said_to(fake, KARI.id), what="the retry")
    delivered = await stored(engine, message_id, lambda m: m.delivery != DeliveryState.PENDING)
    assert delivered.delivery is DeliveryState.DELIVERED


# --- helpers ---------------------------------------------------------------------------------


def kari_key() -> str:
    return user_key(SECRET, Channel.TELEGRAM, str(KARI.id))


async def start_conversation(fake: FakeBotApi) -> None:
    fake.feed(tg.text(KARI, SLEEP))
    await fake.until(lambda: PRIVACY in said_to(fake, KARI.id), what="the first answer")


async def write_staff_reply(engine: AsyncEngine, text: str) -> int:
    """A staff reply stored the way the admin app stores it: pending, before any sending."""
    async with create_session_factory(engine)() as session:
        conversation = await find_open(session, Channel.TELEGRAM, kari_key())
        assert conversation is not None
        message = await add_message(
            session, conversation, sender=Sender.STAFF, staff_id=1, text=text,
            now=datetime.now(UTC),
        )  # fmt: skip
        await session.commit()
        return message.id


async def stored(
    engine: AsyncEngine, message_id: int, condition: Callable[[Message], bool] = bool
) -> Message:
    """The stored message, once `condition` holds for it (waits up to ten seconds)."""
    for _ in range(500):
        async with create_session_factory(engine)() as session:
            message = await session.scalar(select(Message).where(Message.id == message_id))
        assert message is not None
        if condition(message):
            return message
        await asyncio.sleep(0.02)
    raise AssertionError(f"message {message_id} never reached the expected state")
