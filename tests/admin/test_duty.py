"""When chat duty is staffed: weekly hours, Norwegian public holidays, exceptions, summer time."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from admin.database import create_session_factory
from admin.staff.accounts import create_user, set_active, set_availability
from admin.staff.duty import DutyCache, add_exception, add_rule, duty_status
from admin.staff.models import AuditAction, AuditEvent, Role
from tests.admin.staff_factories import PASSWORD, add_staff, log_in
from tests.bot.factories import StepClock

OSLO = ZoneInfo("Europe/Oslo")


def oslo(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


async def office_hours(session: AsyncSession) -> None:
    """Monday to Friday, 08:00–15:30."""
    for weekday in range(5):
        await add_rule(session, weekday, time(8), time(15, 30), "sjef")


async def available_veileder(session: AsyncSession, name: str = "kari") -> None:
    user = await create_user(session, name, PASSWORD, Role.VEILEDER, "sjef")
    await set_availability(session, user, True)


async def test_staffed_on_a_weekday_with_someone_available(session: AsyncSession) -> None:
    await office_hours(session)
    await available_veileder(session)
    assert await duty_status(session, oslo(2026, 3, 4, 12)) == (True, None, 1)


async def test_not_staffed_when_nobody_is_available_within_the_hours(
    session: AsyncSession,
) -> None:
    await office_hours(session)
    staffed, next_opening, available = await duty_status(session, oslo(2026, 3, 4, 12))
    assert (staffed, available) == (False, 0)
    assert next_opening == oslo(2026, 3, 5, 8)


async def test_only_active_duty_staff_count_as_available(session: AsyncSession) -> None:
    await office_hours(session)
    editor = await create_user(session, "redaktor", PASSWORD, Role.REDAKTOR, "sjef")
    await set_availability(session, editor, True)
    gone = await create_user(session, "sluttet", PASSWORD, Role.VEILEDER, "sjef")
    await set_availability(session, gone, True)
    await set_active(session, gone, False, "sjef")
    assert (await duty_status(session, oslo(2026, 3, 4, 12))).available_staff == 0


async def test_easter_is_closed_and_duty_reopens_after_easter_monday(
    session: AsyncSession,
) -> None:
    await office_hours(session)
    await available_veileder(session)
    maundy_thursday_noon = oslo(2026, 4, 2, 12)
    staffed, next_opening, _ = await duty_status(session, maundy_thursday_noon)
    assert not staffed
    assert next_opening == oslo(2026, 4, 7, 8)  # Tuesday: Fri, weekend and Monday are closed
    staffed_before, _, _ = await duty_status(session, oslo(2026, 4, 1, 12))
    assert staffed_before


async def test_summer_time_moves_the_opening_by_an_hour_in_utc(session: AsyncSession) -> None:
    await office_hours(session)
    await available_veileder(session)
    # 06:30 UTC is 07:30 in Oslo in winter time (closed) and 08:30 in summer time (open).
    monday_before_switch = datetime(2026, 3, 23, 6, 30, tzinfo=UTC)
    monday_after_switch = datetime(2026, 3, 30, 6, 30, tzinfo=UTC)
    assert not (await duty_status(session, monday_before_switch)).staffed_now
    assert (await duty_status(session, monday_after_switch)).staffed_now
    friday_evening = oslo(2026, 3, 27, 16)
    opening = (await duty_status(session, friday_evening)).next_opening
    assert opening == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)  # 08:00 CEST
    back_to_winter = (await duty_status(session, oslo(2026, 10, 23, 16))).next_opening
    assert back_to_winter == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)  # 08:00 CET


async def test_exceptions_give_summer_hours_close_days_and_can_open_a_holiday(
    session: AsyncSession,
) -> None:
    await office_hours(session)
    await available_veileder(session)
    await add_exception(
        session, date(2026, 7, 1), date(2026, 7, 31), (time(10), time(14)), "Sommertid", "sjef"
    )
    await add_exception(
        session, date(2026, 3, 6), date(2026, 3, 6), None, "Planleggingsdag", "sjef"
    )
    await add_exception(
        session, date(2026, 5, 14), date(2026, 5, 14), (time(10), time(12)), "Ekstra vakt", "sjef"
    )
    assert not (await duty_status(session, oslo(2026, 7, 8, 9))).staffed_now
    assert (await duty_status(session, oslo(2026, 7, 8, 13))).staffed_now
    assert (await duty_status(session, oslo(2026, 7, 8, 15))).next_opening == oslo(2026, 7, 9, 10)
    assert not (await duty_status(session, oslo(2026, 3, 6, 12))).staffed_now
    assert (await duty_status(session, oslo(2026, 5, 14, 11))).staffed_now  # Ascension Day


async def test_no_schedule_means_no_next_opening(session: AsyncSession) -> None:
    await available_veileder(session)
    assert await duty_status(session, oslo(2026, 3, 4, 12)) == (False, None, 1)


async def test_admin_edits_the_schedule_in_the_browser(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    token = await log_in(client, "sjef")
    added = await client.post(
        "/admin/duty/rules",
        data={"weekday": "0", "opens": "08:00", "closes": "15:30", "csrf_token": token},
        follow_redirects=True,
    )
    assert added.status_code == 200
    assert "Mandag" in added.text and "15:30" in added.text
    backwards = await client.post(
        "/admin/duty/rules",
        data={"weekday": "1", "opens": "16:00", "closes": "08:00", "csrf_token": token},
    )
    assert backwards.status_code == 400
    assert "slutte etter at den begynner" in backwards.text
    closed = await client.post(
        "/admin/duty/exceptions",
        data={
            "starts_on": "2099-12-27",
            "ends_on": "2099-12-31",
            "kind": "closed",
            "note": "Romjul",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "Romjul" in closed.text and "27.12.2099" in closed.text
    assert "Grunnlovsdag" in closed.text  # the holidays ahead are listed
    async with create_session_factory(engine)() as session:
        actions = list(await session.scalars(select(AuditEvent.action)))
    assert actions.count(AuditAction.DUTY_SCHEDULE_CHANGED) == 2


async def test_veileder_marks_themself_available_and_away(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "kari", Role.VEILEDER)
    token = await log_in(client, "kari")
    page = await client.post(
        "/admin/availability",
        data={"available": "true", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Du er <strong>tilgjengelig</strong>" in page.text
    page = await client.post(
        "/admin/availability",
        data={"available": "false", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Du er <strong>borte</strong>" in page.text


async def test_the_chat_sees_a_veileder_become_available_at_once(session: AsyncSession) -> None:
    """The chat keeps the schedule in memory, but a change made here reaches the next message."""
    await office_hours(session)
    user = await create_user(session, "kari", PASSWORD, Role.VEILEDER, "sjef")
    await session.commit()
    cache = DutyCache(max_age_seconds=3600)  # only this process's commits can refresh it
    noon = oslo(2026, 3, 4, 12)
    assert (await cache.status(session, noon)).staffed_now is False

    await set_availability(session, user, True)
    await session.commit()
    assert await cache.status(session, noon) == (True, None, 1)

    await add_exception(
        session, date(2026, 3, 4), date(2026, 3, 4), None, "Planleggingsdag", "sjef"
    )
    await session.commit()
    assert (await cache.status(session, noon)).staffed_now is False  # closed that day


async def test_a_change_from_another_process_is_seen_within_the_max_age(
    session: AsyncSession,
) -> None:
    """`admin create-user` in a shell: no commit of this process tells the cache; time does."""
    await office_hours(session)
    await session.commit()
    clock = StepClock()
    cache = DutyCache(max_age_seconds=5, clock=clock)
    noon = oslo(2026, 3, 4, 12)
    assert (await cache.status(session, noon)).available_staff == 0

    await session.execute(
        text(
            "INSERT INTO staff_user (username, password_hash, role, active, available_for_duty,"
            " failed_logins, created_at) VALUES ('ola', 'x', 'veileder', :yes, :yes, 0, :now)"
        ),
        {"yes": True, "now": datetime(2026, 3, 4, tzinfo=UTC)},
    )
    await session.commit()
    clock.now += 4
    assert (await cache.status(session, noon)).available_staff == 0  # still the kept copy
    clock.now += 1
    assert await cache.status(session, noon) == (True, None, 1)
