"""Editing canned replies (admins only); the conversation view lists them for veiledere."""

from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.canned_replies import (
    MAX_TEXT,
    MAX_TITLE,
    CannedReplyError,
    create_canned_reply,
    delete_canned_reply,
    get_canned_reply,
    list_canned_replies,
    update_canned_reply,
)
from admin.staff.dependencies import AdminUser, CurrentSession, DbSession, staff_router
from admin.staff.models import CannedReply
from admin.staff.pages import render
from admin.staff.sessions import ActiveSession

router = staff_router()
CANNED_PATH = "/admin/canned-replies"
Title = Annotated[str, Form(max_length=MAX_TITLE * 2)]
Text = Annotated[str, Form(max_length=MAX_TEXT * 2)]


async def _page(
    request: Request, db: AsyncSession, active: ActiveSession, error: str = ""
) -> HTMLResponse:
    replies = await list_canned_replies(db)
    status_code = 400 if error else 200
    return render(
        request,
        "canned_replies.html",
        active,
        status_code=status_code,
        replies=replies,
        error=error,
    )


async def _reply(db: AsyncSession, reply_id: int) -> CannedReply:
    reply = await get_canned_reply(db, reply_id)
    if reply is None:
        raise HTTPException(404, "Fant ikke standardsvaret.")
    return reply


@router.get(CANNED_PATH)
async def canned_replies_page(
    request: Request, db: DbSession, active: CurrentSession, admin: AdminUser
) -> HTMLResponse:
    return await _page(request, db, active)


@router.post(CANNED_PATH, response_model=None)
async def add_canned_reply(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    admin: AdminUser,
    title: Title,
    text: Text,
) -> Response:
    try:
        await create_canned_reply(db, title, text, admin.username)
    except CannedReplyError as error:
        return await _page(request, db, active, str(error))
    return RedirectResponse(CANNED_PATH, status_code=303)


@router.post(f"{CANNED_PATH}/{{reply_id}}", response_model=None)
async def edit_canned_reply(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    admin: AdminUser,
    reply_id: int,
    title: Title,
    text: Text,
) -> Response:
    try:
        await update_canned_reply(db, await _reply(db, reply_id), title, text, admin.username)
    except CannedReplyError as error:
        return await _page(request, db, active, str(error))
    return RedirectResponse(CANNED_PATH, status_code=303)


@router.post(f"{CANNED_PATH}/{{reply_id}}/delete")
async def remove_canned_reply(db: DbSession, admin: AdminUser, reply_id: int) -> RedirectResponse:
    await delete_canned_reply(db, await _reply(db, reply_id), admin.username)
    return RedirectResponse(CANNED_PATH, status_code=303)
