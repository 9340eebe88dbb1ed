"""Building and running the python-telegram-bot `Application` for the Telegram channel.

Plain arguments only: the composition root reads the settings and picks the mode. Webhook mode
builds the application without an updater (our own route feeds `feed_update`); polling mode runs
PTB's updater, for a laptop demo with a real token. `running` starts the application and the
outbox worker together and stops them in the right order.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from enum import StrEnum
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, Application

from bot.channels.context import ChannelContext
from bot.channels.telegram import BOT_DATA_KEY, TelegramChannel, install_handlers
from bot.channels.telegram_delivery import TelegramDelivery

TelegramApp = Application[Any, Any, Any, Any, Any, Any]

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
CONCURRENT_UPDATES = 8  # per-user order is kept by a lock per user in the handlers


class TelegramMode(StrEnum):
    WEBHOOK = "webhook"
    POLLING = "polling"


def build_application(
    token: str,
    context: ChannelContext,
    *,
    mode: TelegramMode = TelegramMode.WEBHOOK,
    api_base_url: str = "",
    outbox_poll_seconds: float = 1.0,
) -> TelegramApp:
    """The application with our handlers; `api_base_url` is a Bot API server's root URL."""
    quiet_library_logs()
    builder = (
        Application.builder()
        .token(token)
        .concurrent_updates(CONCURRENT_UPDATES)
        .rate_limiter(AIORateLimiter())
    )
    if api_base_url:
        root = api_base_url.rstrip("/")
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    if mode is TelegramMode.WEBHOOK:
        builder = builder.updater(None)
    application: TelegramApp = builder.build()
    delivery = TelegramDelivery.for_bot(
        application.bot, context.sessions, context.deps.secret, poll_seconds=outbox_poll_seconds
    )
    install_handlers(application, TelegramChannel(context, delivery))
    return application


def channel_of(application: TelegramApp) -> TelegramChannel:
    channel = application.bot_data[BOT_DATA_KEY]
    assert isinstance(channel, TelegramChannel)
    return channel


@contextlib.asynccontextmanager
async def running(
    application: TelegramApp,
    *,
    webhook_url: str = "",
    webhook_secret: str = "",
    poll_timeout: int = 10,
) -> AsyncIterator[TelegramApp]:
    """Start (polling, or registering the webhook), run the outbox worker, stop cleanly."""
    await application.initialize()
    try:
        if application.updater is not None:
            await application.updater.start_polling(
                timeout=poll_timeout, poll_interval=0.0, allowed_updates=ALLOWED_UPDATES
            )
        elif webhook_url:
            await application.bot.set_webhook(
                url=webhook_url,
                secret_token=webhook_secret or None,
                allowed_updates=ALLOWED_UPDATES,
            )
        await application.start()
        worker = asyncio.create_task(
            channel_of(application).delivery.run(), name="telegram-delivery"
        )
        try:
            yield application
        finally:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()


async def feed_update(application: TelegramApp, data: dict[str, Any]) -> None:
    """An update that arrived on our webhook (already authenticated) into PTB's queue.

    Raises ValueError/KeyError/TypeError for a body that is not an update.
    """
    update = Update.de_json(data, application.bot)
    if update is None:
        raise ValueError("empty update")
    await application.update_queue.put(update)


def quiet_library_logs() -> None:
    """Keep user text, names and the token out of the logs, whatever the root level is.

    PTB logs API parameters and updates (text, names) at DEBUG, httpx logs URLs with the bot token
    at INFO, and aiosqlite logs SQL parameters (message text) at DEBUG.
    """
    logging.getLogger("telegram").setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
