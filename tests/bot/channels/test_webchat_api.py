"""The web chat's JSON API over HTTP: what a browser sends and what it gets back.

The whole app runs on a real database with the demo catalogue; the NLU is the keyword engine
(«mobbet» -> bullying, «selvmord» -> acute, «person» -> wants a person).
"""

import asyncio
from typing import Any

import httpx
from sqlalchemy import func, select

from admin.staff.models import AuditAction, AuditEvent
from bot import handoff
from bot.channels.context import ChannelContext
from bot.channels.webchat_guard import MESSAGES_PER_WINDOW
from bot.dialogue.texts import say
from bot.inbound import handle_staff_reply
from bot.models import Conversation, ConversationStat, DeliveryState, Message, Outcome, Sender

STAFF_ID = 7


async def new_key(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post("/api/chat/keys")
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.json()['key']}"}


async def send(
    client: httpx.AsyncClient, key: dict[str, str], text: str, client_id: str | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"text": text, "client_message_id": client_id}
    return await client.post("/api/chat/messages", json=body, headers=key)


async def count(context: ChannelContext, model: type, *where: Any) -> int:
    async with context.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


async def only_conversation(context: ChannelContext) -> Conversation:
    async with context.sessions() as session:
        return (await session.scalars(select(Conversation))).one()


async def test_start_gives_a_long_random_key_and_stores_nothing(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    first = (await client.post("/api/chat/keys")).json()["key"]
    second = (await client.post("/api/chat/keys")).json()["key"]

    assert first != second and len(first) >= 22  # 22 base64 characters = 128+ bits
    assert await count(sessions, Conversation) == 0


async def test_a_worried_parent_gets_service_cards_with_tap_to_call(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    key = await new_key(client)

    response = await send(client, key, "Sønnen min på 13 blir mobbet på skolen")

    assert response.status_code == 200
    replies = response.json()["replies"]
    cards = [card for reply in replies for card in reply["cards"]]
    assert cards[0]["slug"] == "skole-og-mobbing"
    assert any(a["url"].startswith("tel:") for a in cards[0]["actions"] if a["url"])
    assert all(card["availability"] for card in cards)
    helped = [q["payload"] for r in replies for q in r["quick_replies"]]
    assert "helped:yes" in helped
    async with sessions.sessions() as session:  # the browser has them: delivered
        states = set(await session.scalars(select(Message.delivery)))
    assert DeliveryState.PENDING not in states


async def test_a_tapped_quick_reply_is_answered_and_shown_with_its_label(
    client: httpx.AsyncClient,
) -> None:
    key = await new_key(client)
    await send(client, key, "Sønnen min på 13 blir mobbet")

    answer = (await send(client, key, "helped:yes")).json()["replies"]
    transcript = (await client.get("/api/chat/conversation", headers=key)).json()

    assert answer[0]["text"] == say("nb", "feedback.yes")
    mine = [m["text"] for m in transcript["messages"] if m["sender"] == "user"]
    assert mine == ["Sønnen min på 13 blir mobbet", "Ja"]


async def test_a_crisis_gets_the_emergency_line_before_anything_else(
    client: httpx.AsyncClient,
) -> None:
    key = await new_key(client)

    replies = (await send(client, key, "Jeg tenker på selvmord")).json()["replies"]

    assert replies[0]["kind"] == "crisis"
    assert "113" in replies[0]["text"]
    assert replies[0]["cards"][0]["slug"] == "nodnummer"


async def test_a_double_submit_stores_one_message_and_gets_the_same_answer(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    key = await new_key(client)

    first, second = await asyncio.gather(
        send(client, key, "Datteren min blir mobbet", "click-1"),
        send(client, key, "Datteren min blir mobbet", "click-1"),
    )

    assert first.status_code == second.status_code == 200
    assert sorted([first.json()["duplicate"], second.json()["duplicate"]]) == [False, True]
    assert first.json()["replies"] == second.json()["replies"]
    assert await count(sessions, Message, Message.sender == Sender.USER) == 1


async def test_empty_messages_are_refused_clearly_and_store_nothing(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    key = await new_key(client)

    for text in ("", "   ", "\n\t", "\x00\x07"):
        response = await send(client, key, text)
        assert response.status_code == 422
        assert response.json()["detail"] == "Meldingen er tom. Skriv noe før du sender."

    assert await count(sessions, Message) == 0


async def test_long_text_is_kept_cut_and_very_long_text_refused_with_a_reason(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    key = await new_key(client)

    accepted = await send(client, key, "mobbet " * 1000)  # 7,000 characters
    refused = await send(client, key, "a" * 20_001)

    assert accepted.status_code == 200
    assert refused.status_code == 413
    assert "for lang" in refused.json()["detail"]
    async with sessions.sessions() as session:
        stored = (await session.scalars(select(Message).where(Message.sender == Sender.USER))).one()
    assert stored.truncated and len(stored.text) == 4000


async def test_emoji_control_characters_and_broken_unicode_never_break_it(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    key = await new_key(client)

    for text in ("🙂🙂🙂", "hei\x00 der\x1b[31m", "\u202esnudd tekst"):
        response = await send(client, key, text)
        assert response.status_code == 200, text
    # A lone surrogate is valid JSON but not valid Unicode (httpx refuses to encode it).
    raw = b'{"text": "halvt tegn \\ud800 her"}'
    headers = {**key, "Content-Type": "application/json"}
    response = await client.post("/api/chat/messages", content=raw, headers=headers)
    assert response.status_code == 200

    async with sessions.sessions() as session:
        texts = list(await session.scalars(select(Message.text).where(Message.sender == "user")))
    assert texts[0] == "🙂🙂🙂"
    assert all("\x00" not in text and "\ud800" not in text for text in texts)


async def test_a_reload_resumes_the_conversation_by_key_and_only_by_key(
    client: httpx.AsyncClient,
) -> None:
    key = await new_key(client)
    stranger = await new_key(client)
    sent = (await send(client, key, "Sønnen min blir mobbet")).json()

    mine = (await client.get("/api/chat/conversation", headers=key)).json()
    theirs = (await client.get("/api/chat/conversation", headers=stranger)).json()

    assert [m["id"] for m in mine["messages"][1:]] == [r["id"] for r in sent["replies"]]
    assert mine["status"]["mode"] == "bot"
    assert theirs == {
        "status": {"mode": "none", "language": "nb", "queue": None, "can_rate": False},
        "messages": [],
    }
    for bad in ({}, {"Authorization": "Bearer short"}, {"Authorization": "Basic abc"}):
        assert (await client.get("/api/chat/conversation", headers=bad)).status_code == 401


async def test_a_samtalekode_moves_the_conversation_to_a_second_device(
    client: httpx.AsyncClient,
) -> None:
    laptop = await new_key(client)
    await send(client, laptop, "Sønnen min blir mobbet")
    code = (await client.post("/api/chat/samtalekode", headers=laptop)).json()["code"]

    moved = await client.post(
        "/api/chat/samtalekode/fortsett", json={"code": code.lower().replace("-", " ")}
    )
    assert moved.status_code == 200
    phone = {"Authorization": f"Bearer {moved.json()['key']}"}
    assert moved.json()["messages"][0]["text"] == "Sønnen min blir mobbet"

    assert (await send(client, phone, "helped:no")).status_code == 200
    on_phone = (await client.get("/api/chat/conversation", headers=phone)).json()
    on_laptop = (await client.get("/api/chat/conversation", headers=laptop)).json()
    assert len(on_phone["messages"]) > len(moved.json()["messages"])
    assert on_laptop["status"]["mode"] == "none" and on_laptop["messages"] == []
    again = await client.post("/api/chat/samtalekode/fortsett", json={"code": code})
    assert again.status_code == 404  # used up


async def test_no_samtalekode_before_the_first_message(client: httpx.AsyncClient) -> None:
    key = await new_key(client)
    response = await client.post("/api/chat/samtalekode", headers=key)
    assert response.status_code == 404
    assert "Skriv en melding først" in response.json()["detail"]


async def test_delete_removes_everything_written_and_keeps_anonymous_numbers(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    key = await new_key(client)
    await send(client, key, "Sønnen min blir mobbet")

    response = await client.delete("/api/chat/conversation", headers=key)

    assert response.json()["message"] == say("nb", "delete.done")
    assert await count(sessions, Conversation) == 0
    assert await count(sessions, Message) == 0
    assert await count(sessions, ConversationStat, ConversationStat.deleted_by_user) == 1
    after = (await client.get("/api/chat/conversation", headers=key)).json()
    assert after["messages"] == []
    async with sessions.sessions() as session:
        [event] = list(await session.scalars(select(AuditEvent)))
    assert (event.action, event.actor, event.target_type) == (
        AuditAction.DELETED,
        "anonym",
        "conversation",
    )
    assert "mobbet" not in str(event.details)


async def test_a_staff_reply_appears_on_the_next_poll_and_counts_as_delivered(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    key = await new_key(client)
    asked = (await send(client, key, "Kan jeg snakke med en person?")).json()
    assert asked["status"]["mode"] == "waiting_for_staff"
    assert asked["status"]["queue"]["position"] == 1
    assert "nummer 1 i køen" in asked["status"]["queue"]["text"]
    cursor = max(r["id"] for r in asked["replies"])

    conversation = await only_conversation(sessions)
    async with sessions.sessions() as session:
        now = sessions.deps.clock()
        await handoff.take_over(session, conversation.id, STAFF_ID, now=now)
        reply = await handle_staff_reply(session, conversation.id, STAFF_ID, "Hei, jeg heter Kari.")
        await session.commit()

    polled = (await client.get(f"/api/chat/messages?after={cursor}", headers=key)).json()

    assert [m["sender"] for m in polled["messages"]] == ["system", "staff"]
    assert polled["messages"][-1]["text"] == "Hei, jeg heter Kari."
    assert polled["status"]["mode"] == "with_staff"
    async with sessions.sessions() as session:
        stored = await session.get(Message, reply.id)
    assert stored is not None and stored.delivery is DeliveryState.DELIVERED
    later = (await client.get(f"/api/chat/messages?after={reply.id}", headers=key)).json()
    assert later["messages"] == []


async def test_after_staff_close_the_user_can_rate_once(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    key = await new_key(client)
    await send(client, key, "Jeg vil snakke med en person")
    conversation = await only_conversation(sessions)
    async with sessions.sessions() as session:
        now = sessions.deps.clock()
        await handoff.take_over(session, conversation.id, STAFF_ID, now=now)
        await handoff.close(session, conversation.id, Outcome.ADVICE_GIVEN, now=now)
        await session.commit()

    polled = (await client.get("/api/chat/messages", headers=key)).json()
    assert polled["status"] == {**polled["status"], "mode": "closed", "can_rate": True}
    assert polled["messages"][-1]["event"] == "rating-invited"

    rated = await client.post(
        "/api/chat/rating", json={"rating": 4, "comment": "Fint"}, headers=key
    )
    twice = await client.post("/api/chat/rating", json={"rating": 5}, headers=key)

    assert rated.status_code == 200 and rated.json()["status"]["can_rate"] is False
    assert twice.status_code == 409
    async with sessions.sessions() as session:
        stat = (await session.scalars(select(ConversationStat))).one()
    assert stat.rating == 4


async def test_a_flood_gets_a_polite_429_and_other_users_are_not_slowed(
    client: httpx.AsyncClient,
) -> None:
    flooder = await new_key(client)
    other = await new_key(client)
    for n in range(MESSAGES_PER_WINDOW):
        assert (await send(client, flooder, f"hei {n}")).status_code == 200

    refused = await send(client, flooder, "hei igjen")

    assert refused.status_code == 429
    assert refused.json()["detail"] == say("nb", "channel.too_fast")
    assert int(refused.headers["retry-after"]) > 0
    assert (await send(client, other, "hei")).status_code == 200


async def test_the_chat_never_sets_a_cookie(client: httpx.AsyncClient) -> None:
    responses = [await client.get("/"), await client.get("/chat/embed")]
    responses.append(await client.get("/widget.js"))
    responses.append(await client.get("/chat/static/chat.js"))
    key_response = await client.post("/api/chat/keys")
    responses.append(key_response)
    key = {"Authorization": f"Bearer {key_response.json()['key']}"}
    responses.append(await send(client, key, "Sønnen min blir mobbet"))
    responses.append(await client.get("/api/chat/messages", headers=key))
    responses.append(await client.get("/api/chat/conversation", headers=key))
    responses.append(await client.post("/api/chat/samtalekode", headers=key))
    responses.append(await client.delete("/api/chat/conversation", headers=key))

    assert all(r.status_code < 400 for r in responses)
    assert [r.headers.get("set-cookie") for r in responses] == [None] * len(responses)


async def test_the_page_is_strict_and_only_the_embed_may_be_framed(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/")
    embed = await client.get("/chat/embed")
    api = await client.post("/api/chat/keys")

    assert '<html lang="nb">' in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'self' https:" in embed.headers["content-security-policy"]
    assert api.headers["cache-control"] == "no-store"


async def test_the_api_is_documented_in_openapi(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    for path in (
        "/api/chat/keys",
        "/api/chat/conversation",
        "/api/chat/messages",
        "/api/chat/samtalekode",
        "/api/chat/samtalekode/fortsett",
        "/api/chat/rating",
    ):
        assert path in paths, path
    send_spec = paths["/api/chat/messages"]["post"]
    assert send_spec["description"] and "429" in send_spec["responses"]
    assert "ServiceCard" in str(spec["components"]["schemas"]) or "ChatCard" in str(spec)


async def test_a_page_in_nynorsk_gets_its_first_answer_in_nynorsk(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    key = await new_key(client)
    response = await client.post(
        "/api/chat/messages",
        json={"text": "hei"},
        headers={**key, "Accept-Language": "nn-NO,nn;q=0.9"},
    )

    assert response.status_code == 200
    assert response.json()["status"]["language"] == "nn"
    assert (await only_conversation(sessions)).language == "nn"
    plain = await new_key(client)  # no language asked: the deployment's default
    other = await send(client, plain, "hei")
    assert other.json()["status"]["language"] == "nb"


async def test_many_people_at_once_are_all_answered_while_their_pages_poll(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    """Requests take turns (a few work at once); nobody is dropped or stuck in the line."""
    keys = [await new_key(client) for _ in range(12)]

    async def person(key: dict[str, str]) -> tuple[int, int, int]:
        sent, polled = await asyncio.gather(
            send(client, key, "Dattera mi på 9 blir mobbet"),
            client.get("/api/chat/messages", params={"after": 0}, headers=key),
        )
        return sent.status_code, len(sent.json()["replies"]), polled.status_code

    answers = await asyncio.wait_for(asyncio.gather(*(person(key) for key in keys)), 30)

    assert all(status == 200 and replies > 0 and poll == 200 for status, replies, poll in answers)
    assert await count(sessions, Conversation) == 12
