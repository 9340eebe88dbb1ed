"""Database engines and sessions: the only place that turns a URL into connections.

Each package owns its tables on its own declarative base; the metadata of all of them together is
what migrations and tests create.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from admin.staff.models import StaffBase
from bot.models import ConversationBase
from services_catalog.models import CatalogBase


def all_metadata() -> list[MetaData]:
    """The metadata of every package's tables, in dependency order."""
    return [CatalogBase.metadata, ConversationBase.metadata, StaffBase.metadata]


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite gets one connection, WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # One connection per process: SQLite lets one writer in at a time anyway, and writers on
        # several connections wait in SQLite's busy loop (sleeps of up to 100 ms) instead of
        # in line; under load that made replies take seconds. Sessions queue for it instead.
        kwargs = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 30, **kwargs}
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def unit_of_work(
    factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


@asynccontextmanager
async def session_for(url: str) -> AsyncIterator[AsyncSession]:
    """One unit of work on its own short-lived engine: for CLI commands and start-up tasks."""
    engine = create_engine(url)
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            yield session
    finally:
        await engine.dispose()
