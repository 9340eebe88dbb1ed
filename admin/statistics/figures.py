"""The statistics' numbers, computed from `conversation_stat` rows of a period of Oslo days.

Only the anonymous aggregate table is read (day, channel, topics, suggestions, crisis level,
handoff, waiting time, outcome, rating): never a message, a conversation or a user key. Counts
are of conversations. The rows are few enough (one per conversation) to summarise in Python,
which keeps JSON list columns portable between SQLite and PostgreSQL.
"""

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Channel, ConversationStat, Outcome
from nlu.interpretation import CrisisLevel

RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both included, in Europe/Oslo days."""

    first: date
    last: date

    @classmethod
    def ending(cls, last: date, days: int) -> "Period":
        return cls(last - timedelta(days=days - 1), last)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


class StatRow(NamedTuple):
    """The columns of one aggregate that the statistics read."""

    day: date
    channel: Channel
    topics: list[str]
    services_suggested: list[str]
    unmet_topics: list[str]
    crisis_level: CrisisLevel
    handoff_requested: bool
    waited_seconds: int | None
    outcome: Outcome | None
    rating: int | None
    helpful: bool | None


@dataclass(frozen=True)
class DayCount:
    day: date
    by_channel: dict[Channel, int]

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())


@dataclass(frozen=True)
class WaitingTimes:
    """Seconds users waited for a person, over the conversations that waited."""

    count: int
    median: float | None
    p90: int | None  # nearest rank: 90 % waited this long or less


@dataclass(frozen=True)
class Ratings:
    count: int
    average: float | None
    distribution: dict[int, int]


@dataclass(frozen=True)
class Statistics:
    period: Period
    conversations: int
    per_day: list[DayCount]
    per_channel: dict[Channel, int]
    topics: list[tuple[str, int]]  # most frequent first
    services_suggested: list[tuple[str, int]]
    unmet_needs: list[tuple[str, int]]  # topics where no service matched
    crisis: dict[CrisisLevel, int]
    handoffs: int
    waiting: WaitingTimes
    outcomes: dict[Outcome, int]
    ratings: Ratings
    helpful: dict[bool, int] = field(default_factory=dict)

    @property
    def handoff_rate(self) -> float | None:
        return self.handoffs / self.conversations if self.conversations else None

    @property
    def busiest_day(self) -> int:
        return max((entry.total for entry in self.per_day), default=0)


def ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    """Most frequent first; ties in name order so the list is stable."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def nearest_rank(values: Sequence[int], share: float) -> int | None:
    """The smallest value with at least `share` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def waiting_times(seconds: Sequence[int]) -> WaitingTimes:
    median = float(statistics.median(seconds)) if seconds else None
    return WaitingTimes(len(seconds), median, nearest_rank(seconds, 0.9))


def rating_summary(ratings: Sequence[int]) -> Ratings:
    distribution = {score: 0 for score in RATINGS}
    distribution.update(Counter(ratings))
    average = sum(ratings) / len(ratings) if ratings else None
    return Ratings(len(ratings), average, distribution)


def _each(lists: Iterable[list[str]]) -> Counter[str]:
    return Counter(item for items in lists for item in set(items))


def summarise(rows: Sequence[StatRow], period: Period) -> Statistics:
    """Every figure of the statistics page from the period's aggregates."""
    by_day: dict[date, Counter[Channel]] = {day: Counter() for day in period.days}
    for row in rows:
        by_day.setdefault(row.day, Counter())[row.channel] += 1
    crisis = Counter(row.crisis_level for row in rows)
    return Statistics(
        period=period,
        conversations=len(rows),
        per_day=[DayCount(day, dict(by_day[day])) for day in sorted(by_day)],
        per_channel={channel: n for channel in Channel if (n := _count(rows, channel))},
        topics=ranked(_each(row.topics for row in rows)),
        services_suggested=ranked(_each(row.services_suggested for row in rows)),
        unmet_needs=ranked(_each(row.unmet_topics for row in rows)),
        crisis={level: crisis[level] for level in (CrisisLevel.CONCERN, CrisisLevel.ACUTE)},
        handoffs=sum(1 for row in rows if row.handoff_requested),
        waiting=waiting_times([r.waited_seconds for r in rows if r.waited_seconds is not None]),
        outcomes=_outcomes(rows),
        ratings=rating_summary([row.rating for row in rows if row.rating is not None]),
        helpful=dict(Counter(row.helpful for row in rows if row.helpful is not None)),
    )


def _outcomes(rows: Sequence[StatRow]) -> dict[Outcome, int]:
    counted = Counter(row.outcome for row in rows if row.outcome is not None)
    return {outcome: counted[outcome] for outcome in Outcome}


def _count(rows: Sequence[StatRow], channel: Channel) -> int:
    return sum(1 for row in rows if row.channel == channel)


async def read_rows(session: AsyncSession, period: Period) -> list[StatRow]:
    query = select(*(getattr(ConversationStat, name) for name in StatRow._fields)).where(
        ConversationStat.day >= period.first, ConversationStat.day <= period.last
    )
    return [StatRow(*row) for row in await session.execute(query)]


async def gather_statistics(session: AsyncSession, period: Period) -> Statistics:
    """The statistics of `period` (its aggregates read in one query)."""
    return summarise(await read_rows(session, period), period)
