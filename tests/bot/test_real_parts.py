"""The inbound use case with the real NLU engine and the seeded demo catalogue."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import handoff
from bot.catalogue import CatalogueLookup, cached_catalogue_lookups
from bot.conversations import get_conversation, transcript
from bot.dialogue.lookup import CHILD_HELPLINE, EMERGENCY, DutyStatus
from bot.inbound import InboundDeps, handle_message
from bot.models import ConversationMode, ConversationStat, Sender
from nlu.embedded import EmbeddedEngine
from nlu.interpretation import CrisisLevel
from services_catalog.seeding import DEMO_MUNICIPALITY, seed_demo
from services_catalog.topics import Topic
from tests.bot.factories import NOON, SECRET, minutes
from tests.bot.fakes import web

STAFFED = DutyStatus(staffed_now=True, available_staff=2)


def real_deps(
    nlu: EmbeddedEngine, *, now: datetime = NOON, duty: DutyStatus = STAFFED
) -> InboundDeps:
    return InboundDeps(
        nlu=nlu,
        services=cached_catalogue_lookups(DEMO_MUNICIPALITY),
        duty_status=lambda _session, _now: duty,
        secret=SECRET,
        clock=lambda: now,
    )


async def test_catalogue_lookup_finds_services_and_lines_by_slug(session: AsyncSession) -> None:
    await seed_demo(session)
    lookup = CatalogueLookup(session, at=NOON, municipality=DEMO_MUNICIPALITY)

    found = await lookup.find([(Topic.BULLYING.value, 0.9)], 13, "parent", "nb")
    lines = await lookup.get([EMERGENCY, CHILD_HELPLINE, "no-such-service"], "nb")

    assert 0 < len(found) <= 3 and all(Topic.BULLYING.value in m.topics for m in found)
    assert [m.slug for m in lines] == [EMERGENCY, CHILD_HELPLINE]


async def test_a_need_gets_catalogue_services_and_counts_in_statistics(
    session: AsyncSession, embedded_nlu: EmbeddedEngine
) -> None:
    await seed_demo(session)
    deps = real_deps(embedded_nlu)

    result = await handle_message(session, web("Sønnen min på 13 blir mobbet på skolen"), deps)
    await session.commit()

    cards = [card for reply in result.replies for card in reply.cards]
    assert cards and not result.failed
    conversation = await get_conversation(session, result.conversation_id)  # type: ignore[arg-type]
    assert conversation.topics[0] == "bullying" and conversation.age == 13
    stat = await session.scalar(select(ConversationStat))
    assert stat is not None and stat.topic == "bullying"
    assert set(stat.services_suggested) == {card.slug for card in cards}


async def test_acute_crisis_answers_with_the_emergency_line_first(
    session: AsyncSession, embedded_nlu: EmbeddedEngine
) -> None:
    await seed_demo(session)

    result = await handle_message(session, web("jeg vil ta livet mitt"), real_deps(embedded_nlu))

    assert result.crisis_level is CrisisLevel.ACUTE
    assert "113" in result.replies[0].text or any(
        "113" in action.display for card in result.replies[0].cards for action in card.actions
    )


async def test_an_idiom_is_not_a_crisis(
    session: AsyncSession, embedded_nlu: EmbeddedEngine
) -> None:
    await seed_demo(session)
    result = await handle_message(session, web("jeg døde av latter"), real_deps(embedded_nlu))
    conversation = await get_conversation(session, result.conversation_id)  # type: ignore[arg-type]
    assert result.crisis_level is CrisisLevel.NONE and not conversation.crisis_unseen


async def test_crisis_with_staff_is_flagged_by_the_real_engine_and_the_bot_is_silent(
    session: AsyncSession, embedded_nlu: EmbeddedEngine
) -> None:
    await seed_demo(session)
    deps = real_deps(embedded_nlu)
    asked = await handle_message(session, web("Jeg vil snakke med en person"), deps)
    assert asked.mode is ConversationMode.WAITING_FOR_STAFF
    assert asked.queue is not None and asked.queue.position == 1
    conversation_id = asked.conversation_id
    assert conversation_id is not None
    await handoff.take_over(session, conversation_id, 2, now=NOON + minutes(1))

    result = await handle_message(
        session, web("jeg orker ikke mer, vil ta livet mitt"), real_deps(embedded_nlu)
    )

    assert result.replies == []
    conversation = await get_conversation(session, conversation_id)
    assert conversation.crisis_level is CrisisLevel.ACUTE and conversation.crisis_unseen
    last = (await transcript(session, conversation_id))[-1]
    assert last.sender is Sender.USER and last.crisis_level is CrisisLevel.ACUTE
