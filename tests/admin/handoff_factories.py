"""Plain helpers for the handoff tests: waiting conversations written straight into the bot's
storage (the same functions the dialogue uses), and the web chat user's view of them."""

import secrets
import uuid
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory, unit_of_work
from admin.staff.accounts import find_user, set_availability
from admin.staff.duty import add_exception
from admin.staff.pages import OSLO
from bot import handoff
from bot.conversations import add_message, start_conversation
from bot.delivery import read_for_user
from bot.dialogue.turn import Priority
from bot.models import Channel, DeliveryState, Message, Sender
from bot.pseudonyms import user_key
from nlu.interpretation import CrisisLevel

APP_SECRET = b"dev-secret-not-for-production"  # the test settings' default secret key


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_browser_key() -> str:
    return secrets.token_urlsafe(24)


async def waiting_user(
    engine: AsyncEngine,
    text: str,
    *,
    browser_key: str | None = None,
    priority: Priority = Priority.NORMAL,
    crisis: CrisisLevel = CrisisLevel.NONE,
    waited: timedelta = timedelta(minutes=1),
    topics: tuple[str, ...] = (),
    age: int | None = None,
    role: str | None = None,
    channel: Channel = Channel.WEB,
) -> uuid.UUID:
    """A web chat user who wrote `text` and asked for a person `waited` ago."""
    requested = utc_now() - waited
    key = browser_key or new_browser_key()
    async with unit_of_work(create_session_factory(engine)) as session:
        conversation = await start_conversation(
            session, channel=channel, user_key=user_key(APP_SECRET, channel, key), now=requested
        )
        conversation.crisis_level = crisis
        conversation.topics = list(topics)
        conversation.age = age
        conversation.role = role
        await session.flush()
        await add_message(
            session,
            conversation,
            sender=Sender.USER,
            text=text,
            now=requested,
            delivery=DeliveryState.RECEIVED,
            crisis_level=crisis,
        )
        await handoff.request_person(session, conversation.id, priority=priority, now=requested)
        return conversation.id


async def users_transcript(engine: AsyncEngine, conversation_id: uuid.UUID) -> list[Message]:
    """What the user's channel shows: `bot.delivery.read_for_user`, which the web chat's
    transcript API serves (and which marks pending messages delivered, as the browser would)."""
    async with unit_of_work(create_session_factory(engine)) as session:
        return await read_for_user(session, conversation_id, utc_now())


async def staff_the_duty(engine: AsyncEngine, username: str) -> None:
    """Chat duty open around the clock from yesterday to tomorrow, with `username` available.

    An exception rather than weekly rules, because exceptions also win over public holidays.
    """
    today = utc_now().astimezone(OSLO).date()
    async with unit_of_work(create_session_factory(engine)) as session:
        await add_exception(
            session,
            today - timedelta(days=1),
            today + timedelta(days=1),
            (time(0, 0), time(23, 59, 59)),
            "testvakt",
            actor="system",
        )
        user = await find_user(session, username)
        assert user is not None, username
        await set_availability(session, user, True)
