"""The process-wide catalogue snapshot: same answers as the database, and never stale."""

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from admin.database import create_session_factory
from bot.catalogue import CatalogueLookup, cached_catalogue_lookups
from bot.dialogue.lookup import CHILD_HELPLINE, EMERGENCY
from services_catalog.editing import close_temporarily, reopen_service
from services_catalog.seeding import DEMO_MUNICIPALITY, seed_demo
from services_catalog.topics import Topic
from tests.bot.factories import NOON

BULLYING = [(Topic.BULLYING.value, 0.9)]


async def test_cached_lookup_answers_like_the_database(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    await seed_demo(session)
    await session.commit()
    lookups = cached_catalogue_lookups(create_session_factory(engine), DEMO_MUNICIPALITY)
    direct = CatalogueLookup(session, at=NOON, municipality=DEMO_MUNICIPALITY)
    cached = lookups(session, NOON)

    for age, role in [(13, "parent"), (None, None), (16, "youth"), (4, "parent")]:
        assert await cached.find(BULLYING, age, role, "nb") == await direct.find(
            BULLYING, age, role, "nb"
        )
    lines = await cached.get([EMERGENCY, CHILD_HELPLINE, "no-such-service"], "nn")
    assert lines == await direct.get([EMERGENCY, CHILD_HELPLINE, "no-such-service"], "nn")
    assert [line.slug for line in lines] == [EMERGENCY, CHILD_HELPLINE]


async def test_a_staff_edit_reaches_the_next_message(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    await seed_demo(session)
    await session.commit()
    lookups = cached_catalogue_lookups(create_session_factory(engine), DEMO_MUNICIPALITY)
    [first, *_] = await lookups(session, NOON).find(BULLYING, 13, "parent", "nb")

    await close_temporarily(session, first.slug, "Stengt i dag.", changed_by="test")
    await session.commit()
    closed = await lookups(session, NOON).find(BULLYING, 13, "parent", "nb")

    await reopen_service(session, first.slug, changed_by="test")
    await session.commit()
    reopened = await lookups(session, NOON).find(BULLYING, 13, "parent", "nb")

    assert closed[0].slug != first.slug  # temporarily closed services come last
    assert [m.status_message for m in closed if m.slug == first.slug] in ([], ["Stengt i dag."])
    assert reopened[0].slug == first.slug
