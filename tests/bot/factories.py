"""Plain factories for conversation tests: conversations in a given mode, a fixed clock."""

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import handoff
from bot.conversations import start_conversation
from bot.dialogue.turn import Priority
from bot.models import Channel, Conversation
from bot.pseudonyms import user_key
from nlu.interpretation import CrisisLevel

SECRET = b"test-secret-that-is-long-enough-for-hmac"
NOON = datetime(2025, 3, 12, 11, 0, tzinfo=UTC)  # a Wednesday, 12:00 in Oslo


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


async def new_conversation(
    session: AsyncSession,
    *,
    user: str = "user-1",
    channel: Channel = Channel.WEB,
    now: datetime = NOON,
    crisis: CrisisLevel = CrisisLevel.NONE,
) -> Conversation:
    conversation = await start_conversation(
        session, channel=channel, user_key=user_key(SECRET, channel, user), now=now
    )
    conversation.crisis_level = crisis
    await session.flush()
    return conversation


async def waiting_conversation(
    session: AsyncSession,
    *,
    user: str = "user-1",
    priority: Priority = Priority.NORMAL,
    requested: datetime = NOON,
    crisis: CrisisLevel = CrisisLevel.NONE,
) -> Conversation:
    conversation = await new_conversation(session, user=user, now=requested, crisis=crisis)
    return await handoff.request_person(session, conversation.id, priority=priority, now=requested)


class StepClock:
    """A monotonic clock the test moves by hand (`clock.now += 5`)."""

    def __init__(self, start: float = 100.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now
