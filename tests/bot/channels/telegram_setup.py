"""What the Telegram tests share: a family-aware fake NLU, users, and the running application."""

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory
from bot.channels.context import ChannelContext
from bot.channels.telegram_application import (
    TelegramApp,
    TelegramMode,
    build_application,
    channel_of,
    running,
)
from bot.channels.telegram_delivery import TelegramDelivery
from bot.dialogue.texts import say
from bot.inbound import InboundDeps
from nlu.interpretation import Interpretation, Role, TopicScore
from tests.bot.fakes import KeywordEngine, deps
from tests.fakes.bot_api import FakeBotApi, TelegramUser

KARI = TelegramUser(
    id=555_0001, first_name="Kari", last_name="Nordmannsen", username="kari_n_1987",
    phone_number="+4791234567",
)  # fmt: skip
OLA = TelegramUser(id=555_0002, first_name="Ola", last_name="Testesen", username="ola_t_2001")

TEXT_ONLY = say("nb", "channel.text_only")
PRIVACY = say("nb", "channel.telegram_privacy")
TOO_FAST = say("nb", "channel.too_fast")


class FamilyEngine(KeywordEngine):
    """The keyword NLU, plus: "sover" is about small children; "2 år" is the child's age."""

    def interpret(self, text: str) -> Interpretation:
        heard = super().interpret(text)
        lowered = text.lower()
        if "sover" not in lowered:
            return heard
        return dataclasses.replace(
            heard,
            intent="small-children",
            topics=(TopicScore("small-children", 0.9),),
            age=2 if "2 år" in lowered else heard.age,
            role=Role.PARENT if "min" in lowered else heard.role,
        )


def family_deps() -> InboundDeps:
    # The real clock: the outbox compares retry times with it.
    return dataclasses.replace(deps(engine=FamilyEngine()), clock=lambda: datetime.now(UTC))


@asynccontextmanager
async def telegram_polling(fake: FakeBotApi, engine: AsyncEngine) -> AsyncIterator[TelegramApp]:
    """The real PTB application, polling the fake Bot API, with the outbox worker running."""
    context = ChannelContext(sessions=create_session_factory(engine), deps=family_deps())
    application = build_application(
        fake.token, context, mode=TelegramMode.POLLING, api_base_url=fake.api_root,
        outbox_poll_seconds=0.2,
    )  # fmt: skip
    async with running(application, poll_timeout=1):
        yield application


def delivery_of(application: TelegramApp) -> TelegramDelivery:
    return channel_of(application).delivery


def texts(calls: list[dict[str, Any]]) -> list[str]:
    return [str(call["text"]) for call in calls]


def buttons(call: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button of one sendMessage call."""
    rows = (call.get("reply_markup") or {}).get("inline_keyboard") or []
    return [(button["text"], button["callback_data"]) for row in rows for button in row]
