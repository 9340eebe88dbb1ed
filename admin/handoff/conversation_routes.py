"""The takeover page: reading a conversation (audit-logged), its live stream, replying, notes
and retrying a failed delivery. Transfer, hand-back and close are in `admin.handoff.actions`."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.handoff.choices import available_colleagues, catalogue_choices
from admin.handoff.conversation_view import (
    ConversationPage,
    conversation_version,
    load_conversation_page,
)
from admin.handoff.labels import OUTCOME_LABELS
from admin.handoff.live import EVENT_STREAM, Update, stream_updates, wake_delivery, wants_stream
from admin.handoff.queue_routes import NOT_FOUND, STREAM_HEADERS, conversation_path
from admin.staff.audit import record_event
from admin.staff.canned_replies import list_canned_replies
from admin.staff.dependencies import (
    CurrentSession,
    DbSession,
    Now,
    VeilederUser,
    get_runtime,
    staff_router,
    wants_html,
)
from admin.staff.models import AuditAction
from admin.staff.pages import render, templates
from admin.staff.sessions import ActiveSession
from bot import handoff
from bot.conversations import MAX_NOTE_CHARS, MAX_TEXT_CHARS, ConversationNotFound, add_note
from bot.delivery import retry_now
from bot.inbound import handle_staff_reply
from bot.models import DeliveryState, Message, Sender

router = staff_router()

NOTICES = {
    "tatt": "Du har tatt samtalen. Brukeren har fått beskjed om at en veileder er med.",
    "notat": "Notatet er lagret. Bare ansatte ser det.",
    "sendt": "Svaret er lagret og sendes til brukeren.",
    "prover": "Meldingen sendes på nytt.",
    "tilbake": "Samtalen er gitt tilbake til chatboten.",
    "avsluttet": "Samtalen er avsluttet. Brukeren er bedt om en vurdering.",
}
NOT_YOURS = "Bare den som har tatt samtalen, kan svare i den."
EMPTY_REPLY = "Skriv et svar før du sender."
EMPTY_NOTE = "Notatet er tomt."
ReplyText = Annotated[str, Form(max_length=MAX_TEXT_CHARS)]
NoteText = Annotated[str, Form(max_length=MAX_NOTE_CHARS)]


def render_transcript(page: ConversationPage, csrf_token: str) -> str:
    template = templates.env.get_template("handoff/_transcript.html")
    return template.render(page=page, csrf_token=csrf_token)


def render_status(page: ConversationPage) -> str:
    return templates.env.get_template("handoff/_conversation_status.html").render(page=page)


async def conversation_page(
    request: Request,
    db: AsyncSession,
    active: ActiveSession,
    conversation_id: uuid.UUID,
    now: datetime,
    *,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The page, after recording that this staff member opened it (never what it says)."""
    try:
        page = await load_conversation_page(db, conversation_id, active.user.id)
    except ConversationNotFound as gone:
        raise HTTPException(404, NOT_FOUND) from gone
    await record_event(
        db,
        active.user.username,
        AuditAction.CONVERSATION_VIEWED,
        "conversation",
        str(page.conversation.id),
        at=now,
    )
    if page.mine and page.conversation.crisis_unseen:
        page.conversation.crisis_unseen = False  # the holder sees the flag now
    return render(
        request,
        "handoff/conversation.html",
        active,
        status_code=status_code,
        page=page,
        error=error,
        notice=NOTICES.get(request.query_params.get("ok", ""), ""),
        canned=await list_canned_replies(db) if page.mine else [],
        colleagues=await available_colleagues(db, active.user.id) if page.mine else [],
        services=await catalogue_choices(db) if page.mine else [],
        outcomes=OUTCOME_LABELS,
    )


@router.get("/admin/conversations/{conversation_id}")
async def show_conversation(
    request: Request,
    conversation_id: uuid.UUID,
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    now: Now,
) -> HTMLResponse:
    """The transcript, what the bot suggested and collected, notes, and the holder's tools."""
    return await conversation_page(request, db, active, conversation_id, now)


@router.get("/admin/conversations/{conversation_id}/events", response_model=None)
async def conversation_events(
    request: Request,
    conversation_id: uuid.UUID,
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    version: str = "",
) -> Response:
    """New messages, delivery states and crisis flags as server-sent events (`conversation`)."""
    csrf_token, viewer = active.csrf_token, user.id
    page_cache: dict[str, ConversationPage] = {}

    async def snapshot(session: AsyncSession, _at: datetime) -> Update:
        try:
            current = await conversation_version(session, conversation_id)
        except ConversationNotFound:
            return Update("gone", "gone", {"message": NOT_FOUND})  # deleted by the user (/slett)
        if current in page_cache:
            return Update("conversation", current, {})
        page = await load_conversation_page(session, conversation_id, viewer)
        page_cache.clear()
        page_cache[page.version] = page
        return conversation_update(page, csrf_token)

    try:
        if not wants_stream(request):
            page = await load_conversation_page(db, conversation_id, viewer)
            update = conversation_update(page, csrf_token)
            return JSONResponse({"version": update.version, **update.data})
    except ConversationNotFound as gone:
        raise HTTPException(404, NOT_FOUND) from gone
    return StreamingResponse(
        stream_updates(request, get_runtime(request).sessions, snapshot, known_version=version),
        media_type=EVENT_STREAM,
        headers=STREAM_HEADERS,
    )


def conversation_update(page: ConversationPage, csrf_token: str) -> Update:
    users = [m for m in page.messages if m.sender is Sender.USER]
    return Update(
        event="conversation",
        version=page.version,
        data={
            "transcript": render_transcript(page, csrf_token),
            "status": render_status(page),
            "last_user_message": users[-1].id if users else 0,
            "crisis": bool(users and users[-1].crisis_label),
            "mine": page.mine,
        },
    )


@router.post("/admin/conversations/{conversation_id}/reply", response_model=None)
async def reply(
    request: Request,
    conversation_id: uuid.UUID,
    text: ReplyText,
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    now: Now,
    background: BackgroundTasks,
) -> Response:
    """Store the reply as pending (store first), then let the channel deliver it."""
    if not text.strip():
        return await _refuse(request, db, active, conversation_id, now, EMPTY_REPLY, 422)
    try:
        await handle_staff_reply(db, conversation_id, user.id, text.strip(), now=now)
    except ConversationNotFound as gone:
        raise HTTPException(404, NOT_FOUND) from gone
    except (handoff.AlreadyClaimed, handoff.IllegalTransition):
        return await _refuse(request, db, active, conversation_id, now, NOT_YOURS, 409)
    background.add_task(wake_delivery, request.app)  # after the commit
    if "hx-request" in request.headers:
        page = await load_conversation_page(db, conversation_id, user.id)
        return HTMLResponse(render_transcript(page, active.csrf_token))
    return RedirectResponse(f"{conversation_path(conversation_id)}?ok=sendt", status_code=303)


@router.post("/admin/conversations/{conversation_id}/notes", response_model=None)
async def write_note(
    request: Request,
    conversation_id: uuid.UUID,
    text: NoteText,
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    now: Now,
) -> Response:
    """A private note on the conversation; the user never sees it."""
    if not text.strip():
        return await _refuse(request, db, active, conversation_id, now, EMPTY_NOTE, 422)
    try:
        await add_note(db, conversation_id, user.id, text.strip(), now)
    except ConversationNotFound as gone:
        raise HTTPException(404, NOT_FOUND) from gone
    return RedirectResponse(f"{conversation_path(conversation_id)}?ok=notat", status_code=303)


@router.post(
    "/admin/conversations/{conversation_id}/messages/{message_id}/retry", response_model=None
)
async def retry_delivery(
    request: Request,
    conversation_id: uuid.UUID,
    message_id: int,
    db: DbSession,
    user: VeilederUser,
    background: BackgroundTasks,
) -> Response:
    """Send a message whose delivery failed once more."""
    message = await db.scalar(
        select(Message).where(Message.id == message_id, Message.conversation_id == conversation_id)
    )
    if message is None:
        raise HTTPException(404, "Fant ikke meldingen.")
    if message.delivery is DeliveryState.FAILED:
        await retry_now(db, message_id)
        background.add_task(wake_delivery, request.app)
    return RedirectResponse(f"{conversation_path(conversation_id)}?ok=prover", status_code=303)


async def _refuse(
    request: Request,
    db: AsyncSession,
    active: ActiveSession,
    conversation_id: uuid.UUID,
    now: datetime,
    message: str,
    status_code: int,
) -> Response:
    """An htmx call gets the sentence as JSON (shown by handoff.js); a form gets the page."""
    if not wants_html(request):
        return JSONResponse({"detail": message}, status_code=status_code)
    return await conversation_page(
        request, db, active, conversation_id, now, error=message, status_code=status_code
    )
