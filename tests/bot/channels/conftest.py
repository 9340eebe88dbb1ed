"""Fixtures for the channels: the fake Bot API and PTB polling it for Telegram; for the web chat
the whole app over ASGI on a fresh database with the demo catalogue.

The NLU is the keyword engine from `tests/bot/fakes.py` (the web chat is under test, not the
NLU), and the duty desk is a switch; everything else is real: routes, the inbound use case,
storage, the catalogue and its opening hours.
"""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from admin.app import create_app
from admin.database import create_session_factory
from admin.settings import Settings
from bot.channels.context import ChannelContext
from bot.channels.telegram_application import TelegramApp
from bot.dialogue.lookup import DutyStatus
from services_catalog.seeding import seed_demo
from tests.bot.channels.telegram_setup import telegram_polling
from tests.bot.fakes import KeywordEngine
from tests.fakes.bot_api import FakeBotApi, running

BASE_URL = "http://127.0.0.1:8000"
TEST_SECRET = "web-chat-test-secret-that-is-long-enough"


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    """A fake Telegram Bot API on loopback; it records every call."""
    with running() as server:
        yield server


@pytest.fixture
async def telegram(fake: FakeBotApi, engine: AsyncEngine) -> AsyncIterator[TelegramApp]:
    """The real PTB application polling the fake, with its outbox worker."""
    async with telegram_polling(fake, engine) as application:
        yield application


@dataclass
class DutyDesk:
    """Whether a person is on chat duty, switchable per test."""

    staffed: bool = True

    def status(self, _session: AsyncSession, _now: datetime) -> DutyStatus:
        return DutyStatus(staffed_now=self.staffed, available_staff=1 if self.staffed else 0)


@pytest.fixture
def duty_desk() -> DutyDesk:
    return DutyDesk()


@pytest.fixture
async def seeded(engine: AsyncEngine) -> AsyncEngine:
    async with create_session_factory(engine)() as session:
        await seed_demo(session)
        await session.commit()
    return engine


@pytest.fixture
async def chat_app(db_url: str, seeded: AsyncEngine, duty_desk: DutyDesk) -> AsyncIterator[FastAPI]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db_url,
        demo=False,
        secret_key=TEST_SECRET,  # type: ignore[arg-type]
        public_base_url=BASE_URL,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        context: ChannelContext = app.state.channel_context
        context.deps = replace(context.deps, nlu=KeywordEngine(), duty_status=duty_desk.status)
        yield app


@pytest.fixture
async def client(chat_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=chat_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


@pytest.fixture
def sessions(chat_app: FastAPI) -> ChannelContext:
    context: ChannelContext = chat_app.state.channel_context
    return context
