"""The process-wide catalogue snapshot: same answers as the database, and never stale."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from admin.database import create_engine, create_session_factory
from bot.catalogue import CatalogueCache, CatalogueLookup, cached_catalogue_lookups
from bot.dialogue.lookup import CHILD_HELPLINE, EMERGENCY
from services_catalog.editing import close_temporarily, reopen_service
from services_catalog.matching import CatalogueSnapshot
from services_catalog.seeding import DEMO_MUNICIPALITY, seed_demo
from services_catalog.topics import Topic
from tests.bot.factories import NOON, StepClock

BULLYING = [(Topic.BULLYING.value, 0.9)]


async def test_cached_lookup_answers_like_the_database(session: AsyncSession) -> None:
    await seed_demo(session)
    await session.commit()
    lookups = cached_catalogue_lookups(DEMO_MUNICIPALITY)
    direct = CatalogueLookup(session, at=NOON, municipality=DEMO_MUNICIPALITY)
    cached = lookups(session, NOON)

    for age, role in [(13, "parent"), (None, None), (16, "youth"), (4, "parent")]:
        assert await cached.find(BULLYING, age, role, "nb") == await direct.find(
            BULLYING, age, role, "nb"
        )
    lines = await cached.get([EMERGENCY, CHILD_HELPLINE, "no-such-service"], "nn")
    assert lines == await direct.get([EMERGENCY, CHILD_HELPLINE, "no-such-service"], "nn")
    assert [line.slug for line in lines] == [EMERGENCY, CHILD_HELPLINE]


async def test_a_staff_edit_reaches_the_next_message(session: AsyncSession) -> None:
    await seed_demo(session)
    await session.commit()
    lookups = cached_catalogue_lookups(DEMO_MUNICIPALITY)
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


async def test_loading_needs_no_second_connection(db_url: str, session: AsyncSession) -> None:
    """Messages waiting for the load hold pooled connections; the load must not need one."""
    await seed_demo(session)
    await session.commit()
    engine = create_engine(db_url, pool_size=1, max_overflow=0, pool_timeout=2)
    try:
        async with create_session_factory(engine)() as only:
            await only.execute(select(1))  # this message holds the pool's one connection
            lookups = cached_catalogue_lookups(DEMO_MUNICIPALITY)
            found = await lookups(only, NOON).find(BULLYING, 13, "parent", "nb")
            await only.rollback()  # a failed message: the shared snapshot must stay readable
            again = await lookups(only, NOON).find(BULLYING, 13, "parent", "nb")
        assert found and again == found
    finally:
        await engine.dispose()


async def test_an_edit_by_another_process_is_seen_within_the_max_age(
    session: AsyncSession,
) -> None:
    """A CLI import in a shell: no commit of this process tells the cache; the max age does."""
    await seed_demo(session)
    await session.commit()
    clock = StepClock()
    cache = CatalogueCache(max_age_seconds=10, clock=clock)
    [first, *_] = (await cache.current(session)).find(
        BULLYING, age=13, role="parent", at=NOON, municipality=DEMO_MUNICIPALITY
    )

    await session.execute(
        text("UPDATE service SET status = 'temporarily_closed', updated_at = :now WHERE slug = :s"),
        {"now": datetime(2030, 1, 1, tzinfo=UTC), "s": first.slug},
    )
    await session.commit()
    clock.now += 9

    assert _best(await cache.current(session)) == first.slug  # the kept copy, for a while
    clock.now += 1
    assert _best(await cache.current(session)) != first.slug  # closed services come last


def _best(snapshot: CatalogueSnapshot) -> str:
    found = snapshot.find(BULLYING, age=13, role="parent", at=NOON, municipality=DEMO_MUNICIPALITY)
    return found[0].slug


async def test_when_the_catalogue_cannot_be_read_the_last_one_read_still_answers(
    session: AsyncSession, tmp_path: Path
) -> None:
    """A database hiccup must not take the help lines away from someone in crisis."""
    await seed_demo(session)
    await session.commit()
    clock = StepClock()
    cache = CatalogueCache(max_age_seconds=10, clock=clock)
    before = _best(await cache.current(session))
    broken = create_engine(f"sqlite+aiosqlite:///{tmp_path}/empty.sqlite3")  # no tables at all
    try:
        async with create_session_factory(broken)() as failing:
            clock.now += 60  # stale: the next message checks the version, which fails
            assert _best(await cache.current(failing)) == before
            with pytest.raises(SQLAlchemyError):
                await CatalogueCache().current(failing)  # nothing read yet: nothing to offer
    finally:
        await broken.dispose()
