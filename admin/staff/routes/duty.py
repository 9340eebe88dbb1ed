"""The duty schedule editor (admins only): weekly hours, exceptions, the holidays ahead."""

from datetime import date, time
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.dependencies import AdminUser, CurrentSession, DbSession, Now, staff_router
from admin.staff.duty import (
    OSLO,
    WEEKDAYS,
    DutyError,
    add_exception,
    add_rule,
    delete_exception,
    delete_rule,
    duty_status,
    list_exceptions,
    list_rules,
    upcoming_holidays,
)
from admin.staff.pages import render
from admin.staff.sessions import ActiveSession

router = staff_router()
DUTY_PATH = "/admin/duty"


async def _duty_page(
    request: Request,
    db: AsyncSession,
    active: ActiveSession,
    now: Now,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    today = now.astimezone(OSLO).date()
    return render(
        request,
        "duty.html",
        active,
        status_code=status_code,
        status=await duty_status(db, now),
        rules=await list_rules(db),
        exceptions=await list_exceptions(db, today),
        holidays=upcoming_holidays(today),
        weekdays=WEEKDAYS,
        error=error,
    )


@router.get(DUTY_PATH)
async def duty_page(
    request: Request, db: DbSession, active: CurrentSession, admin: AdminUser, now: Now
) -> HTMLResponse:
    """The schedule and whether duty is staffed right now."""
    return await _duty_page(request, db, active, now)


@router.post(f"{DUTY_PATH}/rules", response_model=None)
async def create_rule(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    admin: AdminUser,
    now: Now,
    weekday: Annotated[int, Form()],
    opens: Annotated[time, Form()],
    closes: Annotated[time, Form()],
) -> Response:
    """Add weekly duty hours for one weekday."""
    try:
        await add_rule(db, weekday, opens, closes, admin.username)
    except DutyError as error:
        return await _duty_page(request, db, active, now, str(error), status_code=400)
    return RedirectResponse(DUTY_PATH, status_code=303)


@router.post(f"{DUTY_PATH}/rules/{{rule_id}}/delete")
async def remove_rule(db: DbSession, admin: AdminUser, rule_id: int) -> RedirectResponse:
    await delete_rule(db, rule_id, admin.username)
    return RedirectResponse(DUTY_PATH, status_code=303)


@router.post(f"{DUTY_PATH}/exceptions", response_model=None)
async def create_exception(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    admin: AdminUser,
    now: Now,
    starts_on: Annotated[date, Form()],
    ends_on: Annotated[date, Form()],
    kind: Annotated[str, Form(pattern="^(closed|hours)$")],
    opens: Annotated[time | None, Form()] = None,
    closes: Annotated[time | None, Form()] = None,
    note: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Close some days, or give them other hours (summer hours, a holiday kept open)."""
    hours = None
    if kind == "hours":
        if opens is None or closes is None:
            error = "Fyll inn når vakten begynner og slutter."
            return await _duty_page(request, db, active, now, error, status_code=400)
        hours = (opens, closes)
    try:
        await add_exception(db, starts_on, ends_on, hours, note, admin.username)
    except DutyError as error:
        return await _duty_page(request, db, active, now, str(error), status_code=400)
    return RedirectResponse(DUTY_PATH, status_code=303)


@router.post(f"{DUTY_PATH}/exceptions/{{exception_id}}/delete")
async def remove_exception(db: DbSession, admin: AdminUser, exception_id: int) -> RedirectResponse:
    await delete_exception(db, exception_id, admin.username)
    return RedirectResponse(DUTY_PATH, status_code=303)
