"""Live parts of the handoff: the server-sent event stream, the waiting user's place updates and
crisis flags on messages written while staff hold the conversation."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from admin.database import create_session_factory, unit_of_work
from admin.handoff.live import Update, stream_updates
from admin.handoff.queue_places import QUEUE_PLACE_EVENT, QueuePlaceAnnouncer
from admin.handoff.queue_routes import queue_update
from admin.handoff.queue_view import load_queue_board
from admin.staff.models import Role
from bot import handoff
from bot.inbound import InboundMessage, handle_message
from bot.models import Channel, Message, Sender
from tests.admin.handoff_factories import staff_the_duty, utc_now, waiting_user
from tests.admin.staff_factories import add_staff, log_in
from tests.bot.fakes import deps


class ConnectedBrowser:
    """What `stream_updates` asks of the request: whether the browser is still there."""

    def __init__(self) -> None:
        self.gone = False

    async def is_disconnected(self) -> bool:
        return self.gone


async def queue_snapshot(session: AsyncSession, at: object) -> Update:
    now = utc_now()
    return queue_update(await load_queue_board(session, now, viewer_id=1), "token", now)


async def next_event(chunks: AsyncIterator[str], within: float) -> dict[str, object]:
    async def first_event() -> dict[str, object]:
        async for chunk in chunks:
            if chunk.startswith("event: queue"):
                data = chunk.split("data: ", 1)[1]
                parsed: dict[str, object] = json.loads(data)
                return parsed
        raise AssertionError("the stream ended")

    return await asyncio.wait_for(first_event(), within)


async def told_places(engine: AsyncEngine) -> list[tuple[str, int]]:
    async with create_session_factory(engine)() as session:
        result = await session.scalars(
            select(Message).where(Message.sender == Sender.SYSTEM).order_by(Message.id)
        )
        return [
            (str(m.conversation_id), int((m.payload or {})["position"]))
            for m in result
            if (m.payload or {}).get("event") == QUEUE_PLACE_EVENT
        ]


async def test_a_new_request_reaches_an_open_queue_stream_within_two_seconds(
    engine: AsyncEngine,
) -> None:
    browser = ConnectedBrowser()
    chunks = stream_updates(
        browser,  # type: ignore[arg-type]
        create_session_factory(engine),
        queue_snapshot,
        stream_seconds=30,
    )
    assert (await anext(chunks)).startswith("retry: ")
    empty = await next_event(chunks, within=3)
    assert empty["waiting"] == []

    started = time.monotonic()
    conversation_id = await waiting_user(engine, "Jeg trenger hjelp nå")
    arrived = await next_event(chunks, within=3)
    latency = time.monotonic() - started

    assert arrived["waiting"] == [str(conversation_id)]
    assert "Jeg trenger hjelp nå" in str(arrived["html"])
    assert latency < 2.0, latency
    browser.gone = True
    await chunks.aclose()


async def test_the_stream_only_sends_when_the_queue_changes(engine: AsyncEngine) -> None:
    await waiting_user(engine, "Hei")
    async with create_session_factory(engine)() as session:
        version = (await queue_snapshot(session, None)).version
    chunks = stream_updates(
        ConnectedBrowser(),  # type: ignore[arg-type]
        create_session_factory(engine),
        queue_snapshot,
        known_version=version,
        poll_seconds=0.05,
        stream_seconds=0.5,
    )
    sent = [chunk async for chunk in chunks]
    assert not [chunk for chunk in sent if chunk.startswith("event:")]
    assert sent[0].startswith("retry: ")


async def test_waiting_users_are_told_their_new_place_when_it_changes(
    engine: AsyncEngine,
) -> None:
    first = await waiting_user(engine, "En", waited=timedelta(minutes=9))
    second = await waiting_user(engine, "To", waited=timedelta(minutes=6))
    third = await waiting_user(engine, "Tre", waited=timedelta(minutes=3))
    announcer = QueuePlaceAnnouncer()
    sessions = create_session_factory(engine)

    async with unit_of_work(sessions) as session:  # duty closed: nobody is told anything
        assert await announcer.announce(session, utc_now(), staffed=False, available_staff=0) == 0
    async with unit_of_work(sessions) as session:  # duty opens: everyone learns their place
        assert await announcer.announce(session, utc_now(), staffed=True, available_staff=1) == 3
    async with unit_of_work(sessions) as session:
        await handoff.take_over(session, first, staff_id=7, now=utc_now())
    async with unit_of_work(sessions) as session:
        assert await announcer.announce(session, utc_now(), staffed=True, available_staff=1) == 2
    async with unit_of_work(sessions) as session:  # nothing changed: nothing said
        assert await announcer.announce(session, utc_now(), staffed=True, available_staff=1) == 0

    assert await told_places(engine) == [
        (str(first), 1),
        (str(second), 2),
        (str(third), 3),
        (str(second), 1),
        (str(third), 2),
    ]
    async with sessions() as session:
        texts = list(
            await session.scalars(
                select(Message.text).where(Message.conversation_id == third).order_by(Message.id)
            )
        )
    assert texts[-1] == "Du er nummer 2 i køen. Det tar omtrent 16 minutter."

    # After a restart the announcer reads what was told and does not repeat it.
    async with unit_of_work(sessions) as session:
        fresh = QueuePlaceAnnouncer()
        assert await fresh.announce(session, utc_now(), staffed=True, available_staff=1) == 0


async def test_a_user_who_just_asked_is_not_told_their_place_twice(engine: AsyncEngine) -> None:
    await waiting_user(engine, "Nå", waited=timedelta(seconds=1))
    async with unit_of_work(create_session_factory(engine)) as session:
        told = await QueuePlaceAnnouncer().announce(
            session, utc_now(), staffed=True, available_staff=1
        )
    assert told == 0


async def test_the_running_app_tells_the_next_in_line_when_a_colleague_claims(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    first = await waiting_user(engine, "En", waited=timedelta(seconds=3))
    second = await waiting_user(engine, "To", waited=timedelta(seconds=2))
    await add_staff(engine, "kari", Role.VEILEDER)
    await staff_the_duty(engine, "kari")
    token = await log_in(client, "kari")
    await asyncio.sleep(1.5)  # the watcher has seen both waiting

    await client.post(f"/admin/conversations/{first}/claim", data={"csrf_token": token})

    deadline = time.monotonic() + 3
    while (str(second), 1) not in await told_places(engine):
        assert time.monotonic() < deadline, await told_places(engine)
        await asyncio.sleep(0.2)


async def test_crisis_detection_flags_new_messages_while_staff_hold_the_conversation(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    conversation_id = await waiting_user(engine, "Hei", browser_key="nettleser-nokkel-1234567890")
    await add_staff(engine, "kari", Role.VEILEDER)
    token = await log_in(client, "kari")
    await client.post(f"/admin/conversations/{conversation_id}/claim", data={"csrf_token": token})
    before = (await client.get(f"/admin/conversations/{conversation_id}/events")).json()
    assert before["crisis"] is False

    async with create_session_factory(engine)() as session:
        result = await handle_message(
            session,
            InboundMessage(
                channel=Channel.WEB,
                channel_user_id="nettleser-nokkel-1234567890",
                text="Jeg tenker på selvmord",
                conversation_id=conversation_id,
            ),
            deps(now=utc_now()),
        )
        await session.commit()
    assert result.replies == []  # the bot stays silent while a person holds it

    after = (await client.get(f"/admin/conversations/{conversation_id}/events")).json()
    assert after["version"] != before["version"]
    assert after["crisis"] is True
    assert "Jeg tenker på selvmord" in after["transcript"]
    assert "Krise: Akutt krise" in after["transcript"]
    assert "Krisemarkert: Akutt krise" in after["status"]
