"""What the browser sees of a conversation: its messages rendered for the page, and the status.

Reading goes through `bot.delivery.read_for_user` (staff-only lines never leave the server; a
fetched message counts as delivered, and since the browser asks by id a lost response is simply
fetched again). A user's tapped button is shown with the button's label, not its payload.
"""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat_schemas import (
    ChatAction,
    ChatCard,
    ChatMessage,
    ChatMode,
    ChatQuickReply,
    ChatSender,
    ChatStatus,
    QueueInfo,
)
from bot.dialogue.texts import say
from bot.messages import Reply, ServiceCard
from bot.models import Channel, Conversation, ConversationMode, Message, Sender
from bot.queue import queue_position
from bot.transcript import reply_of


async def current_conversation(session: AsyncSession, user_key: str) -> Conversation | None:
    """The key's latest web conversation in any mode (a closed one can still be rated)."""
    result = await session.execute(
        select(Conversation)
        .where(Conversation.channel == Channel.WEB, Conversation.user_key == user_key)
        .order_by(Conversation.last_activity_at.desc(), Conversation.created_at.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def status_of(
    session: AsyncSession, conversation: Conversation | None, available_staff: int
) -> ChatStatus:
    if conversation is None:
        return ChatStatus(mode=ChatMode.NONE, language="nb")
    queue = None
    if conversation.mode is ConversationMode.WAITING_FOR_STAFF:
        place = await queue_position(session, conversation.id, available_staff=available_staff)
        if place is not None:
            text = say(
                conversation.language,
                "person.queue_wait",
                position=place.position,
                minutes=place.estimated_minutes,
            )
            queue = QueueInfo(
                position=place.position,
                of=place.of,
                estimated_minutes=place.estimated_minutes,
                text=text,
            )
    return ChatStatus(
        mode=ChatMode(conversation.mode.value),
        language=conversation.language,
        queue=queue,
        can_rate=conversation.mode is ConversationMode.CLOSED and conversation.rating is None,
    )


def render_messages(
    messages: Sequence[Message], earlier: Sequence[Message] = ()
) -> list[ChatMessage]:
    """Messages as the browser shows them; `earlier` ones only supply button labels."""
    labels: dict[str, str] = {}
    for message in earlier:
        _learn_labels(labels, message)
    rendered = []
    for message in messages:
        if message.sender is Sender.USER:
            rendered.append(_user_message(message, labels.get(message.text.strip())))
        else:
            rendered.append(render_stored(message))
            _learn_labels(labels, message)
    return rendered


def render_stored(message: Message) -> ChatMessage:
    reply = reply_of(message)
    payload = message.payload or {}
    event = payload.get("event")
    return ChatMessage(
        id=message.id,
        sender=ChatSender(message.sender.value),
        text=message.text,
        kind=reply.kind.value,
        quick_replies=[
            ChatQuickReply(label=q.label, payload=q.payload) for q in reply.quick_replies
        ],
        cards=[render_card(card) for card in reply.cards],
        event=str(event) if event else None,
        created_at=message.created_at,
    )


def render_reply(reply: Reply) -> ChatMessage:
    """A reply that was never stored (the answer to a confirmed deletion)."""
    return ChatMessage(
        id=None,
        sender=ChatSender.BOT,
        text=reply.text,
        kind=reply.kind.value,
        quick_replies=[
            ChatQuickReply(label=q.label, payload=q.payload) for q in reply.quick_replies
        ],
        cards=[render_card(card) for card in reply.cards],
    )


def render_card(card: ServiceCard) -> ChatCard:
    return ChatCard(
        slug=card.slug,
        name=card.name,
        summary=card.summary,
        actions=[
            ChatAction(
                kind=action.kind.value,
                label=action.label,
                display=action.display,
                url=action.url,
                open_now=action.open_now,
            )
            for action in card.actions
        ],
        open_now=card.open_now,
        availability=card.availability,
        badges=list(card.badges),
        last_verified=card.last_verified,
        verified_note=card.verified_note,
    )


def _user_message(message: Message, label: str | None) -> ChatMessage:
    return ChatMessage(
        id=message.id,
        sender=ChatSender.USER,
        text=label or message.text,
        kind="info",
        created_at=message.created_at,
    )


def _learn_labels(labels: dict[str, str], message: Message) -> None:
    for quick in (message.payload or {}).get("quick_replies") or []:
        if isinstance(quick, dict) and "payload" in quick and "label" in quick:
            labels[str(quick["payload"])] = str(quick["label"])
