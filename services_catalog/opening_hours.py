"""Opening hours: is a contact open at a moment, and when does it next open.

Pure functions over plain values, computed in Europe/Oslo. Rules are wall-clock times on a
local date; they become real instants through zoneinfo, and every comparison happens in UTC, so
the nights when clocks jump (last Sunday of March and October) come out right. Python compares
two datetimes sharing a tzinfo by wall clock, which is exactly the bug this avoids.

Semantics, kept in one place:
- A rule belongs to the date it opens on; a past-midnight rule (Fri 22:00-02:00) runs into the
  next date. Public holidays and validity dates are judged on that opening date.
- On a Norwegian public holiday a contact is closed unless `open_on_public_holidays`.
- Dated rules (valid_from/valid_until) replace the regular week on every date they cover, so
  summer hours are written as the summer week only.
- `always_open` (24/7) ignores rules and holidays.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

OSLO = ZoneInfo("Europe/Oslo")
SEARCH_DAYS = 400  # how far ahead `next_opening` looks before saying "never"


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    weekday: int  # Monday = 0
    opens_at: time
    closes_at: time
    closes_next_day: bool = False  # past midnight, or a whole day when opens == closes == 00:00
    valid_from: date | None = None
    valid_until: date | None = None

    @property
    def is_dated(self) -> bool:
        return self.valid_from is not None or self.valid_until is not None

    def covers(self, day: date) -> bool:
        """Whether the rule's validity period includes `day` (weekday not considered)."""
        starts_ok = self.valid_from is None or self.valid_from <= day
        return starts_ok and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """The opening hours of one contact point."""

    rules: tuple[WeeklyRule, ...] = ()
    always_open: bool = False
    open_on_public_holidays: bool = False


@lru_cache(maxsize=64)
def _norwegian_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NO", years=year)


def is_public_holiday(day: date) -> bool:
    """Norwegian public holiday (helligdag or 1 and 17 May); Sundays alone do not count."""
    return day in _norwegian_holidays(day.year)


def rules_for_date(hours: WeeklyHours, day: date) -> list[WeeklyRule]:
    """The rules that open on `day`, after holidays and seasonal replacement."""
    if is_public_holiday(day) and not hours.open_on_public_holidays:
        return []
    dated = [rule for rule in hours.rules if rule.is_dated and rule.covers(day)]
    candidates = dated or [rule for rule in hours.rules if not rule.is_dated]
    return [rule for rule in candidates if rule.weekday == day.weekday()]


def _local_instant(day: date, at: time) -> datetime:
    """A wall-clock time in Oslo as a UTC instant (a skipped time maps forward, an hour late)."""
    return datetime.combine(day, at, tzinfo=OSLO).astimezone(UTC)


def intervals_on(hours: WeeklyHours, day: date) -> Iterator[tuple[datetime, datetime]]:
    """The open intervals (UTC, half-open) that start on local date `day`."""
    for rule in rules_for_date(hours, day):
        start = _local_instant(day, rule.opens_at)
        end_day = day + timedelta(days=1) if rule.closes_next_day else day
        yield start, _local_instant(end_day, rule.closes_at)


def _require_aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("opening hours need an aware datetime")
    return at.astimezone(UTC)


def is_open(hours: WeeklyHours, at: datetime) -> bool:
    """Whether the contact is open at the aware moment `at`."""
    instant = _require_aware(at)
    if hours.always_open:
        return True
    today = instant.astimezone(OSLO).date()
    for day in (today - timedelta(days=1), today):
        if any(start <= instant < end for start, end in intervals_on(hours, day)):
            return True
    return False


def next_opening(hours: WeeklyHours, at: datetime) -> datetime | None:
    """When the contact next opens after `at`, in Europe/Oslo.

    None when it is open at `at` (or always open), or when no rule opens within SEARCH_DAYS.
    """
    instant = _require_aware(at)
    if hours.always_open or not hours.rules or is_open(hours, at):
        return None
    today = instant.astimezone(OSLO).date()
    for offset in range(SEARCH_DAYS):
        starts = [start for start, _ in intervals_on(hours, today + timedelta(days=offset))]
        upcoming = [start for start in starts if start > instant]
        if upcoming:
            return min(upcoming).astimezone(OSLO)
    return None


def earliest(moments: Sequence[datetime | None]) -> datetime | None:
    """The earliest of several optional moments (e.g. a service's contacts' next openings)."""
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None
