"""The chat duty schedule: when a person can answer, computed in Europe/Oslo.

A day's duty periods come from, in order of precedence: an exception covering the date (closed,
or other hours such as summer hours or a holiday kept open), then Norwegian public holidays
(closed), then the weekly rules for that weekday. Times compare in UTC so the switches to and from
summer time cannot confuse them.
"""

import time as time_module
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.audit import record_event
from admin.staff.models import AuditAction, DutyException, DutyRule, Role, StaffUser
from bot.freshness import Freshness, Stamp

OSLO = ZoneInfo("Europe/Oslo")
SEARCH_DAYS = 400
# How long a change made by another process (`admin create-user`) may go unseen by the chat;
# changes made in the staff app of this process are seen by the next message.
DUTY_MAX_AGE_SECONDS = 5.0
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

_NORWEGIAN_HOLIDAYS = holidays.country_holidays("NO", language="no")


class DutyStatus(NamedTuple):
    """What the bot needs to say whether a person can answer now, or when one can."""

    staffed_now: bool  # within duty hours and at least one staff member marked available
    next_opening: datetime | None  # start of the next duty period (UTC); None when staffed now
    available_staff: int  # active veiledere/admins marked available, regardless of the hours


class DutyError(ValueError):
    """A schedule change that makes no sense; the message is shown to the admin."""


Period = tuple[time, time]


def holiday_name(day: date) -> str | None:
    name = _NORWEGIAN_HOLIDAYS.get(day)
    return str(name) if name else None


@dataclass(frozen=True)
class DutySchedule:
    """The weekly rules and the exceptions, loaded once and evaluated without the database."""

    rules: tuple[tuple[int, time, time], ...]
    exceptions: tuple[tuple[date, date, bool, time | None, time | None], ...]
    tz: ZoneInfo = OSLO

    def periods_on(self, day: date) -> list[Period]:
        """The local opening periods on `day`, sorted."""
        for starts_on, ends_on, closed, opens, closes in self.exceptions:
            if starts_on <= day <= ends_on:
                return [] if closed or opens is None or closes is None else [(opens, closes)]
        if holiday_name(day) is not None:
            return []
        return sorted(
            (opens, closes) for weekday, opens, closes in self.rules if weekday == day.weekday()
        )

    def _utc_periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        return [
            (
                datetime.combine(day, opens, self.tz).astimezone(UTC),
                datetime.combine(day, closes, self.tz).astimezone(UTC),
            )
            for opens, closes in self.periods_on(day)
        ]

    def is_open(self, at: datetime) -> bool:
        moment = at.astimezone(UTC)
        day = at.astimezone(self.tz).date()
        return any(start <= moment < end for start, end in self._utc_periods_on(day))

    def next_opening(self, after: datetime) -> datetime | None:
        """The start of the first duty period that begins after `after`, in UTC."""
        if not self.rules and all(closed for _s, _e, closed, _o, _c in self.exceptions):
            return None  # nothing ever opens: spare every chat message a 400-day search
        moment = after.astimezone(UTC)
        first_day = after.astimezone(self.tz).date()
        for offset in range(SEARCH_DAYS):
            for start, _end in self._utc_periods_on(first_day + timedelta(days=offset)):
                if start > moment:
                    return start
        return None


async def load_schedule(session: AsyncSession) -> DutySchedule:
    rules = await session.scalars(select(DutyRule).order_by(DutyRule.weekday, DutyRule.opens))
    exceptions = await session.scalars(select(DutyException).order_by(DutyException.starts_on))
    return DutySchedule(
        rules=tuple((rule.weekday, rule.opens, rule.closes) for rule in rules),
        exceptions=tuple(
            (item.starts_on, item.ends_on, item.closed, item.opens, item.closes)
            for item in exceptions
        ),
    )


async def count_available_staff(session: AsyncSession) -> int:
    query = select(func.count()).where(
        StaffUser.active.is_(True),
        StaffUser.available_for_duty.is_(True),
        StaffUser.role.in_([Role.VEILEDER, Role.ADMIN]),
    )
    return int(await session.scalar(query) or 0)


async def duty_status(session: AsyncSession, now: datetime) -> DutyStatus:
    """Whether a person can answer at `now` (aware), and if not, when duty opens next."""
    return _status_at(await load_schedule(session), await count_available_staff(session), now)


def _status_at(schedule: DutySchedule, available: int, now: datetime) -> DutyStatus:
    staffed = available > 0 and schedule.is_open(now)
    return DutyStatus(staffed, None if staffed else schedule.next_opening(now), available)


class DutyCache:
    """The schedule and the number of available staff, read once and kept while fresh.

    Every chat message asks whether a person can answer; the answer depends on the time (always
    computed anew) and on three tables that change a few times a day (see `bot.freshness`).
    """

    def __init__(
        self,
        max_age_seconds: float = DUTY_MAX_AGE_SECONDS,
        clock: Callable[[], float] = time_module.monotonic,
    ) -> None:
        tables = (DutyRule.__tablename__, DutyException.__tablename__, StaffUser.__tablename__)
        self._freshness = Freshness(tables, max_age_seconds, clock)
        self._copy: tuple[DutySchedule, int] | None = None
        self._stamp: Stamp | None = None

    async def status(self, session: AsyncSession, now: datetime) -> DutyStatus:
        if self._copy is None or not self._freshness.is_fresh(self._stamp):
            stamp = self._freshness.stamp()
            self._copy = (await load_schedule(session), await count_available_staff(session))
            self._stamp = stamp
        return _status_at(*self._copy, now)


async def list_rules(session: AsyncSession) -> list[DutyRule]:
    result = await session.scalars(select(DutyRule).order_by(DutyRule.weekday, DutyRule.opens))
    return list(result)


async def list_exceptions(session: AsyncSession, from_day: date) -> list[DutyException]:
    query = (
        select(DutyException)
        .where(DutyException.ends_on >= from_day)
        .order_by(DutyException.starts_on)
    )
    return list(await session.scalars(query))


def upcoming_holidays(from_day: date, days: int = 365) -> list[tuple[date, str]]:
    until = from_day + timedelta(days=days)
    found = holidays.country_holidays(
        "NO", years=range(from_day.year, until.year + 1), language="no"
    )
    return sorted((day, str(name)) for day, name in found.items() if from_day <= day <= until)


async def add_rule(
    session: AsyncSession, weekday: int, opens: time, closes: time, actor: str
) -> DutyRule:
    if not 0 <= weekday <= 6:
        raise DutyError("Ukedagen finnes ikke.")
    if opens >= closes:
        raise DutyError("Vakten må slutte etter at den begynner (samme dag).")
    rule = DutyRule(weekday=weekday, opens=opens, closes=closes)
    session.add(rule)
    await session.flush()
    await _record(session, actor, "duty_rule", rule.id, "added")
    return rule


async def add_exception(
    session: AsyncSession,
    starts_on: date,
    ends_on: date,
    hours: Period | None,
    note: str,
    actor: str,
) -> DutyException:
    """Days closed (`hours` None) or with other hours, from `starts_on` to `ends_on` inclusive."""
    if ends_on < starts_on:
        raise DutyError("Sluttdatoen kan ikke være før startdatoen.")
    if hours is not None and hours[0] >= hours[1]:
        raise DutyError("Vakten må slutte etter at den begynner (samme dag).")
    exception = DutyException(
        starts_on=starts_on,
        ends_on=ends_on,
        closed=hours is None,
        opens=hours[0] if hours else None,
        closes=hours[1] if hours else None,
        note=note.strip()[:200],
    )
    session.add(exception)
    await session.flush()
    await _record(session, actor, "duty_exception", exception.id, "added")
    return exception


async def delete_rule(session: AsyncSession, rule_id: int, actor: str) -> None:
    rule = await session.get(DutyRule, rule_id)
    if rule is not None:
        await session.delete(rule)
        await session.flush()
        await _record(session, actor, "duty_rule", rule_id, "deleted")


async def delete_exception(session: AsyncSession, exception_id: int, actor: str) -> None:
    exception = await session.get(DutyException, exception_id)
    if exception is not None:
        await session.delete(exception)
        await session.flush()
        await _record(session, actor, "duty_exception", exception_id, "deleted")


async def _record(
    session: AsyncSession, actor: str, target_type: str, target_id: int, change: str
) -> None:
    await record_event(
        session,
        actor,
        AuditAction.DUTY_SCHEDULE_CHANGED,
        target_type,
        target_id,
        {"change": change},
    )
