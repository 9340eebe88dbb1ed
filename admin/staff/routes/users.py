"""User administration (admins only): list, create, change role, deactivate, reset password."""

from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.accounts import (
    AccountError,
    change_role,
    create_user,
    get_user,
    list_users,
    reset_password,
    set_active,
)
from admin.staff.dependencies import AdminUser, CurrentSession, DbSession, Now, staff_router
from admin.staff.models import Role, StaffUser
from admin.staff.pages import render
from admin.staff.passwords import generate_password

router = staff_router()


async def _users_page(
    request: Request,
    db: AsyncSession,
    active: CurrentSession,
    now: Now,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    users = await list_users(db)
    return render(
        request, "users.html", active, status_code=status_code, users=users, error=error, now=now
    )


async def _target(db: AsyncSession, user_id: int) -> StaffUser:
    user = await get_user(db, user_id)
    if user is None:
        raise HTTPException(404, "Fant ikke brukeren.")
    return user


@router.get("/admin/users")
async def users_page(
    request: Request, db: DbSession, active: CurrentSession, admin: AdminUser, now: Now
) -> HTMLResponse:
    """All staff accounts with their role and state."""
    return await _users_page(request, db, active, now)


@router.post("/admin/users", response_model=None)
async def add_user(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    admin: AdminUser,
    now: Now,
    username: Annotated[str, Form(max_length=200)],
    role: Annotated[Role, Form()],
) -> Response:
    """Create an account with a random first password, shown once to hand over."""
    password = generate_password()
    try:
        user = await create_user(db, username, password, role, admin.username)
    except AccountError as error:
        return await _users_page(request, db, active, now, str(error), status_code=400)
    return render(request, "user_password.html", active, user=user, password=password, new=True)


@router.post("/admin/users/{user_id}/role", response_model=None)
async def set_role(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    admin: AdminUser,
    now: Now,
    user_id: int,
    role: Annotated[Role, Form()],
) -> Response:
    """Give a user another role."""
    try:
        await change_role(db, await _target(db, user_id), role, admin.username)
    except AccountError as error:
        return await _users_page(request, db, active, now, str(error), status_code=400)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/active", response_model=None)
async def set_user_active(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    admin: AdminUser,
    now: Now,
    user_id: int,
    enabled: Annotated[bool, Form()],
) -> Response:
    """Deactivate an account (its sessions end at once) or reactivate it."""
    try:
        await set_active(db, await _target(db, user_id), enabled, admin.username)
    except AccountError as error:
        return await _users_page(request, db, active, now, str(error), status_code=400)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/password")
async def new_password(
    request: Request, db: DbSession, active: CurrentSession, admin: AdminUser, user_id: int
) -> HTMLResponse:
    """Give a user a new random password (unlocks the account, ends its sessions)."""
    user = await _target(db, user_id)
    password = generate_password()
    await reset_password(db, user, password, admin.username)
    return render(request, "user_password.html", active, user=user, password=password, new=False)
