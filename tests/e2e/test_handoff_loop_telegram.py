"""The handoff loop with a Telegram user: the real python-telegram-bot `Application` polling the
fake Bot API on loopback (with its outbox worker), and the staff app over HTTP on the same
database — the veileder's reply reaches the user only through the channel's own delivery.

The user asks for a person; the veileder claims the conversation and replies; the fake records
the `sendMessage` with the reply; the user answers and the bot stays silent; the veileder closes;
the user gets the closing message and the rating buttons, taps one, writes the comment the
goodbye offers, and both are stored.
"""

import asyncio
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.app import create_app
from admin.database import create_session_factory
from admin.settings import Settings
from admin.staff.models import Role
from bot.models import Conversation, Outcome
from tests.admin.staff_factories import BASE_URL, add_staff, log_in
from tests.bot.channels.telegram_setup import (
    KARI,
    buttons,
    family_deps,
    telegram_polling,
    texts,
)
from tests.bot.factories import SECRET
from tests.fakes import telegram_updates as tg
from tests.fakes.bot_api import FakeBotApi, running

WEBHOOK_SECRET = "webhook-secret-for-handoff-tests-0123456789"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
COMMENT = "Veilederen svarte raskt og var hyggelig."
REPLY = "Hei, jeg heter Ola og har vakt i kommunen i dag. Hva lurer du på?"


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with running() as server:
        yield server


def seen_by(fake: FakeBotApi) -> list[str]:
    return texts(fake.sent_to(KARI.id))


async def test_a_telegram_user_gets_the_veileders_reply_and_the_closing_message(
    fake: FakeBotApi, db_url: str, engine: AsyncEngine
) -> None:
    """PTB polling the fake beside the app: only the channel's own outbox delivers."""
    app = create_app(Settings(_env_file=None, database_url=db_url, demo=False))
    await add_staff(engine, "ola", Role.VEILEDER)
    async with (
        app.router.lifespan_context(app),
        telegram_polling(fake, engine),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client,
    ):

        async def user_sends(update: dict[str, Any]) -> None:
            fake.feed(update)

        await the_loop(fake, client, engine, user_sends)


async def test_the_same_loop_through_the_apps_own_telegram_webhook(
    fake: FakeBotApi, db_url: str, engine: AsyncEngine
) -> None:
    """Telegram inside the app (webhook mode); staff actions wake its outbox worker."""
    settings = Settings(
        _env_file=None,
        database_url=db_url,
        secret_key=SECRET.decode(),
        demo=False,
        telegram_token=fake.token,
        telegram_webhook_secret=WEBHOOK_SECRET,
        telegram_mode="webhook",
        telegram_api_base_url=fake.api_root,
        public_base_url=BASE_URL,
    )
    app = create_app(settings)
    await add_staff(engine, "ola", Role.VEILEDER)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client,
    ):
        app.state.channel_context.deps = family_deps()  # the keyword NLU, a staffed duty

        async def user_sends(update: dict[str, Any]) -> None:
            response = await client.post(
                "/telegram/webhook", json=fake.stamp(update), headers={HEADER: WEBHOOK_SECRET}
            )
            assert response.status_code == 200

        await the_loop(fake, client, engine, user_sends)


async def the_loop(
    fake: FakeBotApi,
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    user_sends: Callable[[dict[str, Any]], Awaitable[None]],
) -> None:
    await user_sends(tg.text(KARI, "Kan jeg snakke med en person?"))
    await fake.until(lambda: any("i køen" in t for t in seen_by(fake)), what="the queue place")

    csrf = await log_in(client, "ola")
    queue = (await client.get("/admin/queue/events")).json()
    assert len(queue["waiting"]) == 1
    conversation_id = uuid.UUID(queue["waiting"][0])
    assert "Telegram" in queue["html"]
    assert "Kan jeg snakke med en person?" in queue["html"]
    assert KARI.first_name not in queue["html"] and KARI.username not in queue["html"]

    claim = await client.post(
        f"/admin/conversations/{conversation_id}/claim", data={"csrf_token": csrf}
    )
    assert claim.status_code == 303
    await fake.until(
        lambda: "En veileder fra kommunen har kommet inn i samtalen." in seen_by(fake),
        what="the staff-joined line",
    )

    replied = time.monotonic()
    reply = await client.post(
        f"/admin/conversations/{conversation_id}/reply", data={"text": REPLY, "csrf_token": csrf}
    )
    assert reply.status_code == 303
    await fake.until(lambda: REPLY in seen_by(fake), seconds=3, what="the veileder's reply")
    print(f"reply reached Telegram after {time.monotonic() - replied:.2f} s")
    page = await client.get(f"/admin/conversations/{conversation_id}")
    assert re.search(r'class="delivery delivery-delivered">\s*Sendt', page.text)

    # The user answers: the bot stays silent, the veileder sees it on the page.
    answers_before = len(seen_by(fake))
    await user_sends(tg.text(KARI, "Det gjelder søvnen til datteren min"))
    url = f"/admin/conversations/{conversation_id}/events"
    for _ in range(100):
        if "søvnen til datteren min" in (await client.get(url)).json()["transcript"]:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the user's message never reached the staff page")
    assert len(seen_by(fake)) == answers_before

    close = await client.post(
        f"/admin/conversations/{conversation_id}/close",
        data={"csrf_token": csrf, "outcome": Outcome.NO_FURTHER_NEED.value},
    )
    assert close.status_code == 303
    await fake.until(
        lambda: (
            "Samtalen med veilederen er avsluttet. Takk for at du tok kontakt!" in seen_by(fake)
        ),
        what="the closing message",
    )
    await fake.until(lambda: "karakter fra 1 til 5" in seen_by(fake)[-1], what="the rating")
    invitation = fake.sent_to(KARI.id)[-1]
    assert [data for _label, data in buttons(invitation)] == [f"rating:{n}" for n in range(1, 6)]

    await user_sends(tg.button(KARI, "rating:5"))
    await fake.until(lambda: "kort kommentar" in seen_by(fake)[-1], what="the comment offer")
    assert buttons(fake.sent_to(KARI.id)[-1]) == [("Hopp over", "rating-comment:skip")]
    await user_sends(tg.text(KARI, COMMENT))
    await fake.until(lambda: "Takk for kommentaren!" in seen_by(fake)[-1], what="the goodbye")
    async with create_session_factory(engine)() as session:
        closed = await session.get(Conversation, conversation_id)
    assert closed is not None
    assert (closed.outcome, closed.rating) == (Outcome.NO_FURTHER_NEED, 5)
    assert closed.rating_comment == COMMENT
