"""The queue page, its live stream, the dashboard card and "Ta samtalen" (claim)."""

import uuid
from datetime import datetime

from fastapi import Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from admin.handoff.live import EVENT_STREAM, Update, stream_updates, wants_stream
from admin.handoff.queue_view import QueueBoard, load_queue_board, staff_names
from admin.staff.audit import record_event
from admin.staff.dependencies import (
    CurrentSession,
    DbSession,
    Now,
    VeilederUser,
    get_runtime,
    staff_router,
)
from admin.staff.models import AuditAction, StaffUser
from admin.staff.pages import render, templates
from admin.staff.sessions import ActiveSession
from bot import handoff
from bot.conversations import ConversationNotFound, get_conversation
from bot.models import ConversationMode

router = staff_router()

QUEUE_PATH = "/admin/queue"
NOT_FOUND = "Fant ikke samtalen. Den kan være slettet av brukeren."
NOT_WAITING = "Samtalen venter ikke lenger på en person."
STREAM_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def conversation_path(conversation_id: uuid.UUID) -> str:
    return f"/admin/conversations/{conversation_id}"


def taken_by_message(name: str) -> str:
    return f"Samtalen er allerede tatt av {name}." if name else "Samtalen er allerede tatt."


def render_queue_lists(board: QueueBoard, csrf_token: str, now: datetime) -> str:
    template = templates.env.get_template("handoff/_queue_lists.html")
    return template.render(board=board, csrf_token=csrf_token, now=now)


def queue_update(board: QueueBoard, csrf_token: str, now: datetime) -> Update:
    return Update(
        event="queue",
        version=board.version,
        data={
            "html": render_queue_lists(board, csrf_token, now),
            "waiting": [str(row.conversation_id) for row in board.waiting],
            "urgent": [str(row.conversation_id) for row in board.waiting if row.crisis_label],
        },
    )


async def queue_page(
    request: Request,
    db: AsyncSession,
    active: ActiveSession,
    now: datetime,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    board = await load_queue_board(db, now, active.user.id)
    return render(
        request,
        "handoff/queue.html",
        active,
        status_code=status_code,
        board=board,
        now=now,
        error=error,
    )


@router.get(QUEUE_PATH)
async def show_queue(
    request: Request, db: DbSession, active: CurrentSession, user: VeilederUser, now: Now
) -> HTMLResponse:
    """Who waits for a person (acute, concern, then longest waiting) and who is being helped."""
    return await queue_page(request, db, active, now)


@router.get(f"{QUEUE_PATH}/events", response_model=None)
async def queue_events(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    now: Now,
    version: str = "",
) -> Response:
    """The queue as server-sent events (a `queue` event whenever it changes); without
    `Accept: text/event-stream`, the current queue once as JSON."""
    csrf_token, viewer = active.csrf_token, user.id

    async def snapshot(session: AsyncSession, at: datetime) -> Update:
        return queue_update(await load_queue_board(session, at, viewer), csrf_token, at)

    if not wants_stream(request):
        update = await snapshot(db, now)
        return JSONResponse({"version": update.version, **update.data})
    sessions = get_runtime(request).sessions
    return StreamingResponse(
        stream_updates(request, sessions, snapshot, known_version=version),
        media_type=EVENT_STREAM,
        headers=STREAM_HEADERS,
    )


@router.get(f"{QUEUE_PATH}/summary")
async def queue_summary(
    request: Request, db: DbSession, active: CurrentSession, user: VeilederUser, now: Now
) -> HTMLResponse:
    """The dashboard card: how many wait, and the most urgent one."""
    board = await load_queue_board(db, now, user.id)
    return render(request, "handoff/_queue_summary.html", active, board=board, now=now)


@router.post("/admin/conversations/{conversation_id}/claim", response_model=None)
async def claim(
    request: Request,
    conversation_id: uuid.UUID,
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    now: Now,
) -> Response:
    """Ta samtalen. A colleague who was first wins; clicking twice is harmless."""
    try:
        await handoff.take_over(db, conversation_id, user.id, now=now)
    except ConversationNotFound:
        return await queue_page(request, db, active, now, NOT_FOUND, 404)
    except handoff.AlreadyClaimed as taken:
        if taken.staff_id == user.id:
            return RedirectResponse(conversation_path(conversation_id), status_code=303)
        return await _refuse_claim(request, db, active, now, taken.staff_id)
    except handoff.IllegalTransition:
        return await queue_page(request, db, active, now, NOT_WAITING, 409)
    except OperationalError:
        # SQLite: a colleague's claim committed after this request began reading; the row
        # is theirs. Start afresh to read who has it.
        await db.rollback()
        await db.refresh(active.session)
        await db.refresh(active.user)
        return await _after_lost_race(request, db, active, user, conversation_id, now)
    await record_event(
        db, user.username, AuditAction.CONVERSATION_CLAIMED, "conversation", str(conversation_id)
    )
    return RedirectResponse(conversation_path(conversation_id), status_code=303)


async def _after_lost_race(
    request: Request,
    db: AsyncSession,
    active: ActiveSession,
    user: StaffUser,
    conversation_id: uuid.UUID,
    now: datetime,
) -> Response:
    conversation = await get_conversation(db, conversation_id)
    await db.refresh(conversation)
    if conversation.mode is ConversationMode.WITH_STAFF:
        if conversation.claimed_by_staff_id == user.id:
            return RedirectResponse(conversation_path(conversation_id), status_code=303)
        return await _refuse_claim(request, db, active, now, conversation.claimed_by_staff_id)
    return await queue_page(request, db, active, now, NOT_WAITING, 409)


async def _refuse_claim(
    request: Request,
    db: AsyncSession,
    active: ActiveSession,
    now: datetime,
    holder_id: int | None,
) -> Response:
    names = await staff_names(db, [holder_id])
    message = taken_by_message(names.get(holder_id or 0, ""))
    return await queue_page(request, db, active, now, message, 409)
