"""The handoff state machine: legal and illegal transitions, claims racing, closing rules."""

import asyncio
import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from admin.database import create_session_factory
from bot import handoff
from bot.conversations import transcript
from bot.dialogue.turn import Priority
from bot.handoff import AlreadyClaimed, IllegalTransition, OutcomeRequired
from bot.models import (
    Conversation,
    ConversationMode,
    ConversationStat,
    DeliveryState,
    Outcome,
    Sender,
)
from nlu.interpretation import CrisisLevel
from tests.bot.factories import NOON, minutes, new_conversation, waiting_conversation


async def system_events(session: AsyncSession, conversation_id: uuid.UUID) -> list[str]:
    return [
        (m.payload or {}).get("event", "")
        for m in await transcript(session, conversation_id)
        if m.sender is Sender.SYSTEM
    ]


async def test_full_cycle_writes_every_transition_into_the_transcript(
    session: AsyncSession,
) -> None:
    conversation = await waiting_conversation(session, priority=Priority.NORMAL)
    assert conversation.mode is ConversationMode.WAITING_FOR_STAFF

    await handoff.take_over(session, conversation.id, staff_id=7, now=NOON + minutes(3))
    await handoff.transfer(session, conversation.id, 8, now=NOON + minutes(4), from_staff_id=7)
    back = await handoff.hand_back(session, conversation.id, now=NOON + minutes(5))
    assert back.mode is ConversationMode.BOT and back.claimed_by_staff_id is None

    await handoff.request_person(session, conversation.id, priority=Priority.NORMAL, now=NOON)
    await handoff.take_over(session, conversation.id, staff_id=9, now=NOON + minutes(6))
    closed = await handoff.close(
        session, conversation.id, Outcome.REFERRED, "helsestasjon", now=NOON + minutes(9)
    )
    await session.commit()

    assert closed.mode is ConversationMode.CLOSED
    assert closed.outcome is Outcome.REFERRED and closed.outcome_service_slug == "helsestasjon"
    assert await system_events(session, conversation.id) == [
        "handoff-requested",
        "staff-joined",
        "transferred",
        "handed-back",
        "handoff-requested",
        "staff-joined",
        "closed",
        "rating-invited",
    ]
    messages = await transcript(session, conversation.id)
    to_user = [m.text for m in messages if m.delivery is DeliveryState.PENDING]
    assert "En veileder fra kommunen har kommet inn i samtalen." in to_user
    assert all("prioritet" not in text for text in to_user)  # staff-only lines stay internal
    stat = await session.get(ConversationStat, closed.stat_id)
    assert stat is not None and stat.handoff_requested and stat.waited_seconds == 180
    assert stat.outcome is Outcome.REFERRED


@pytest.mark.parametrize(
    ("action", "mode"),
    [("take_over", "bot"), ("hand_back", "waiting"), ("transfer", "bot"), ("close", "closed")],
)
async def test_illegal_transitions_are_refused_and_change_nothing(
    session: AsyncSession, action: str, mode: str
) -> None:
    if mode == "waiting":
        conversation = await waiting_conversation(session)
    else:
        conversation = await new_conversation(session)
    if mode == "closed":
        await handoff.close(session, conversation.id, Outcome.NO_FURTHER_NEED, now=NOON)
    before = conversation.mode
    calls = {
        "take_over": lambda: handoff.take_over(session, conversation.id, 1, now=NOON),
        "hand_back": lambda: handoff.hand_back(session, conversation.id, now=NOON),
        "transfer": lambda: handoff.transfer(session, conversation.id, 2, now=NOON),
        "close": lambda: handoff.close(session, conversation.id, Outcome.USER_LEFT, now=NOON),
    }
    with pytest.raises(IllegalTransition):
        await calls[action]()
    await session.refresh(conversation)
    assert conversation.mode is before


async def test_only_the_holder_can_transfer_when_asked_to_check(session: AsyncSession) -> None:
    conversation = await waiting_conversation(session)
    await handoff.take_over(session, conversation.id, staff_id=1, now=NOON)
    with pytest.raises(IllegalTransition):
        await handoff.transfer(session, conversation.id, 3, now=NOON, from_staff_id=2)
    await session.refresh(conversation)
    assert conversation.claimed_by_staff_id == 1


async def test_second_claim_in_the_same_session_gets_already_claimed(
    session: AsyncSession,
) -> None:
    conversation = await waiting_conversation(session)
    await handoff.take_over(session, conversation.id, staff_id=1, now=NOON)
    with pytest.raises(AlreadyClaimed) as raised:
        await handoff.take_over(session, conversation.id, staff_id=2, now=NOON)
    assert raised.value.staff_id == 1
    assert "allerede" in str(raised.value)


async def test_two_staff_claiming_at_once_exactly_one_wins(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with factory() as setup:
        # The race is short, so run it on a few conversations.
        ids = [(await waiting_conversation(setup, user=f"u{n}")).id for n in range(4)]
        await setup.commit()

    async def claim(conversation_id: uuid.UUID, staff_id: int) -> int | None:
        async with factory() as session:
            try:
                await handoff.take_over(session, conversation_id, staff_id, now=NOON)
                await session.commit()
            except AlreadyClaimed as lost:
                await session.rollback()
                assert lost.staff_id is not None and lost.staff_id != staff_id
                return None
            return staff_id

    for conversation_id in ids:
        results = await asyncio.gather(claim(conversation_id, 1), claim(conversation_id, 2))
        winners = [staff for staff in results if staff is not None]
        assert len(winners) == 1
        async with factory() as check:
            stored = await check.get(Conversation, conversation_id)
            assert stored is not None and stored.claimed_by_staff_id == winners[0]
            assert (await system_events(check, conversation_id)).count("staff-joined") == 1


@pytest.mark.parametrize("level", [CrisisLevel.ACUTE, CrisisLevel.CONCERN])
async def test_flagged_conversation_needs_an_outcome_and_is_never_closed_automatically(
    session: AsyncSession, level: CrisisLevel
) -> None:
    conversation = await new_conversation(session, crisis=level)
    with pytest.raises(OutcomeRequired):
        await handoff.close(session, conversation.id, None, now=NOON)
    with pytest.raises(OutcomeRequired):
        await handoff.close(session, conversation.id, Outcome.USER_LEFT, now=NOON, automatic=True)
    assert conversation.mode is ConversationMode.BOT
    closed = await handoff.close(session, conversation.id, Outcome.EMERGENCY_CONTACTED, now=NOON)
    assert closed.mode is ConversationMode.CLOSED


async def test_unflagged_conversation_may_close_without_outcome_but_referral_needs_slug(
    session: AsyncSession,
) -> None:
    conversation = await new_conversation(session)
    with pytest.raises(OutcomeRequired):
        await handoff.close(session, conversation.id, Outcome.REFERRED, now=NOON)
    closed = await handoff.close(session, conversation.id, None, now=NOON, automatic=True)
    assert closed.mode is ConversationMode.CLOSED and closed.outcome is None


async def test_asking_again_while_waiting_only_raises_priority(session: AsyncSession) -> None:
    conversation = await waiting_conversation(session, priority=Priority.NORMAL)
    again = await handoff.request_person(
        session, conversation.id, priority=Priority.ACUTE, now=NOON + minutes(2)
    )
    assert again.handoff_priority == Priority.ACUTE
    assert again.handoff_requested_at == NOON  # keeps its place in time
    lower = await handoff.request_person(
        session, conversation.id, priority=Priority.CONCERN, now=NOON + minutes(3)
    )
    assert lower.handoff_priority == Priority.ACUTE
    assert await system_events(session, conversation.id) == [
        "handoff-requested",
        "priority-raised",
    ]
