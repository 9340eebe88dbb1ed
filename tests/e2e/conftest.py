"""Browser-test fixtures: the real app served by uvicorn on loopback, and Debian's Chromium.

The server runs in a background thread on a fresh SQLite database (tables from the models, the
demo catalogue seeded). The NLU is the keyword engine from `tests/bot/fakes.py`, so what the
browser sees does not change when the model is retrained. Chromium comes from Debian
(`/usr/bin/chromium`, installed by `.ci/run`) and is driven by Playwright; it is never
downloaded. Without it the browser tests skip locally and fail under CI=true.
"""

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from admin.app import create_app
from admin.database import all_metadata, create_engine, create_session_factory
from admin.settings import Settings
from bot.channels.context import ChannelContext
from bot.dialogue.lookup import DutyStatus
from services_catalog.seeding import seed_demo
from tests.bot.fakes import KeywordEngine
from tests.conftest import require_in_ci

CHROMIUM = os.environ.get("FAMILIEVEIVISER_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


@dataclass
class LiveServer:
    url: str
    app: Any
    database_url: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _prepare_database(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for metadata in all_metadata():
                await connection.run_sync(metadata.create_all)
        async with create_session_factory(engine)() as session:
            await seed_demo(session)
            await session.commit()
    finally:
        await engine.dispose()


def _staffed(_session: AsyncSession, _now: datetime) -> DutyStatus:
    return DutyStatus(staffed_now=True, available_staff=1)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


@contextmanager
def municipality_site(folder: Path) -> Iterator[str]:
    """Another origin on loopback serving `folder`, like a municipality's site with the widget."""
    handler = partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("localhost", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="municipality-site", daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder: Path = tmp_path_factory.mktemp("webchat")
    database_url = f"sqlite+aiosqlite:///{folder}/e2e.sqlite3"
    asyncio.run(_prepare_database(database_url))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        demo=False,
        secret_key="browser-test-secret-that-is-long-enough",  # type: ignore[arg-type]
    )
    app = create_app(settings)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-e2e", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    context: ChannelContext = app.state.channel_context
    context.deps = replace(context.deps, nlu=KeywordEngine(), duty_status=_staffed)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", app=app, database_url=database_url)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        require_in_ci("Chromium", f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A fresh browser profile (own localStorage) on a phone-sized screen."""
    context = browser.new_context(viewport=PHONE, locale="nb-NO", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()
