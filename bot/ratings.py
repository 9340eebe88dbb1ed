"""The user's rating of a closed conversation: 1-5 and an optional comment, also as statistics.

On close the user is invited to rate with buttons whose payload is `rating:<n>`; a tapped button
arrives as an ordinary message, so every channel rates the same way. The web chat may also call
`rate_conversation` directly with a comment.
"""

import re
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import aggregates
from bot.conversations import add_message, clean_text, get_conversation
from bot.dialogue.texts import say
from bot.handoff import RATING_PREFIX
from bot.messages import ReplyKind
from bot.models import Channel, Conversation, ConversationMode, Message, Sender

MAX_COMMENT_CHARS = 1000
_RATING = re.compile(rf"^\s*{re.escape(RATING_PREFIX)}([1-5])\s*$")


class NotRateable(ValueError):
    """Only a closed conversation can be rated, once, with 1 to 5."""


def read_rating(text: str) -> int | None:
    """The rating a tapped rating button sends, or None for any other message."""
    match = _RATING.match(text)
    return int(match.group(1)) if match else None


async def find_rateable(
    session: AsyncSession, channel: Channel, user_key: str
) -> Conversation | None:
    """The user's most recently closed conversation on this channel, if not rated yet."""
    result = await session.execute(
        select(Conversation)
        .where(
            Conversation.channel == channel,
            Conversation.user_key == user_key,
            Conversation.mode == ConversationMode.CLOSED,
        )
        .order_by(Conversation.closed_at.desc())
        .limit(1)
    )
    conversation = result.scalar_one_or_none()
    return conversation if conversation is not None and conversation.rating is None else None


async def rate_conversation(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    rating: int,
    comment: str | None = None,
    *,
    now: datetime,
) -> Message:
    """Record the rating (and comment) and store a short goodbye for the user (pending)."""
    conversation = await get_conversation(session, conversation_id)
    if conversation.mode is not ConversationMode.CLOSED or conversation.rating is not None:
        raise NotRateable("only a closed, unrated conversation can be rated")
    if not 1 <= rating <= 5:
        raise NotRateable("a rating is 1 to 5")
    conversation.rating = rating
    if comment and comment.strip():
        conversation.rating_comment = clean_text(comment, MAX_COMMENT_CHARS)[0]
    aggregates.mark_rating(await aggregates.stat_for(session, conversation), rating)
    return await add_message(
        session,
        conversation,
        sender=Sender.SYSTEM,
        text=say(conversation.language, "courtesy.goodbye"),
        payload={"kind": ReplyKind.INFO.value, "event": "rated"},
        now=now,
    )
