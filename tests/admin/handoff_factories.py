"""Plain helpers for the handoff tests: waiting conversations written straight into the bot's
storage (the same functions the dialogue uses), and the web chat user's view of them."""

import secrets
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory, unit_of_work
from bot import handoff
from bot.conversations import add_message, start_conversation
from bot.dialogue.turn import Priority
from bot.models import Channel, DeliveryState, Sender
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


def bearer(browser_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {browser_key}"}


async def users_transcript(client: httpx.AsyncClient, browser_key: str) -> list[dict[str, object]]:
    """What the web chat shows the user: every message of their conversation."""
    response = await client.get("/api/chat/conversation", headers=bearer(browser_key))
    assert response.status_code == 200, response.text
    messages: list[dict[str, object]] = response.json()["messages"]
    return messages
