"""Telegram inside the app: python-telegram-bot started and stopped in the lifespan, and the
webhook route that only accepts requests carrying Telegram's secret token.

Webhook mode (production) runs PTB without an updater: `POST /telegram/webhook` checks the
`X-Telegram-Bot-Api-Secret-Token` header with a constant-time comparison and puts the update on
PTB's queue; the webhook is registered at `public_base_url + /telegram/webhook` on start. Polling
mode (a laptop demo with a real token) runs PTB's updater instead. No token: Telegram is off.
"""

import hmac
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response

from admin.settings import Settings
from bot.channels.context import ChannelContext
from bot.channels.telegram_application import (
    TelegramApp,
    TelegramMode,
    build_application,
    feed_update,
    running,
)

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1_000_000

router = APIRouter()


@dataclass(frozen=True)
class TelegramRuntime:
    """The running Telegram channel; stored on `app.state.telegram` (None when off)."""

    application: TelegramApp
    mode: TelegramMode
    webhook_secret: str


@asynccontextmanager
async def telegram_running(
    settings: Settings, context: ChannelContext
) -> AsyncIterator[TelegramRuntime | None]:
    """Run Telegram for the app's lifetime in the configured mode; yields None when it is off."""
    if not settings.telegram_enabled:
        yield None
        return
    mode = TelegramMode(settings.telegram_mode)
    # Without a configured secret (development only: production refuses to start) a random one
    # per process still keeps strangers from posting updates.
    secret = settings.telegram_webhook_secret.get_secret_value() or secrets.token_urlsafe(32)
    application = build_application(
        settings.telegram_token.get_secret_value(),
        context,
        mode=mode,
        api_base_url=settings.telegram_api_base_url,
    )
    webhook_url = settings.public_base_url.rstrip("/") + WEBHOOK_PATH
    async with running(
        application,
        webhook_url=webhook_url if mode is TelegramMode.WEBHOOK else "",
        webhook_secret=secret,
    ):
        log.info("telegram channel running in %s mode", mode.value)
        yield TelegramRuntime(application, mode, secret)


@router.post(WEBHOOK_PATH, include_in_schema=False)
async def telegram_webhook(request: Request) -> Response:
    """One update from Telegram; refused (403) without the right secret token header."""
    runtime: TelegramRuntime | None = getattr(request.app.state, "telegram", None)
    if runtime is None or runtime.mode is not TelegramMode.WEBHOOK:
        return Response(status_code=404)
    given = request.headers.get(SECRET_HEADER)
    if given is None or not hmac.compare_digest(given.encode(), runtime.webhook_secret.encode()):
        log.warning(
            "telegram webhook request refused: %s secret token",
            "missing" if given is None else "wrong",
        )
        return Response(status_code=403)
    data = await _update_body(request)
    if data is None:
        return Response(status_code=400)
    try:
        await feed_update(runtime.application, data)
    except (ValueError, KeyError, TypeError):
        log.warning("telegram webhook request refused: not an update")
        return Response(status_code=400)
    return Response(status_code=200)


async def _update_body(request: Request) -> dict[str, Any] | None:
    body = await request.body()
    if len(body) > MAX_UPDATE_BYTES:
        return None
    try:
        data = await request.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
