"""Shared test fixtures: a real database per test, on SQLite and (when configured) PostgreSQL.

PostgreSQL runs when FAMILIEVEIVISER_TEST_POSTGRES_URL points at a server (for example
postgresql+asyncpg://fv@127.0.0.1:54329/postgres); `.ci/run` starts one. Under CI=true a missing
PostgreSQL fails the run instead of skipping, so CI can never pass on SQLite alone.
"""

import os
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from admin.database import all_metadata, create_engine, create_session_factory

POSTGRES_ENV = "FAMILIEVEIVISER_TEST_POSTGRES_URL"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def require_in_ci(what: str, reason: str) -> None:
    """Skip locally when `what` is missing; fail under CI, where everything must run."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI: {reason}")
    pytest.skip(f"{what} not available: {reason}")


async def _postgres_admin(url: str) -> asyncpg.Connection:
    parsed = make_url(url)
    return await asyncpg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database or "postgres",
    )


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> AsyncIterator[str]:
    """The URL of an empty database of the parametrised backend, dropped after the test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/test.sqlite3"
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        require_in_ci("PostgreSQL", f"set {POSTGRES_ENV}")
    assert server
    name = f"fv_test_{uuid.uuid4().hex[:12]}"
    admin = await _postgres_admin(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a fresh database whose tables come straight from the models."""
    engine = create_engine(db_url)
    async with engine.begin() as connection:
        for metadata in all_metadata():
            await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_session_factory(engine)() as session:
        yield session


@pytest.fixture(scope="session", autouse=True)
def shared_nlu_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Train the embedded NLU once per test run; every app and CLI in the tests loads that model."""
    os.environ.setdefault(
        "FAMILIEVEIVISER_CACHE_DIR", str(tmp_path_factory.mktemp("nlu-model-cache"))
    )
