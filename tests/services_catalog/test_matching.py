"""Matching against the demo catalogue: ages, roles, areas, status and opening state."""

from datetime import UTC, datetime, timedelta

import pytest
from catalog_factories import service_record
from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.editing import archive_service, close_temporarily, create_service
from services_catalog.matching import (
    CatalogueSnapshot,
    ServiceMatch,
    describe_card,
    describe_services,
    find_matching,
)
from services_catalog.opening_hours import OSLO
from services_catalog.queries import list_suggestable
from services_catalog.seeding import seed_demo

WEDNESDAY_MORNING = datetime(2026, 11, 25, 10, 0, tzinfo=OSLO)
SATURDAY_NIGHT = datetime(2026, 11, 28, 23, 0, tzinfo=OSLO)
SLEEP_WORRY = [("small-children", 0.55), ("school-health", 0.45)]  # the NLU cannot tell


@pytest.fixture
async def demo(session: AsyncSession) -> AsyncSession:
    await seed_demo(session)
    return session


def slugs(matches: list[ServiceMatch]) -> list[str]:
    return [match.slug for match in matches]


async def match(
    session: AsyncSession,
    topics: list[tuple[str, float]],
    *,
    age: int | None = None,
    role: str | None = "parent",
    at: datetime = WEDNESDAY_MORNING,
    **options: object,
) -> list[ServiceMatch]:
    return await find_matching(session, topics, age=age, role=role, at=at, **options)  # type: ignore[arg-type]


async def test_sleep_worry_for_a_two_year_old_goes_to_helsestasjon(demo: AsyncSession) -> None:
    found = await match(demo, SLEEP_WORRY, age=2)
    assert found[0].slug == "helsestasjon"
    assert "skolehelsetjenesten" not in slugs(found)
    assert "age 2 within 0-5" in found[0].reason


async def test_sleep_worry_for_a_fourteen_year_old_goes_to_school_health(
    demo: AsyncSession,
) -> None:
    found = await match(demo, SLEEP_WORRY, age=14)
    assert found[0].slug == "skolehelsetjenesten"
    assert "helsestasjon" not in slugs(found)
    # family guidance covers small children only up to 5, so it does not match at 14 either
    assert "familieveiledning" not in slugs(found)


async def test_reading_difficulties_at_nine_go_to_ppt_then_school(demo: AsyncSession) -> None:
    found = await match(demo, [("learning-school", 0.9)], age=9)
    assert slugs(found)[:2] == ["ppt", "skole-og-mobbing"]


async def test_fifteen_year_old_feeling_down(demo: AsyncSession) -> None:
    found = await match(demo, [("mental-health", 0.8)], age=15, role="youth")
    assert set(slugs(found)[:2]) == {"psykisk-helse-barn-unge", "skolehelsetjenesten"}
    fine = {"helsestasjon-for-ungdom", "kors-paa-halsen", "mental-helse-hjelpetelefon", "fastlege"}
    assert slugs(found)[2] in fine


async def test_a_service_for_youth_is_demoted_for_a_parent(demo: AsyncSession) -> None:
    found = await match(demo, [("sexual-health", 0.9)], age=15, role="parent", limit=5)
    assert found[0].slug == "skolehelsetjenesten"
    hfu = next(m for m in found if m.slug == "helsestasjon-for-ungdom")
    assert "meant for youth, not parent" in hfu.reason
    youth_view = await match(demo, [("sexual-health", 0.9)], age=15, role="youth")
    assert youth_view[0].slug == "helsestasjon-for-ungdom"


async def test_age_limits_exclude_services_outside_them(demo: AsyncSession) -> None:
    found = await match(demo, [("loneliness-leisure", 0.9)], age=19, role="youth", limit=10)
    assert "kors-paa-halsen" not in slugs(found)  # under 18 only
    assert "fritid-og-moteplasser" in slugs(found)


async def test_nav_serves_parents_of_any_age_and_youth_from_sixteen(demo: AsyncSession) -> None:
    money = [("money-housing", 0.9)]
    assert "nav-sosialhjelp" in slugs(await match(demo, money, age=3, role="parent"))
    assert "nav-sosialhjelp" not in slugs(await match(demo, money, age=14, role="youth"))
    assert "nav-sosialhjelp" in slugs(await match(demo, money, age=17, role="youth"))


async def test_fever_goes_to_legevakt_before_the_emergency_numbers(demo: AsyncSession) -> None:
    found = await match(demo, [("acute-illness", 0.9)], age=4)
    assert found[0].slug == "legevakt"
    assert slugs(found).index("nodnummer") > 0


async def test_unknown_and_meta_topics_match_nothing(demo: AsyncSession) -> None:
    assert await match(demo, [("meta-greeting", 0.9), ("astrology", 0.5)]) == []


async def test_opening_state_and_next_opening_in_oslo(demo: AsyncSession) -> None:
    [helsestasjon] = await match(demo, [("small-children", 1.0)], age=1, limit=1)
    assert helsestasjon.open_now
    [closed] = await match(demo, [("small-children", 1.0)], age=1, limit=1, at=SATURDAY_NIGHT)
    assert not closed.open_now
    assert closed.next_opening == datetime(2026, 11, 30, 8, 0, tzinfo=OSLO)
    phone = closed.contacts[0]
    assert phone.value == "+4721234510" and not phone.open_now and not phone.always_open


async def test_always_open_line_is_open_on_a_saturday_night(demo: AsyncSession) -> None:
    found = await match(demo, [("violence-abuse", 0.9)], age=12, role="child", at=SATURDAY_NIGHT)
    alarm = next(m for m in found if m.slug == "alarmtelefonen")
    assert alarm.open_now and alarm.next_opening is None
    assert alarm.contacts[0].always_open


async def test_inactive_services_never_match(demo: AsyncSession) -> None:
    await archive_service(demo, "ppt", changed_by="kari")
    assert "ppt" not in slugs(await match(demo, [("learning-school", 0.9)], age=9))


async def test_temporarily_closed_services_come_last_with_their_message(
    demo: AsyncSession,
) -> None:
    await close_temporarily(
        demo, "ppt", "Stengt på grunn av flytting til uke 3.", changed_by="kari"
    )
    found = await match(demo, [("learning-school", 0.9)], age=9, limit=5)
    assert found[-1].slug == "ppt"
    assert found[-1].status_message == "Stengt på grunn av flytting til uke 3."


async def test_services_of_other_municipalities_are_excluded(demo: AsyncSession) -> None:
    await create_service(demo, service_record("ppt-nabo", areas=["1234"]), changed_by="kari")
    topics = [("mental-health", 1.0)]
    assert "ppt-nabo" not in slugs(await match(demo, topics, limit=30))
    elsewhere = await match(demo, topics, municipality="1234", limit=30)
    assert "ppt-nabo" in slugs(elsewhere)
    assert "mental-helse-hjelpetelefon" in slugs(elsewhere)  # national lines serve everyone
    assert "psykisk-helse-barn-unge" not in slugs(elsewhere)


async def test_names_and_labels_follow_the_language_with_bokmaal_fallback(
    demo: AsyncSession,
) -> None:
    [nynorsk] = await match(demo, [("learning-school", 0.9)], age=9, language="nn", limit=1)
    assert nynorsk.name == "PP-tenesta"
    assert nynorsk.contacts[0].label == "Ring PP-tenesta (døme)"
    assert nynorsk.contacts[1].label == "Send e-post (døme)"
    [english] = await match(demo, [("money-housing", 0.9)], age=8, language="en", limit=1)
    assert english.summary.startswith("The leisure grant") or english.name.startswith("NAV")


async def test_describe_services_keeps_the_order_asked(demo: AsyncSession) -> None:
    found = await describe_services(
        demo, ["nodnummer", "nope", "alarmtelefonen"], at=WEDNESDAY_MORNING
    )
    assert slugs(found) == ["nodnummer", "alarmtelefonen"]
    assert [c.value for c in found[0].contacts][:3] == ["113", "112", "110"]


async def test_open_state_follows_dst_and_public_holidays(demo: AsyncSession) -> None:
    async def helsestasjon_at(moment: datetime) -> ServiceMatch:
        [found] = await match(demo, [("small-children", 1.0)], age=1, limit=1, at=moment)
        return found

    # 06:30 UTC is 07:30 before the spring change (Sunday 29 March 2026) and 08:30 after it.
    assert not (await helsestasjon_at(datetime(2026, 3, 27, 6, 30, tzinfo=UTC))).open_now
    assert (await helsestasjon_at(datetime(2026, 3, 27, 7, 30, tzinfo=UTC))).open_now
    assert (await helsestasjon_at(datetime(2026, 3, 30, 6, 30, tzinfo=UTC))).open_now
    # Monday 17 May 2027 is Constitution Day: closed, opens Tuesday at 08:00.
    holiday = await helsestasjon_at(datetime(2027, 5, 17, 10, tzinfo=OSLO))
    assert not holiday.open_now
    assert holiday.next_opening == datetime(2027, 5, 18, 8, 0, tzinfo=OSLO)


async def test_a_snapshot_ranks_like_the_database_without_inactive_or_foreign_services(
    demo: AsyncSession,
) -> None:
    await archive_service(demo, "ppt", changed_by="kari")
    await create_service(demo, service_record("ppt-nabo", areas=["1234"]), changed_by="kari")
    snapshot = await CatalogueSnapshot.load(demo)
    asked: list[tuple[list[tuple[str, float]], int | None, str | None]] = [
        (SLEEP_WORRY, 2, "parent"),
        (SLEEP_WORRY, 14, "parent"),
        ([("learning-school", 0.9)], 9, "parent"),
        ([("mental-health", 0.8), ("bullying", 0.3)], 15, "youth"),
        ([("sexual-health", 0.9)], 15, "parent"),
        ([("acute-illness", 0.9)], None, None),
    ]
    for topics, age, role in asked:
        live = await match(demo, topics, age=age, role=role, limit=5)
        copied = snapshot.find(topics, age=age, role=role, at=WEDNESDAY_MORNING, limit=5)
        assert copied == live
    assert "ppt" not in slugs(
        snapshot.find([("learning-school", 0.9)], age=9, role=None, at=WEDNESDAY_MORNING)
    )
    assert slugs(snapshot.describe(["nodnummer", "ppt", "nope"], at=WEDNESDAY_MORNING)) == [
        "nodnummer"
    ]


async def test_without_an_age_a_service_for_every_age_comes_before_a_child_line(
    demo: AsyncSession,
) -> None:
    found = await match(demo, [("violence-abuse", 0.9)], age=None, role=None)
    assert slugs(found)[:2] == ["overgrep-og-vold", "alarmtelefonen"]
    child = await match(demo, [("violence-abuse", 0.9)], age=12, role="child")
    assert slugs(child)[0] == "alarmtelefonen"


async def test_a_service_covering_both_topics_of_a_message_comes_first(
    demo: AsyncSession,
) -> None:
    lonely_and_down = [("loneliness-leisure", 0.5), ("mental-health", 0.45)]
    found = await match(demo, lonely_and_down, age=15, role="youth", limit=5)
    assert set(found[0].topics) == {"loneliness-leisure", "mental-health"}
    assert found[0].slug == "kors-paa-halsen"


async def test_a_child_worried_about_rows_at_home_gets_a_line_for_children_first(
    demo: AsyncSession,
) -> None:
    found = await match(demo, [("family-conflict", 0.9)], age=10, role="child")
    assert found[0].slug == "kors-paa-halsen"
    parent = await match(demo, [("family-conflict", 0.9)], age=10, role="parent")
    assert "kors-paa-halsen" not in slugs(parent)[:2]


async def test_a_toddlers_eating_goes_to_helsestasjon_a_teenagers_to_mental_health(
    demo: AsyncSession,
) -> None:
    toddler = await match(demo, [("eating", 0.9)], age=3)
    assert toddler[0].slug == "helsestasjon"
    assert "psykisk-helse-barn-unge" not in slugs(toddler)
    teenager = await match(demo, [("eating", 0.9)], age=14)
    assert teenager[0].slug == "psykisk-helse-barn-unge"
    unknown = await match(demo, [("eating", 0.9)], age=None, role=None)
    assert unknown[0].slug == "psykisk-helse-barn-unge"


async def test_a_snapshot_card_is_right_to_the_second_around_every_opening_and_closing(
    demo: AsyncSession,
) -> None:
    """Cards are shared within a minute; opening hours are whole minutes, so nothing shifts."""
    snapshot = await CatalogueSnapshot.load(demo)
    services = await list_suggestable(demo)
    day = WEDNESDAY_MORNING.date()
    checked = 0
    for service in services:
        for rule in (r for contact in service.contacts for r in contact.rules):
            if rule.weekday != day.weekday():
                continue
            for clock in (rule.opens_at, rule.closes_at):
                edge = datetime.combine(day, clock, tzinfo=OSLO)
                for at in (edge - timedelta(microseconds=1), edge, edge + timedelta(seconds=59)):
                    shared = snapshot.describe([service.slug], at=at)[0]
                    assert shared == describe_card(service, at, "nb"), (service.slug, at)
                    checked += 1
    assert checked > 20  # the demo catalogue has weekday hours to test against
