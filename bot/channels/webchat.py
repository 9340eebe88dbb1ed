"""The web chat's JSON API under /api/chat: the primary, anonymous channel.

The browser asks for a random conversation key once (`POST /api/chat/keys`), keeps it in
localStorage and sends it as `Authorization: Bearer <key>`; the server stores only its HMAC (the
user key, `bot.pseudonyms`). Messages go through the one inbound use case (`bot.inbound`); the
answers come back render-ready. Staff replies are fetched by polling `GET /api/chat/messages`.
No cookies are ever set. The page and the widget are in `bot.channels.webchat_page`.
"""

import inspect
import re
import secrets
import unicodedata
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels import webchat_texts as texts
from bot.channels.context import ChannelContext
from bot.channels.webchat_guard import WINDOW_SECONDS, WebchatGuard
from bot.channels.webchat_schemas import (
    ChatMode,
    ChatStatus,
    ContinueRequest,
    ContinueResult,
    NewKey,
    Notice,
    Problem,
    RatingRequest,
    Samtalekode,
    SendMessage,
    SendResult,
    Transcript,
)
from bot.channels.webchat_transcript import (
    current_conversation,
    render_messages,
    render_reply,
    render_stored,
    status_of,
)
from bot.conversations import find_by_samtalekode, issue_samtalekode
from bot.delivery import mark_delivered, read_for_user
from bot.dialogue.texts import say
from bot.inbound import (
    InboundMessage,
    delete_conversation,
    handle_message,
    record_user_deletion,
)
from bot.models import Channel, Conversation, ConversationMode, Message
from bot.pseudonyms import user_key
from bot.ratings import NotRateable, rate_conversation
from nlu.interpretation import Language

MAX_MESSAGE_CHARS = 20_000
KEY_BYTES = 24  # 192 bits, URL-safe base64: 32 characters
_KEY_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,128}")
_PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (401, 404, 409, 413, 422, 429)
}

router = APIRouter(prefix="/api/chat", tags=["web chat"], responses={401: {"model": Problem}})
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ConversationKey",
    description="The conversation key from `POST /api/chat/keys`, kept in the browser.",
)


# Dependencies are `async def` although they never await: FastAPI runs a plain `def` one in a
# worker thread, and those thread hops were a large part of each chat request's cost under load.


async def channel_context(request: Request) -> ChannelContext:
    context: ChannelContext = request.app.state.channel_context
    return context


async def webchat_guard(request: Request) -> WebchatGuard:
    guard: WebchatGuard | None = getattr(request.app.state, "webchat_guard", None)
    if guard is None:
        guard = request.app.state.webchat_guard = WebchatGuard()
    return guard


async def browser_key(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    lang: texts.ChatLanguage,
) -> str:
    """The browser's conversation key; 401 when missing or not shaped like one of ours."""
    if credentials is None or not _KEY_SHAPE.fullmatch(credentials.credentials):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, texts.UNKNOWN_KEY[lang])
    return credentials.credentials


Context = Annotated[ChannelContext, Depends(channel_context)]
Guard = Annotated[WebchatGuard, Depends(webchat_guard)]
BrowserKey = Annotated[str, Depends(browser_key)]
Lang = texts.ChatLanguage  # the language of the API's own sentences


def tidy(text: str) -> str:
    """Text safe for every later step: no lone surrogates, control characters as spaces."""
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    if any(_is_control(ch) for ch in text):
        text = "".join(" " if _is_control(ch) else ch for ch in text)
    return text


def _is_control(ch: str) -> bool:
    return ch not in "\n\t" and unicodedata.category(ch) == "Cc"


def _hashed(context: ChannelContext, key: str) -> str:
    return user_key(context.deps.secret, Channel.WEB, key)


async def _status(
    session: AsyncSession, context: ChannelContext, conversation: Conversation | None
) -> ChatStatus:
    staff = 0
    if conversation is not None and conversation.mode is ConversationMode.WAITING_FOR_STAFF:
        duty = context.deps.duty_status(session, context.deps.clock())
        staff = (await duty if inspect.isawaitable(duty) else duty).available_staff
    return await status_of(session, conversation, staff)


async def _read(
    session: AsyncSession,
    context: ChannelContext,
    conversation: Conversation | None,
    after: int = 0,
) -> list[Message]:
    if conversation is None:
        return []
    return await read_for_user(session, conversation.id, context.deps.clock(), after_id=after)


@router.post("/keys", status_code=status.HTTP_201_CREATED)
async def create_key() -> NewKey:
    """Start: a new random conversation key. Nothing is stored until the first message."""
    return NewKey(key=secrets.token_urlsafe(KEY_BYTES))


@router.get("/conversation")
async def resume(key: BrowserKey, context: Context, guard: Guard) -> Transcript:
    """Resume after a reload: the key's latest conversation, every visible message, the status."""
    async with guard.working, context.sessions() as session:
        conversation = await current_conversation(session, _hashed(context, key))
        messages = await _read(session, context, conversation)
        state = await _status(session, context, conversation)
        await session.commit()
    return Transcript(status=state, messages=render_messages(messages))


@router.post("/messages", responses=_PROBLEMS)
async def send_message(
    body: SendMessage, key: BrowserKey, context: Context, guard: Guard, lang: Lang
) -> SendResult:
    """Send one message (typed text or a quick reply's payload); get the bot's replies.

    While a person from the municipality has taken over, the bot stays silent and `replies` is
    empty: their answer arrives through `GET /api/chat/messages`. Empty text is refused and
    stores nothing (422); more than 20,000 characters gives 413; more than 20 messages in 10
    seconds gives 429 with a sentence to show.
    """
    text = tidy(body.text)
    if not text.strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, texts.EMPTY_MESSAGE[lang])
    if len(text) > MAX_MESSAGE_CHARS:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, texts.TOO_LONG[lang])
    hashed = _hashed(context, key)
    async with guard.lock_for(hashed):
        earlier = guard.answered(hashed, body.client_message_id)
        if earlier is not None:
            return earlier.model_copy(update={"duplicate": True})
        if not guard.messages.allow(hashed):
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                say(lang, "channel.too_fast"),
                headers={"Retry-After": str(int(WINDOW_SECONDS))},
            )
        async with guard.working:
            result = await _answer(context, key, text, lang)
        guard.remember(hashed, body.client_message_id, result)
        return result


async def _answer(context: ChannelContext, key: str, text: str, lang: Language) -> SendResult:
    async with context.sessions() as session:
        inbound = InboundMessage(
            channel=Channel.WEB,
            channel_user_id=key,
            text=text,
            answered_in_response=True,
            language=lang,  # the page's language: a new conversation greets in it
        )
        result = await handle_message(session, inbound, context.deps)
        conversation = result.conversation  # as this session holds it: no second read
        if result.deleted or conversation is None:
            await session.commit()
            return SendResult(
                user_message_id=None,
                duplicate=False,
                deleted=True,
                replies=[render_reply(reply) for reply in result.replies],
                status=ChatStatus(mode=ChatMode.NONE, language="nb"),
            )
        after = result.user_message_id or max(result.reply_ids, default=1) - 1
        replies = await _read(session, context, conversation, after)
        state = await _status(session, context, conversation)
        await session.commit()
    return SendResult(
        user_message_id=result.user_message_id,
        duplicate=False,
        failed=result.failed,
        replies=[render_stored(message) for message in replies],
        status=state,
    )


@router.get("/messages")
async def fetch_messages(
    key: BrowserKey,
    context: Context,
    guard: Guard,
    after: Annotated[int, Query(ge=0, description="The highest message id the page has")] = 0,
) -> Transcript:
    """Poll for new messages (staff replies, the queue place): call every 1-1.5 seconds.

    Returns the visible messages with an id above `after` and marks them delivered.
    """
    async with guard.working, context.sessions() as session:
        conversation = await current_conversation(session, _hashed(context, key))
        messages = await _read(session, context, conversation, after)
        state = await _status(session, context, conversation)
        await session.commit()
    return Transcript(status=state, messages=render_messages(messages))


@router.post("/samtalekode", responses=_PROBLEMS)
async def show_samtalekode(key: BrowserKey, context: Context, lang: Lang) -> Samtalekode:
    """A short code to continue this conversation on another device; shown once.

    Asking again gives a new code and retires the old one.
    """
    async with context.sessions() as session:
        conversation = await current_conversation(session, _hashed(context, key))
        if conversation is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, texts.NO_CONVERSATION[lang])
        if conversation.mode is ConversationMode.CLOSED:
            raise HTTPException(status.HTTP_409_CONFLICT, texts.CONVERSATION_CLOSED[lang])
        code = await issue_samtalekode(session, conversation.id, context.deps.secret)
        await session.commit()
    return Samtalekode(code=code)


@router.post("/samtalekode/fortsett", responses=_PROBLEMS)
async def continue_with_samtalekode(
    body: ContinueRequest, request: Request, context: Context, guard: Guard, lang: Lang
) -> ContinueResult:
    """Continue a conversation on this device with its samtalekode.

    This device gets a new key; the other device's key stops working and the code is used up,
    so a code seen by someone else cannot be used again. Wrong codes are limited per client.
    """
    client = request.client.host if request.client else "unknown"
    if guard.code_failures.blocked(client):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, texts.TOO_MANY_CODE_TRIES[lang])
    async with context.sessions() as session:
        conversation = await find_by_samtalekode(session, context.deps.secret, body.code)
        if conversation is None:
            guard.code_failures.allow(client)
            raise HTTPException(status.HTTP_404_NOT_FOUND, texts.CODE_NOT_FOUND[lang])
        key = secrets.token_urlsafe(KEY_BYTES)
        conversation.user_key = _hashed(context, key)
        conversation.samtalekode_hash = None
        messages = await _read(session, context, conversation)
        state = await _status(session, context, conversation)
        await session.commit()
    return ContinueResult(key=key, status=state, messages=render_messages(messages))


@router.delete("/conversation")
async def delete(key: BrowserKey, context: Context, lang: Lang) -> Notice:
    """Delete the conversation and everything written in it, at once (the page asks first).

    Every web conversation of this key goes; only anonymous statistics remain.
    """
    hashed = _hashed(context, key)
    language, deleted = "nb", 0
    async with context.sessions() as session:
        while (conversation := await current_conversation(session, hashed)) is not None:
            language = language if deleted else conversation.language
            await delete_conversation(session, conversation.id)
            await record_user_deletion(session, context.deps, Channel.WEB, conversation.id)
            deleted += 1
        await session.commit()
    return Notice(
        message=say(language, "delete.done") if deleted else texts.NOTHING_TO_DELETE[lang]
    )


@router.post("/rating", responses=_PROBLEMS)
async def rate(body: RatingRequest, key: BrowserKey, context: Context, lang: Lang) -> Transcript:
    """Rate a conversation a staff member has closed: 1-5 and an optional comment, once."""
    async with context.sessions() as session:
        conversation = await current_conversation(session, _hashed(context, key))
        if conversation is None:
            raise HTTPException(status.HTTP_409_CONFLICT, texts.NOT_RATEABLE[lang])
        try:
            goodbye = await rate_conversation(
                session, conversation.id, body.rating, body.comment, now=context.deps.clock()
            )
        except NotRateable as error:
            raise HTTPException(status.HTTP_409_CONFLICT, texts.NOT_RATEABLE[lang]) from error
        await mark_delivered(session, goodbye.id, context.deps.clock())
        state = await _status(session, context, conversation)
        await session.commit()
    return Transcript(status=state, messages=[render_stored(goodbye)])
