"""The handoff queue: acute first, then concern, then the longest waiting; places for users."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot import handoff
from bot.conversations import add_message, transcript
from bot.dialogue.turn import Priority
from bot.inbound import handle_message
from bot.models import Sender
from bot.queue import estimate_wait_minutes, queue_position, tell_queue_places, waiting_queue
from tests.bot.factories import NOON, minutes, new_conversation, waiting_conversation
from tests.bot.fakes import deps, web


async def test_queue_orders_acute_then_concern_then_waiting_time(session: AsyncSession) -> None:
    normal_early = await waiting_conversation(session, user="a", requested=NOON)
    concern_late = await waiting_conversation(
        session, user="b", priority=Priority.CONCERN, requested=NOON + minutes(10)
    )
    acute_latest = await waiting_conversation(
        session, user="c", priority=Priority.ACUTE, requested=NOON + minutes(20)
    )
    normal_late = await waiting_conversation(session, user="d", requested=NOON + minutes(5))
    concern_early = await waiting_conversation(
        session, user="e", priority=Priority.CONCERN, requested=NOON + minutes(1)
    )
    await new_conversation(session, user="not-waiting")

    queue = await waiting_queue(session, NOON + minutes(30))

    assert [entry.conversation_id for entry in queue] == [
        acute_latest.id,
        concern_early.id,
        concern_late.id,
        normal_early.id,
        normal_late.id,
    ]
    assert [entry.position for entry in queue] == [1, 2, 3, 4, 5]
    assert queue[0].waiting_seconds == 600 and queue[3].waiting_seconds == 1800


async def test_claimed_conversation_leaves_the_queue_and_the_rest_move_up(
    session: AsyncSession,
) -> None:
    first = await waiting_conversation(session, user="a", requested=NOON)
    second = await waiting_conversation(session, user="b", requested=NOON + minutes(1))
    place = await queue_position(session, second.id)
    assert place is not None and (place.position, place.of) == (2, 2)

    await handoff.take_over(session, first.id, staff_id=1, now=NOON + minutes(2))

    place = await queue_position(session, second.id)
    assert place is not None and (place.position, place.of) == (1, 1)
    assert await queue_position(session, first.id) is None


async def test_priority_raised_while_waiting_moves_to_the_front(session: AsyncSession) -> None:
    await waiting_conversation(session, user="a", requested=NOON)
    later = await waiting_conversation(session, user="b", requested=NOON + minutes(5))
    await handoff.request_person(session, later.id, priority=Priority.ACUTE, now=NOON)
    queue = await waiting_queue(session, NOON + minutes(6))
    assert queue[0].conversation_id == later.id and queue[0].priority is Priority.ACUTE


async def test_entry_summarises_what_the_user_wrote_on_one_line(session: AsyncSession) -> None:
    conversation = await new_conversation(session)
    await add_message(session, conversation, sender=Sender.USER, text="Hei\nsønnen min", now=NOON)
    await add_message(session, conversation, sender=Sender.BOT, text="Hvor gammel?", now=NOON)
    await add_message(session, conversation, sender=Sender.USER, text="x" * 300, now=NOON)
    conversation.topics, conversation.age, conversation.role = ["bullying"], 13, "parent"
    await handoff.request_person(session, conversation.id, priority=Priority.NORMAL, now=NOON)

    (entry,) = await waiting_queue(session, NOON)

    assert entry.summary.startswith("Hei sønnen min / xxx")
    assert "\n" not in entry.summary and len(entry.summary) <= 140
    assert "Hvor gammel" not in entry.summary
    assert (entry.topics, entry.age, entry.role) == (("bullying",), 13, "parent")


def test_wait_estimate_grows_with_place_and_shrinks_with_staff() -> None:
    assert estimate_wait_minutes(1, 1) >= 1
    assert estimate_wait_minutes(3, 1) > estimate_wait_minutes(1, 1)
    assert estimate_wait_minutes(3, 3) < estimate_wait_minutes(3, 1)
    assert estimate_wait_minutes(2, 0) == estimate_wait_minutes(2, 1)


async def test_waiting_users_are_told_when_they_move_up(session: AsyncSession) -> None:
    deps_at = [deps(now=NOON + minutes(n)) for n in range(3)]
    results = [
        await handle_message(session, web("person", user=f"u{n}"), deps_at[n]) for n in range(3)
    ]
    assert [r.queue.position for r in results if r.queue] == [1, 2, 3]
    first_id = results[0].conversation_id
    assert first_id is not None
    await handoff.take_over(session, first_id, staff_id=1, now=NOON + minutes(5))

    assert await tell_queue_places(session, NOON + minutes(5)) == 2
    assert await tell_queue_places(session, NOON + minutes(6)) == 0  # told once per move

    third = await transcript(session, results[2].conversation_id)  # type: ignore[arg-type]
    assert "nummer 2 i køen" in third[-1].text and third[-1].sender is Sender.SYSTEM
