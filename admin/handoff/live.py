"""Live updates without reloading: server-sent event streams, and the queue watcher.

A stream polls the database about once a second in a short session of its own (never the
request's, which is closed before streaming starts) and sends an event only when what the page
shows has changed. Streams end after `STREAM_SECONDS`; the browser's EventSource reconnects by
itself, which also re-checks the staff session. A request that does not accept
`text/event-stream` gets the current state once instead of a stream.

The queue watcher runs for the app's lifetime and tells waiting users their new place in the
queue (`admin.handoff.queue_places`).
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from admin.handoff.queue_places import QueuePlaceAnnouncer
from admin.staff.duty import duty_status
from bot.channels.telegram_application import channel_of

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
STREAM_SECONDS = 120.0
RETRY_MILLISECONDS = 1000
EVENT_STREAM = "text/event-stream"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Update:
    """One event for the page: a name, the version it shows and its JSON data."""

    event: str
    version: str
    data: dict[str, Any]


# Reads what the page shows, in the given session at the given moment.
Snapshot = Callable[[AsyncSession, datetime], Awaitable[Update]]


def format_event(update: Update) -> str:
    payload = json.dumps({"version": update.version, **update.data}, ensure_ascii=False)
    return f"event: {update.event}\nid: {update.version}\ndata: {payload}\n\n"


def wants_stream(request: Request) -> bool:
    return EVENT_STREAM in request.headers.get("accept", "")


async def stream_updates(
    request: Request,
    sessions: async_sessionmaker[AsyncSession],
    snapshot: Snapshot,
    *,
    known_version: str = "",
    clock: Callable[[], datetime] = utc_now,
    poll_seconds: float = POLL_SECONDS,
    stream_seconds: float = STREAM_SECONDS,
) -> AsyncGenerator[str, None]:
    """Send `snapshot` whenever its version differs from the last one sent (or `known_version`)."""
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    loop = asyncio.get_running_loop()
    deadline = loop.time() + stream_seconds
    sent = known_version
    while loop.time() < deadline and not await request.is_disconnected():
        try:
            async with sessions() as session:
                update = await snapshot(session, clock())
        except Exception as error:  # a busy database: try again at the next tick
            log.warning("live update failed: %s", type(error).__name__)
        else:
            if update.version != sent:
                sent = update.version
                yield format_event(update)
            else:
                yield ": still here\n\n"  # keeps proxies from closing an idle connection
        await asyncio.sleep(poll_seconds)


@contextlib.asynccontextmanager
async def queue_watcher(app: FastAPI) -> AsyncIterator[None]:
    """The router's lifespan: run the queue-place announcer beside the app."""
    task = asyncio.create_task(watch_queue(app), name="handoff-queue-watcher")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def watch_queue(app: FastAPI, poll_seconds: float = POLL_SECONDS) -> None:
    announcer = QueuePlaceAnnouncer()
    while True:
        await asyncio.sleep(poll_seconds)
        runtime = getattr(app.state, "runtime", None)
        if runtime is None:
            continue
        try:
            await announce_places(runtime.sessions, announcer, utc_now())
        except Exception as error:  # the database may be briefly busy; try again next tick
            log.warning("queue place update failed: %s", type(error).__name__)


async def announce_places(
    sessions: async_sessionmaker[AsyncSession], announcer: QueuePlaceAnnouncer, now: datetime
) -> int:
    """One pass of the watcher in its own short transaction."""
    async with sessions() as session:
        duty = await duty_status(session, now)
        told = await announcer.announce(
            session, now, staffed=duty.staffed_now, available_staff=duty.available_staff
        )
        if told:
            await session.commit()
        return told


def wake_delivery(app: FastAPI) -> None:
    """Ask the Telegram outbox worker to send what is pending now rather than at its next poll.

    Called after the commit (as a background task); without Telegram it does nothing, and the
    web chat fetches new messages by itself.
    """
    runtime = getattr(app.state, "telegram", None)
    if runtime is not None:
        channel_of(runtime.application).delivery.wake()
