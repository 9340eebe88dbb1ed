"""A per-process copy of some tables goes stale when this process commits a change to them."""

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.freshness import Freshness
from services_catalog.models import Service
from services_catalog.seeding import seed_demo
from tests.bot.factories import StepClock


async def test_a_committed_change_to_a_watched_table_makes_the_copy_stale(
    session: AsyncSession,
) -> None:
    await seed_demo(session)
    await session.commit()
    freshness = Freshness(["service"], max_age_seconds=3600)
    stamp = freshness.stamp()
    assert freshness.is_fresh(stamp)

    service = (await session.execute(text("SELECT slug FROM service LIMIT 1"))).scalar_one()
    await session.execute(
        update(Service).where(Service.slug == service).values(summary_nb="Ny tekst.")
    )
    assert freshness.is_fresh(stamp)  # not committed yet: others cannot see it either
    await session.commit()
    assert not freshness.is_fresh(stamp)
    assert freshness.is_fresh(freshness.stamp())


async def test_rolled_back_and_unwatched_changes_leave_the_copy_fresh(
    session: AsyncSession,
) -> None:
    await seed_demo(session)
    await session.commit()
    freshness = Freshness(["duty_rule"], max_age_seconds=3600)
    stamp = freshness.stamp()

    await session.execute(update(Service).values(summary_nb="Ny tekst."))
    await session.commit()  # the service table is not watched here
    await session.execute(text("DELETE FROM duty_rule"))
    await session.execute(update(Service).values(summary_nb="Enda en."))
    await session.rollback()

    assert freshness.is_fresh(stamp)


def test_a_copy_older_than_the_max_age_is_stale() -> None:
    clock = StepClock()
    freshness = Freshness(["service"], max_age_seconds=10, clock=clock)
    stamp = freshness.stamp()
    clock.now += 9.9
    assert freshness.is_fresh(stamp)
    clock.now += 0.1
    assert not freshness.is_fresh(stamp)
    assert not freshness.is_fresh(None)  # never taken
