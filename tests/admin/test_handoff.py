"""The handoff queue and the takeover page over HTTP: order, access, claiming, replying,
delivery state, closing, audit and escaping — as staff and the waiting user would notice."""

import asyncio
import re
import uuid
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory, unit_of_work
from admin.handoff import queue_routes
from admin.staff.accounts import set_availability
from admin.staff.models import AuditAction, AuditEvent, Role
from admin.staff.routes.auth import LOGIN_PATH
from bot import handoff
from bot.delivery import mark_failed
from bot.dialogue.turn import Priority
from bot.models import (
    Channel,
    Conversation,
    ConversationMode,
    DeliveryState,
    Message,
    Outcome,
    Sender,
)
from bot.transcript import reply_of
from nlu.interpretation import CrisisLevel
from tests.admin.handoff_factories import users_transcript, utc_now, waiting_user
from tests.admin.staff_factories import BASE_URL, add_staff, log_in

HTMX = {"HX-Request": "true"}
ROW_IDS = re.compile(r'class="queue-row[^"]*" data-id="([0-9a-f-]+)"')


def browser(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL)


async def conversation(engine: AsyncEngine, conversation_id: uuid.UUID) -> Conversation:
    async with create_session_factory(engine)() as session:
        found = await session.get(Conversation, conversation_id)
        assert found is not None
        return found


async def messages(engine: AsyncEngine, conversation_id: uuid.UUID) -> list[Message]:
    async with create_session_factory(engine)() as session:
        result = await session.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
        return list(result)


async def veileder(client: httpx.AsyncClient, engine: AsyncEngine, name: str = "kari") -> str:
    await add_staff(engine, name, Role.VEILEDER)
    return await log_in(client, name)


async def claimed(
    client: httpx.AsyncClient, token: str, conversation_id: uuid.UUID
) -> httpx.Response:
    response = await client.post(
        f"/admin/conversations/{conversation_id}/claim", data={"csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return response


# --- The queue -----------------------------------------------------------------------------


async def test_queue_lists_acute_first_then_concern_then_the_longest_waiting(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    long_wait = await waiting_user(engine, "Lurer på barnehage", waited=timedelta(minutes=30))
    short_wait = await waiting_user(engine, "Spørsmål om skole", waited=timedelta(minutes=2))
    concern = await waiting_user(
        engine,
        "Jeg er så lei meg hele tiden",
        priority=Priority.CONCERN,
        crisis=CrisisLevel.CONCERN,
        waited=timedelta(minutes=5),
    )
    acute = await waiting_user(
        engine,
        "Han slår meg",
        priority=Priority.ACUTE,
        crisis=CrisisLevel.ACUTE,
        waited=timedelta(seconds=20),
        topics=("violence-abuse",),
        age=14,
        role="youth",
        channel=Channel.TELEGRAM,
    )
    await veileder(client, engine)

    page = await client.get("/admin/queue")

    assert page.status_code == 200
    assert ROW_IDS.findall(page.text) == [str(acute), str(concern), str(long_wait), str(short_wait)]
    first_row = page.text[page.text.index(str(acute)) : page.text.index(str(concern))]
    for shown in ("Akutt", "Telegram", "Vold og overgrep", "Alder: 14", "Ungdom", "Han slår meg"):
        assert shown in first_row, shown
    assert "30 min" in page.text


async def test_the_queue_needs_a_login_and_the_veileder_role(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    anonymous = await client.get("/admin/queue")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith(LOGIN_PATH)
    assert (await client.get("/admin/queue/events", headers=HTMX)).status_code == 401

    await add_staff(engine, "redaktoren", Role.REDAKTOR)
    async with browser(app) as editor:
        await log_in(editor, "redaktoren")
        assert (await editor.get("/admin/queue")).status_code == 403
        assert (await editor.get(f"/admin/conversations/{uuid.uuid4()}")).status_code == 403

    await add_staff(engine, "sjefen", Role.ADMIN)
    async with browser(app) as admin:
        await log_in(admin, "sjefen")
        assert (await admin.get("/admin/queue")).status_code == 200


async def test_a_new_request_shows_up_in_the_queue_feed_with_a_new_version(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await veileder(client, engine)
    before = (await client.get("/admin/queue/events")).json()
    assert before["waiting"] == []

    conversation_id = await waiting_user(engine, "Kan jeg snakke med noen?")
    after = (await client.get("/admin/queue/events")).json()

    assert after["waiting"] == [str(conversation_id)]
    assert after["version"] != before["version"]
    assert "Kan jeg snakke med noen?" in after["html"]


async def test_the_dashboard_card_shows_how_many_wait_and_the_most_urgent(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await waiting_user(engine, "Hei", waited=timedelta(minutes=9))
    await waiting_user(engine, "Hjelp", priority=Priority.ACUTE, crisis=CrisisLevel.ACUTE)
    await veileder(client, engine)

    card = await client.get("/admin/queue/summary", headers=HTMX)

    assert "<strong>2</strong> venter" in card.text
    assert "Mest haster: Akutt" in card.text
    assert 'hx-get="/admin/queue/summary"' in (await client.get("/admin/")).text


# --- Claiming --------------------------------------------------------------------------------


async def test_two_veiledere_claiming_at_once_exactly_one_wins(
    app: FastAPI, engine: AsyncEngine
) -> None:
    conversation_id = await waiting_user(engine, "Trenger å snakke med en voksen")
    await add_staff(engine, "kari", Role.VEILEDER)
    await add_staff(engine, "ola", Role.VEILEDER)
    async with browser(app) as kari, browser(app) as ola:
        tokens = [await log_in(kari, "kari"), await log_in(ola, "ola")]
        url = f"/admin/conversations/{conversation_id}/claim"
        answers = await asyncio.gather(
            kari.post(url, data={"csrf_token": tokens[0]}),
            ola.post(url, data={"csrf_token": tokens[1]}),
        )
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [303, 409], [a.text[:300] for a in answers]
        winner, loser = sorted(answers, key=lambda answer: answer.status_code)
        winner_name = "kari" if winner is answers[0] else "ola"
        assert f"Samtalen er allerede tatt av {winner_name}." in loser.text

        # The winner clicking again (a double click) just opens the conversation.
        again = await (kari if winner_name == "kari" else ola).post(
            url, data={"csrf_token": tokens[0] if winner_name == "kari" else tokens[1]}
        )
        assert again.status_code == 303
        assert again.headers["location"] == f"/admin/conversations/{conversation_id}"

    held = await conversation(engine, conversation_id)
    assert held.mode is ConversationMode.WITH_STAFF
    joined = [m for m in await messages(engine, conversation_id) if m.sender is Sender.SYSTEM]
    assert sum(1 for m in joined if (m.payload or {}).get("event") == "staff-joined") == 1


async def test_a_claim_that_loses_a_race_inside_the_database_gets_the_clear_message(
    client: httpx.AsyncClient, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite may refuse the losing write outright ("database is locked") instead of finding
    the row taken; the loser must still learn who took it."""
    conversation_id = await waiting_user(engine, "Hei")
    ola = await add_staff(engine, "ola", Role.VEILEDER)
    token = await veileder(client, engine)
    real_take_over = handoff.take_over

    async def colleague_first(*_args: object, **_kwargs: object) -> None:
        async with unit_of_work(create_session_factory(engine)) as other:
            await real_take_over(other, conversation_id, ola.id, now=utc_now())
        raise OperationalError("UPDATE conversation", {}, Exception("database is locked"))

    monkeypatch.setattr(queue_routes.handoff, "take_over", colleague_first)
    refused = await client.post(
        f"/admin/conversations/{conversation_id}/claim", data={"csrf_token": token}
    )

    assert refused.status_code == 409
    assert "Samtalen er allerede tatt av ola." in refused.text
    assert "kari · Veileder" in refused.text  # still logged in after the rollback


async def test_claiming_is_audit_logged_and_the_user_is_told_a_person_joined(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    conversation_id = await waiting_user(engine, "Hei")
    token = await veileder(client, engine)

    response = await claimed(client, token, conversation_id)

    assert response.headers["location"] == f"/admin/conversations/{conversation_id}"
    texts = [m.text for m in await users_transcript(engine, conversation_id)]
    assert "En veileder fra kommunen har kommet inn i samtalen." in texts
    async with create_session_factory(engine)() as session:
        actions = list(await session.scalars(select(AuditEvent.action)))
    assert AuditAction.CONVERSATION_CLAIMED in actions


# --- The conversation page ----------------------------------------------------------------


async def test_opening_a_conversation_is_audit_logged_without_its_text(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    conversation_id = await waiting_user(engine, "Mamma drikker mye om kvelden")
    await veileder(client, engine)

    page = await client.get(f"/admin/conversations/{conversation_id}")
    await client.get(f"/admin/conversations/{conversation_id}")

    assert page.status_code == 200
    assert "Mamma drikker mye om kvelden" in page.text
    async with create_session_factory(engine)() as session:
        events = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == AuditAction.CONVERSATION_VIEWED)
            )
        )
    assert len(events) == 2  # every opening
    assert {(e.actor, e.target_type, e.target_id) for e in events} == {
        ("kari", "conversation", str(conversation_id))
    }
    assert all("drikker" not in repr(e.details) for e in events)


async def test_a_script_written_by_a_user_is_shown_as_text(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    attack = "<script>alert('hei')</script><img src=x onerror=alert(1)>"
    conversation_id = await waiting_user(engine, attack)
    await veileder(client, engine)

    for response in (
        await client.get(f"/admin/conversations/{conversation_id}"),
        await client.get("/admin/queue"),
    ):
        assert "<script>alert" not in response.text
        assert "<img src=x" not in response.text
        assert "&lt;script&gt;alert(" in response.text
    feed = (await client.get("/admin/queue/events")).json()
    assert "<script>alert" not in feed["html"] and "&lt;script&gt;" in feed["html"]


async def test_a_reply_is_stored_first_shown_pending_then_delivered_to_the_web_chat(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    conversation_id = await waiting_user(engine, "Kan noen hjelpe meg?")
    token = await veileder(client, engine)
    await claimed(client, token, conversation_id)

    fragment = await client.post(
        f"/admin/conversations/{conversation_id}/reply",
        data={"text": "Hei! Jeg heter Kari og jobber i kommunen."},
        headers={**HTMX, "X-CSRF-Token": token},
    )

    assert fragment.status_code == 200
    assert "Venter på levering" in fragment.text
    stored = [m for m in await messages(engine, conversation_id) if m.sender is Sender.STAFF]
    assert [(m.text, m.delivery) for m in stored] == [
        ("Hei! Jeg heter Kari og jobber i kommunen.", DeliveryState.PENDING)
    ]

    seen = [m.text for m in await users_transcript(engine, conversation_id)]
    assert "Hei! Jeg heter Kari og jobber i kommunen." in seen

    page = await client.get(f"/admin/conversations/{conversation_id}")
    assert "Venter på levering" not in page.text
    assert re.search(r'class="delivery delivery-delivered">\s*Sendt', page.text)


async def test_only_the_holder_may_reply(app: FastAPI, engine: AsyncEngine) -> None:
    conversation_id = await waiting_user(engine, "Hei")
    await add_staff(engine, "kari", Role.VEILEDER)
    await add_staff(engine, "ola", Role.VEILEDER)
    async with browser(app) as kari, browser(app) as ola:
        await claimed(kari, await log_in(kari, "kari"), conversation_id)
        ola_token = await log_in(ola, "ola")
        refused = await ola.post(
            f"/admin/conversations/{conversation_id}/reply",
            data={"text": "Jeg svarer også"},
            headers={**HTMX, "X-CSRF-Token": ola_token},
        )
        assert refused.status_code == 409
        assert "Bare den som har tatt samtalen" in refused.json()["detail"]
        page = await ola.get(f"/admin/conversations/{conversation_id}")
        assert "Samtalen er hos kari" in page.text
        assert 'id="svar-skjema"' not in page.text
    assert not [m for m in await messages(engine, conversation_id) if m.sender is Sender.STAFF]


async def test_a_failed_delivery_is_visible_and_can_be_retried(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    conversation_id = await waiting_user(engine, "Hei", channel=Channel.TELEGRAM)
    token = await veileder(client, engine)
    await claimed(client, token, conversation_id)
    await client.post(
        f"/admin/conversations/{conversation_id}/reply",
        data={"text": "Hei, jeg er her.", "csrf_token": token},
    )
    reply = next(m for m in await messages(engine, conversation_id) if m.sender is Sender.STAFF)
    async with unit_of_work(create_session_factory(engine)) as session:
        await mark_failed(
            session,
            reply.id,
            "Forbidden: bot was blocked by the user",
            reply.created_at,
            permanent=True,
        )

    page = await client.get(f"/admin/conversations/{conversation_id}")
    assert "Levering feilet: Forbidden: bot was blocked by the user" in page.text
    assert "Prøv igjen" in page.text

    retried = await client.post(
        f"/admin/conversations/{conversation_id}/messages/{reply.id}/retry",
        data={"csrf_token": token},
    )
    assert retried.status_code == 303
    again = next(m for m in await messages(engine, conversation_id) if m.id == reply.id)
    assert again.delivery is DeliveryState.PENDING


async def test_notes_are_for_staff_only(client: httpx.AsyncClient, engine: AsyncEngine) -> None:
    conversation_id = await waiting_user(engine, "Hei")
    token = await veileder(client, engine)
    await claimed(client, token, conversation_id)

    saved = await client.post(
        f"/admin/conversations/{conversation_id}/notes",
        data={"text": "Mulig meldeplikt – drøft med leder", "csrf_token": token},
    )

    assert saved.status_code == 303
    assert "Mulig meldeplikt" in (await client.get(saved.headers["location"])).text
    users_view = " ".join(m.text for m in await users_transcript(engine, conversation_id))
    assert "meldeplikt" not in users_view
    assert "ba om å snakke med en person" not in users_view  # staff-only system lines too


# --- Ending: transfer, hand back, close -------------------------------------------------------


async def test_a_flagged_conversation_is_not_closed_without_an_outcome(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    conversation_id = await waiting_user(
        engine,
        "Jeg vil ikke leve",
        priority=Priority.ACUTE,
        crisis=CrisisLevel.ACUTE,
    )
    token = await veileder(client, engine)
    await claimed(client, token, conversation_id)
    page = await client.get(f"/admin/conversations/{conversation_id}")
    assert re.search(r'<select id="utfall" name="outcome"\s+required', page.text)

    refused = await client.post(
        f"/admin/conversations/{conversation_id}/close", data={"csrf_token": token}
    )

    assert refused.status_code == 422
    assert "Velg et utfall før du avslutter" in refused.text
    assert (await conversation(engine, conversation_id)).mode is ConversationMode.WITH_STAFF

    closed = await client.post(
        f"/admin/conversations/{conversation_id}/close",
        data={"csrf_token": token, "outcome": Outcome.EMERGENCY_CONTACTED.value},
    )
    assert closed.status_code == 303
    done = await conversation(engine, conversation_id)
    assert (done.mode, done.outcome) == (ConversationMode.CLOSED, Outcome.EMERGENCY_CONTACTED)
    seen = await users_transcript(engine, conversation_id)
    assert "Samtalen med veilederen er avsluttet. Takk for at du tok kontakt!" in [
        m.text for m in seen
    ]
    invitation = reply_of(seen[-1])
    assert "karakter fra 1 til 5" in invitation.text
    assert [q.payload for q in invitation.quick_replies] == [f"rating:{n}" for n in range(1, 6)]


async def test_a_referral_needs_a_service_from_the_catalogue(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    conversation_id = await waiting_user(engine, "Hei")
    token = await veileder(client, engine)
    await claimed(client, token, conversation_id)

    refused = await client.post(
        f"/admin/conversations/{conversation_id}/close",
        data={"csrf_token": token, "outcome": "referred", "service_slug": "finnes-ikke"},
    )

    assert refused.status_code == 422
    assert "Velg hvilken tjeneste" in refused.text
    assert (await conversation(engine, conversation_id)).mode is ConversationMode.WITH_STAFF


async def test_transfer_to_an_available_colleague_and_hand_back(
    app: FastAPI, engine: AsyncEngine
) -> None:
    conversation_id = await waiting_user(engine, "Hei")
    await add_staff(engine, "kari", Role.VEILEDER)
    ola = await add_staff(engine, "ola", Role.VEILEDER)
    async with browser(app) as kari:
        token = await log_in(kari, "kari")
        await claimed(kari, token, conversation_id)
        url = f"/admin/conversations/{conversation_id}/transfer"
        away = await kari.post(url, data={"csrf_token": token, "to_staff_id": str(ola.id)})
        assert away.status_code == 422  # ola is not marked available
        async with unit_of_work(create_session_factory(engine)) as session:
            colleague = await session.get(type(ola), ola.id)
            assert colleague is not None
            await set_availability(session, colleague, True)
        moved = await kari.post(url, data={"csrf_token": token, "to_staff_id": str(ola.id)})
        assert moved.status_code == 303
    assert (await conversation(engine, conversation_id)).claimed_by_staff_id == ola.id

    async with browser(app) as ola_browser:
        token = await log_in(ola_browser, "ola")
        back = await ola_browser.post(
            f"/admin/conversations/{conversation_id}/hand-back", data={"csrf_token": token}
        )
        assert back.status_code == 303
    assert (await conversation(engine, conversation_id)).mode is ConversationMode.BOT
