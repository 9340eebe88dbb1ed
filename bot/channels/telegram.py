"""The Telegram channel: python-telegram-bot handlers that feed the one inbound use case.

Every typed message and every tapped button goes through `bot.inbound.handle_message` (crisis
detection first, always); the replies are stored as pending and the outbox worker
(`telegram_delivery`) sends them, so a handler never sends a stored message itself. Anything that
is not text gets one polite "I can only read text". Users are pseudonymous: the Telegram user id
becomes an HMAC key and the chat id is stored encrypted; names, usernames and shared phone
numbers are never read into storage or logs. Group chats are ignored: this is a one-to-one line.

```mermaid
flowchart LR
    U["update"] --> F{"flood guard<br/>per user key"}
    F -- "over the limit, no crisis" --> N["one 'too fast' notice, then drop"]
    F -- "ok" --> K{"kind"}
    K -- "text / tapped button" --> I["handle_message -> pending replies"] --> O["delivery.wake()"]
    K -- "sticker, photo, edit, …" --> T["channel.text_only"]
```
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from weakref import WeakValueDictionary

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.context import ChannelContext
from bot.channels.telegram_delivery import TelegramDelivery, send_reply
from bot.channels.telegram_flood import FloodGuard, Verdict
from bot.conversations import add_message, find_open, get_conversation
from bot.dialogue.texts import say
from bot.inbound import InboundMessage, InboundResult, handle_message
from bot.messages import Reply
from bot.models import Channel, Message, Sender
from bot.pseudonyms import user_key
from bot.transcript import reply_payload
from nlu.crisis import detect_crisis
from nlu.interpretation import CrisisLevel

log = logging.getLogger(__name__)

BOT_DATA_KEY = "familieveiviser"
Context = ContextTypes.DEFAULT_TYPE


@dataclass
class TelegramChannel:
    """What the handlers share: storage and deps, the outbox, flood control, per-user order."""

    context: ChannelContext
    delivery: TelegramDelivery
    flood: FloodGuard = field(default_factory=FloodGuard)
    _locks: "WeakValueDictionary[str, asyncio.Lock]" = field(default_factory=WeakValueDictionary)

    def lock_for(self, key: str) -> asyncio.Lock:
        """One user's updates are handled one at a time, in order; other users run alongside."""
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock


def install_handlers(application: Application, channel: TelegramChannel) -> None:
    """All the wiring in one place: which update goes to which handler."""
    application.bot_data[BOT_DATA_KEY] = channel
    private = filters.ChatType.PRIVATE
    fresh = filters.UpdateType.MESSAGE
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(private & filters.UpdateType.EDITED, on_edited))
    application.add_handler(MessageHandler(private & fresh & filters.TEXT, on_text))
    not_text = ~filters.TEXT & ~filters.StatusUpdate.ALL
    application.add_handler(MessageHandler(private & fresh & not_text, on_not_text))
    application.add_error_handler(on_error)


async def on_text(update: Update, context: Context) -> None:
    """A typed message or command goes to the dialogue."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None or message.text is None:
        return
    await converse(_channel(context), context, user.id, chat.id, message.text)


async def on_button(update: Update, context: Context) -> None:
    """A tapped quick reply: acknowledge it, take its keyboard away, answer its payload."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None:
        return
    await query.answer()
    if query.message is not None and query.message.is_accessible:
        # Already edited or too old to edit: the tap still counts.
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(reply_markup=None)
    chat_id = chat.id if chat is not None else user.id
    await converse(_channel(context), context, user.id, chat_id, query.data or "")


async def on_not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice, video, documents, locations, contacts: only text can be read."""
    await _tell_text_only(update, context)


async def on_edited(update: Update, context: Context) -> None:
    """An edited message is not read again: the user is asked to write a new one."""
    await _tell_text_only(update, context)


async def on_error(update: object, context: Context) -> None:
    """Log what failed and where, never the message, names or numbers."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("telegram update %s failed: %s", update_id, type(context.error).__name__)


async def converse(
    channel: TelegramChannel, context: Context, user_id: int, chat_id: int, text: str
) -> None:
    """One user message through flood control and the inbound use case; wakes the outbox."""
    key = user_key(channel.context.deps.secret, Channel.TELEGRAM, str(user_id))
    verdict = channel.flood.check(key)
    if verdict is not Verdict.ALLOW and detect_crisis(text).level is CrisisLevel.NONE:
        if verdict is Verdict.NOTICE:
            await _say(channel, context, key, chat_id, "channel.too_fast")
        return  # a crisis is never dropped, however fast the user writes
    inbound = InboundMessage(
        channel=Channel.TELEGRAM,
        channel_user_id=str(user_id),
        text=text,
        delivery_address=str(chat_id),
    )
    async with channel.lock_for(key):
        result = await _answer(channel, inbound)
        if result.deleted:  # the conversation is gone: its last replies were never stored
            for reply in result.replies:
                await send_reply(context.bot, str(chat_id), reply)
    channel.delivery.wake()


async def _answer(channel: TelegramChannel, inbound: InboundMessage) -> InboundResult:
    async with channel.context.sessions() as session:
        result = await handle_message(session, inbound, channel.context.deps)
        # A rating or its comment is kept on the closed conversation: no user message, no notice.
        stored = result.user_message_id is not None and result.conversation_id is not None
        if stored and not result.deleted:
            await _tell_privacy_once(session, result, channel.context.deps.clock())
        await session.commit()
    return result


async def _tell_privacy_once(session: AsyncSession, result: InboundResult, now: datetime) -> None:
    """After the first answer of a conversation: what Telegram itself can see (stored, sent)."""
    assert result.conversation_id is not None
    users = await session.scalar(
        select(func.count())
        .select_from(Message)
        .where(Message.conversation_id == result.conversation_id, Message.sender == Sender.USER)
    )
    if users != 1:
        return
    conversation = await get_conversation(session, result.conversation_id)
    notice = Reply(text=say(conversation.language, "channel.telegram_privacy"))
    await add_message(
        session,
        conversation,
        sender=Sender.BOT,
        text=notice.text,
        payload=reply_payload(notice),
        now=now,
    )


async def _tell_text_only(update: Update, context: Context) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    channel = _channel(context)
    key = user_key(channel.context.deps.secret, Channel.TELEGRAM, str(user.id))
    verdict = channel.flood.check(key)
    if verdict is Verdict.DROP:
        return
    text_key = "channel.text_only" if verdict is Verdict.ALLOW else "channel.too_fast"
    await _say(channel, context, key, chat.id, text_key)


async def _say(
    channel: TelegramChannel, context: Context, key: str, chat_id: int, text_key: str
) -> None:
    """A channel notice, sent directly (not stored) in the user's language."""
    async with channel.context.sessions() as session:
        conversation = await find_open(session, Channel.TELEGRAM, key)
    language = conversation.language if conversation is not None else "nb"
    await send_reply(context.bot, str(chat_id), Reply(text=say(language, text_key)))


def _channel(context: Context) -> TelegramChannel:
    channel = context.bot_data[BOT_DATA_KEY]
    assert isinstance(channel, TelegramChannel)
    return channel
