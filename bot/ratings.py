"""The user's rating of a closed conversation: 1-5 and an optional comment, also as statistics.

On close the user is invited to rate with buttons whose payload is `rating:<n>`; a tapped button
arrives as an ordinary message, so every channel rates the same way. The web chat has a form and
calls `rate_conversation` directly with a comment. Where the rating came from a button (Telegram,
the terminal), the goodbye invites one optional comment instead: the user's next message within
`COMMENT_WINDOW` is taken as the comment, or «Hopp over» declines it. The inbound use case runs
crisis detection on that message first; any sign of crisis makes it a new message instead.
"""

import re
import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import aggregates
from bot.conversations import add_message, clean_text, get_conversation
from bot.dialogue.commands import read_command
from bot.dialogue.texts import say
from bot.handoff import RATING_PREFIX
from bot.messages import QuickReply, Reply
from bot.models import Channel, Conversation, ConversationMode, Message, Sender
from bot.transcript import reply_payload

MAX_COMMENT_CHARS = 1000
COMMENT_WINDOW = timedelta(minutes=15)
SKIP_COMMENT = "rating-comment:skip"  # the payload of the «Hopp over» button
_RATING = re.compile(rf"^\s*{re.escape(RATING_PREFIX)}([1-5])\s*$")


class RatingEvent(StrEnum):
    """The `event` of the system message that answers a rating or its comment."""

    RATED = "rated"
    COMMENT_INVITED = "comment-invited"
    COMMENTED = "commented"
    COMMENT_SKIPPED = "comment-skipped"


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
    invite_comment: bool = False,
) -> Message:
    """Record the rating (and comment) and store the answer for the user (pending).

    The answer is a goodbye, or with `invite_comment` an invitation to write one comment.
    """
    conversation = await get_conversation(session, conversation_id)
    if conversation.mode is not ConversationMode.CLOSED or conversation.rating is not None:
        raise NotRateable("only a closed, unrated conversation can be rated")
    if not 1 <= rating <= 5:
        raise NotRateable("a rating is 1 to 5")
    conversation.rating = rating
    _keep_comment(conversation, comment)
    aggregates.mark_rating(await aggregates.stat_for(session, conversation), rating)
    if invite_comment:
        skip = QuickReply(say(conversation.language, "rating_comment.skip"), SKIP_COMMENT)
        invitation = Reply(
            say(conversation.language, "rating_comment.invite"), quick_replies=(skip,)
        )
        return await _answer(session, conversation, invitation, RatingEvent.COMMENT_INVITED, now)
    goodbye = Reply(say(conversation.language, "courtesy.goodbye"))
    return await _answer(session, conversation, goodbye, RatingEvent.RATED, now)


async def find_comment_awaited(
    session: AsyncSession, channel: Channel, user_key: str, text: str, now: datetime
) -> Conversation | None:
    """The conversation `text` would comment on: the invitation is the user's latest news.

    That is: the user's most recently active conversation on this channel is closed, rated and
    uncommented, and its last message is the invitation, written less than `COMMENT_WINDOW` ago
    («Hopp over» is accepted later too). A command (/start, /slett, …) is never a comment.
    """
    if not text.strip() or read_command(text) is not None:
        return None
    latest = await session.scalar(
        select(Conversation)
        .where(Conversation.channel == channel, Conversation.user_key == user_key)
        .order_by(Conversation.last_activity_at.desc())
        .limit(1)
    )
    if (
        latest is None
        or latest.mode is not ConversationMode.CLOSED
        or latest.rating is None
        or latest.rating_comment is not None
    ):
        return None
    last = await session.scalar(
        select(Message)
        .where(Message.conversation_id == latest.id)
        .order_by(Message.id.desc())
        .limit(1)
    )
    if last is None or (last.payload or {}).get("event") != RatingEvent.COMMENT_INVITED:
        return None
    if text.strip() != SKIP_COMMENT and last.created_at < now - COMMENT_WINDOW:
        return None
    return latest


async def take_comment(
    session: AsyncSession, conversation: Conversation, text: str, *, now: datetime
) -> Message:
    """Keep the user's comment on the rating (or their «Hopp over») and say goodbye."""
    if text.strip() == SKIP_COMMENT:
        goodbye = Reply(say(conversation.language, "courtesy.goodbye"))
        return await _answer(session, conversation, goodbye, RatingEvent.COMMENT_SKIPPED, now)
    _keep_comment(conversation, text)
    thanks = Reply(say(conversation.language, "rating_comment.thanks"))
    return await _answer(session, conversation, thanks, RatingEvent.COMMENTED, now)


def _keep_comment(conversation: Conversation, comment: str | None) -> None:
    if comment and comment.strip():
        conversation.rating_comment = clean_text(comment, MAX_COMMENT_CHARS)[0]


async def _answer(
    session: AsyncSession,
    conversation: Conversation,
    reply: Reply,
    event: RatingEvent,
    now: datetime,
) -> Message:
    return await add_message(
        session,
        conversation,
        sender=Sender.SYSTEM,
        text=reply.text,
        payload=reply_payload(reply, event=event.value),
        now=now,
    )
