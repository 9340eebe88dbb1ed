"""Anonymous statistics of conversations, kept in step as they happen and kept after deletion.

Each conversation gets one `conversation_stat` row holding categories and counts only (day,
channel, topics, services suggested, crisis level, handoff, waiting time, outcome, rating). The
conversation points to its row; the row never points back, so deleting the conversation leaves
nothing that leads to a person.
"""

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Conversation, ConversationStat, Outcome
from nlu.interpretation import CrisisLevel

OSLO = ZoneInfo("Europe/Oslo")
_CRISIS_RANK = {CrisisLevel.NONE: 0, CrisisLevel.CONCERN: 1, CrisisLevel.ACUTE: 2}


def higher_crisis(first: CrisisLevel, second: CrisisLevel) -> CrisisLevel:
    """The more serious of two crisis levels."""
    return first if _CRISIS_RANK[first] >= _CRISIS_RANK[second] else second


async def stat_for(session: AsyncSession, conversation: Conversation) -> ConversationStat:
    """The conversation's statistics row, created on first use."""
    known = inspect(conversation).attrs.stat.loaded_value  # set earlier in this session
    if isinstance(known, ConversationStat):
        return known
    if conversation.stat_id is not None:
        stat = await session.get(ConversationStat, conversation.stat_id)
        if stat is not None:
            return stat
    stat = ConversationStat(
        day=conversation.created_at.astimezone(OSLO).date(),
        channel=conversation.channel,
        language=conversation.language,
        topics=[],
        services_suggested=[],
        unmet_topics=[],
        user_messages=0,
        crisis_level=CrisisLevel.NONE,
        handoff_requested=False,
        deleted_by_user=False,
    )
    session.add(stat)
    conversation.stat = stat  # the id is set on the next flush
    return stat


def count_user_message(stat: ConversationStat, crisis: CrisisLevel, language: str) -> None:
    stat.user_messages += 1
    stat.crisis_level = higher_crisis(stat.crisis_level, crisis)
    stat.language = language


def add_topics(stat: ConversationStat, topics: Iterable[str]) -> None:
    """Remember topics seen; the first one becomes the conversation's main topic."""
    stat.topics = _union(stat.topics, topics)
    if stat.topic is None and stat.topics:
        stat.topic = stat.topics[0]


def add_suggested(stat: ConversationStat, slugs: Iterable[str]) -> None:
    stat.services_suggested = _union(stat.services_suggested, slugs)


def add_unmet(stat: ConversationStat, topics: Iterable[str]) -> None:
    """Topics the catalogue had no service for: the municipality's unmet needs."""
    stat.unmet_topics = _union(stat.unmet_topics, topics)


def mark_helpful(stat: ConversationStat, helpful: bool) -> None:
    stat.helpful = helpful


def mark_handoff(stat: ConversationStat) -> None:
    stat.handoff_requested = True


def mark_waited(stat: ConversationStat, seconds: float) -> None:
    if stat.waited_seconds is None:
        stat.waited_seconds = max(0, round(seconds))


def mark_outcome(stat: ConversationStat, outcome: Outcome | None) -> None:
    stat.outcome = outcome


def mark_rating(stat: ConversationStat, rating: int) -> None:
    stat.rating = rating


def mark_deleted_by_user(stat: ConversationStat) -> None:
    stat.deleted_by_user = True


def _union(existing: list[str], new: Iterable[str]) -> list[str]:
    # A new list, not an in-place change: JSON columns only notice assignment.
    merged = list(existing)
    for item in new:
        if item and item not in merged:
            merged.append(item)
    return merged
