"""The staff start page and the veileder's own availability toggle."""

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from admin.staff.accounts import set_availability
from admin.staff.dependencies import CurrentSession, DbSession, Now, VeilederUser, staff_router
from admin.staff.duty import duty_status
from admin.staff.pages import render

router = staff_router()


@router.get("/admin/")
async def dashboard(
    request: Request, db: DbSession, active: CurrentSession, now: Now
) -> HTMLResponse:
    """Cards for the queue, the catalogue and the statistics, and today's duty status."""
    status = await duty_status(db, now)
    return render(request, "dashboard.html", active, duty=status)


@router.get("/admin")
async def dashboard_without_slash() -> RedirectResponse:
    return RedirectResponse("/admin/", status_code=308)


@router.post("/admin/availability", response_model=None)
async def change_availability(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    available: Annotated[bool, Form()],
) -> Response:
    """Mark oneself available for chat duty or away; htmx swaps just the toggle."""
    await set_availability(db, user, available)
    if "hx-request" in request.headers:
        return render(request, "partials/availability.html", active)
    return RedirectResponse("/admin/", status_code=303)
