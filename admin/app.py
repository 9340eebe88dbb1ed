"""The FastAPI application: the composition root wiring settings, database, NLU and channels."""

import asyncio
import contextlib
import gc
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from admin.catalogue.web import router as catalogue_router
from admin.database import create_engine, create_session_factory
from admin.handoff.web import router as handoff_router
from admin.housekeeping import tidy_every_hour
from admin.logs import configure_logging
from admin.nlu_engines import build_nlu
from admin.settings import Environment, Settings, get_settings
from admin.staff import duty
from admin.staff.audit import record_event
from admin.staff.models import ANONYMOUS_ACTOR, AuditAction
from admin.staff.security_headers import HeaderPolicy, SecurityHeadersMiddleware
from admin.staff.web import header_policies, install_staff_app
from admin.statistics.routes import router as statistics_router
from admin.telegram_runtime import router as telegram_router
from admin.telegram_runtime import telegram_running
from bot.catalogue import cached_catalogue_lookups
from bot.channels.context import ChannelContext, LazyEngine
from bot.channels.webchat_page import install_webchat
from bot.dialogue.lookup import DutyStatus
from bot.inbound import InboundDeps
from bot.models import Channel
from nlu.interpretation import Language


@dataclass
class Runtime:
    """What the running app holds for its whole life; stored on `app.state.runtime`."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check_production_secrets()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        app.state.runtime = Runtime(settings, engine, create_session_factory(engine))
        app.state.channel_context = build_channel_context(settings, app.state.runtime.sessions)
        warm_up = None
        if settings.demo or settings.environment is Environment.PRODUCTION:
            nlu = app.state.channel_context.deps.nlu
            warm_up = asyncio.create_task(asyncio.to_thread(nlu.prepare))  # a fast first reply
            warm_up.add_done_callback(freeze_startup_objects)
        housekeeping = asyncio.create_task(
            tidy_every_hour(app.state.runtime.sessions, settings.retention_days)
        )
        try:
            async with telegram_running(settings, app.state.channel_context) as telegram:
                app.state.telegram = telegram  # admin/telegram_runtime.py; None when off
                yield
        finally:
            housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await housekeeping
            if warm_up is not None:
                await warm_up
            await engine.dispose()

    app = FastAPI(
        title="Familieveiviser",
        description="Veiledningstjeneste for familier, barn og unge",
        lifespan=lifespan,
    )

    @app.get("/healthz", tags=["drift"])
    async def healthz() -> dict[str, str]:
        """Liveness and database reachability, for the municipality's monitoring."""
        runtime: Runtime = app.state.runtime
        async with runtime.sessions() as session:
            await session.execute(text("SELECT 1"))
        return {"status": "ok"}

    # The staff app at /admin (admin/staff), and security headers on every response: strict
    # under /admin; the public chat's own policy (framable by the municipality) goes in the list.
    install_staff_app(app, settings)
    app.include_router(handoff_router)  # /admin/queue, /admin/conversations/… (admin/handoff)
    install_webchat(app)  # the public web chat: /, /chat/…, /widget.js, /api/chat/… (bot/channels)
    app.include_router(telegram_router)  # POST /telegram/webhook (admin/telegram_runtime.py)
    app.include_router(catalogue_router)  # /admin/catalogue… (admin/catalogue)
    app.include_router(statistics_router)  # /admin/statistics… (admin/statistics)
    policies = [*header_policies(settings), *webchat_header_policies(settings)]
    app.add_middleware(SecurityHeadersMiddleware, policies=policies)

    return app


# --- The channels' wiring (bot/channels): one ChannelContext per process ---------------------


def build_channel_context(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> ChannelContext:
    """What every channel gets: sessions, the NLU (built on first use), catalogue, duty, secret."""
    return ChannelContext(
        sessions=sessions,
        deps=InboundDeps(
            nlu=LazyEngine(lambda: build_nlu(settings)),
            services=cached_catalogue_lookups(settings.municipality),
            duty_status=chat_duty_status(duty.DutyCache()),
            secret=settings.secret_key.get_secret_value().encode(),
            record_deletion=audit_user_deletion,
            default_language=Language(settings.default_language),
        ),
    )


def freeze_startup_objects(_warm_up: "asyncio.Task[None]") -> None:
    """Once the NLU model is loaded, what the process holds lives as long as the process.

    `gc.freeze` moves it out of the garbage collector's sight. Under load, full collections
    walked ~330,000 such objects and stopped every chat for up to 0.4 s; frozen, a quarter.
    """
    gc.collect()
    gc.freeze()


async def audit_user_deletion(
    session: AsyncSession, channel: Channel, conversation_id: uuid.UUID
) -> None:
    """A user deleted their conversation (/slett or the web chat's button): audit it, no content."""
    await record_event(
        session,
        ANONYMOUS_ACTOR,
        AuditAction.DELETED,
        target_type="conversation",
        target_id=str(conversation_id),
        details={"by": "user", "channel": channel.value},
    )


def chat_duty_status(
    cache: duty.DutyCache,
) -> Callable[[AsyncSession, datetime], Awaitable[DutyStatus]]:
    """The duty schedule and who is available, as the dialogue reads it (kept while fresh)."""

    async def status(session: AsyncSession, now: datetime) -> DutyStatus:
        found = await cache.status(session, now)
        return DutyStatus(
            staffed_now=found.staffed_now,
            next_opening=found.next_opening,
            available_staff=found.available_staff,
        )

    return status


def webchat_header_policies(settings: Settings) -> list[tuple[str, HeaderPolicy]]:
    """The chat page may be framed by the municipality's site (the widget); the API not cached."""
    https = settings.environment is Environment.PRODUCTION
    embedders = "'self' https:" if https else "'self' https: http://localhost:* http://127.0.0.1:*"
    return [
        ("/chat/", HeaderPolicy(frame_ancestors=embedders, hsts=https)),
        ("/api/chat/", HeaderPolicy(no_store=True, hsts=https)),
    ]
