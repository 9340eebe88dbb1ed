"""Sending to Telegram users: rendered replies out, and the worker that drains the outbox.

Store first, then deliver (`bot.delivery`): bot replies, staff replies and system lines are rows
with delivery `pending` before anything is sent. One worker per process runs the outbox, woken at
once by the Telegram handlers and otherwise every `poll_seconds` — that is how a staff reply
written in the admin app reaches the user. A failed send stays pending with its error and is
retried with back-off by the outbox; Telegram errors that retrying cannot heal (the user blocked
the bot, a bad request, no chat id) are reported as `PermanentFailure`.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.channels.telegram_render import render_reply
from bot.delivery import ChannelSender, DeliveryReport, Outbox, OutboxItem, PermanentFailure
from bot.messages import Reply
from bot.models import Channel

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


async def send_reply(bot: Bot, chat_id: str, reply: Reply) -> None:
    """One reply as Telegram message(s): HTML, no link previews, the keyboard on the last part."""
    for part in render_reply(reply):
        await bot.send_message(
            chat_id=int(chat_id),
            text=part.html,
            parse_mode=ParseMode.HTML,
            reply_markup=part.keyboard,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )


def telegram_sender(bot: Bot) -> ChannelSender:
    """The outbox's sender for Telegram conversations."""

    async def send(item: OutboxItem) -> None:
        if item.address is None:
            raise PermanentFailure("no readable Telegram chat id on the conversation")
        try:
            await send_reply(bot, item.address, item.reply)
        except (Forbidden, BadRequest, ChatMigrated) as error:
            raise PermanentFailure(f"{type(error).__name__}: {error.message}") from error

    return send


class TelegramDelivery:
    """The outbox worker: delivers due messages now when woken, else every `poll_seconds`."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Outbox,
        *,
        poll_seconds: float = 1.0,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.sessions = sessions
        self.outbox = outbox
        self.poll_seconds = poll_seconds
        self.clock = clock
        self._wake = asyncio.Event()

    @classmethod
    def for_bot(
        cls,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        secret: bytes,
        *,
        poll_seconds: float = 1.0,
    ) -> "TelegramDelivery":
        """A worker with its own outbox that delivers Telegram conversations through `bot`."""
        outbox = Outbox(secret)
        outbox.register(Channel.TELEGRAM, telegram_sender(bot))
        return cls(sessions, outbox, poll_seconds=poll_seconds)

    def wake(self) -> None:
        """Something new is pending: deliver now rather than at the next poll."""
        self._wake.set()

    async def deliver_due(self) -> DeliveryReport:
        """One pass over the outbox."""
        return await self.outbox.deliver_due(self.sessions, self.clock())

    async def run(self) -> None:
        """Deliver until cancelled; a failing pass is logged and the loop goes on."""
        while True:
            self._wake.clear()
            try:
                await self.deliver_due()
            except Exception as error:  # the database may be briefly unavailable
                log.error("telegram delivery pass failed: %s", type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
