"""FastAPI dependencies of the staff app: the request's database session, the logged-in staff
member, role checks and the CSRF check. Use the `Annotated` aliases in route signatures.

Every router under /admin except the login page is made with `staff_router()`, which puts the
login and CSRF checks on all its routes, so a new page cannot forget them.
"""

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from admin.database import unit_of_work
from admin.staff.models import Role, StaffUser
from admin.staff.sessions import ActiveSession, resume_session

if TYPE_CHECKING:
    from admin.app import Runtime
    from admin.settings import Settings

SESSION_COOKIE = "fv_staff"
LOGIN_CSRF_COOKIE = "fv_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotAuthenticated(Exception):
    """No valid staff session: pages redirect to the login page, API calls get 401."""


class Forbidden(Exception):
    """Logged in, but the role does not allow this."""


class CsrfRejected(Exception):
    """A state-changing request without the session's CSRF token."""


def get_runtime(request: Request) -> "Runtime":
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_settings_of_app(request: Request) -> "Settings":
    return get_runtime(request).settings


async def open_db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One unit of work per request: committed before the response is sent, or rolled back."""
    async with unit_of_work(get_runtime(request).sessions) as session:
        yield session


def get_now() -> datetime:
    """The current time; tests override this dependency to move the clock."""
    return datetime.now(UTC)


DbSession = Annotated[AsyncSession, Depends(open_db_session, scope="function")]
Now = Annotated[datetime, Depends(get_now)]


async def resolve_session(request: Request, db: DbSession, now: Now) -> ActiveSession:
    active = await resume_session(db, request.cookies.get(SESSION_COOKIE, ""), now)
    if active is None:
        raise NotAuthenticated()
    return active


CurrentSession = Annotated[ActiveSession, Depends(resolve_session)]


async def current_staff(active: CurrentSession) -> StaffUser:
    return active.user


CurrentStaff = Annotated[StaffUser, Depends(current_staff)]

RoleCheck = Callable[[StaffUser], Awaitable[StaffUser]]


def require_role(role: Role) -> RoleCheck:
    """A dependency that lets through only staff holding `role` (admins hold every role)."""

    async def check_role(user: CurrentStaff) -> StaffUser:
        if not user.may(role):
            raise Forbidden()
        return user

    check_role.required_role = role  # type: ignore[attr-defined]  # read by the route-table test
    return check_role


AdminUser = Annotated[StaffUser, Depends(require_role(Role.ADMIN))]
VeilederUser = Annotated[StaffUser, Depends(require_role(Role.VEILEDER))]
RedaktorUser = Annotated[StaffUser, Depends(require_role(Role.REDAKTOR))]


async def verify_csrf(request: Request, active: CurrentSession) -> None:
    """Refuse a state-changing request unless it carries the session's CSRF token.

    Forms send it as the hidden field `csrf_token`; htmx sends it in the `X-CSRF-Token` header
    (set by static/admin.js from the page's meta tag).
    """
    if request.method in SAFE_METHODS:
        return
    sent: Any = request.headers.get(CSRF_HEADER)
    if sent is None and _has_form_body(request):
        sent = (await request.form()).get(CSRF_FIELD)
    if not isinstance(sent, str) or not secrets.compare_digest(sent, active.csrf_token):
        raise CsrfRejected()


def _has_form_body(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def staff_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose every route requires a logged-in staff member and, for POST and the
    like, the CSRF token. Add role checks per route with `AdminUser`, `RedaktorUser`, … ."""
    dependencies = [Depends(verify_csrf), *kwargs.pop("dependencies", [])]
    kwargs.setdefault("include_in_schema", False)
    return APIRouter(dependencies=dependencies, **kwargs)


def wants_html(request: Request) -> bool:
    """Whether to answer an auth failure with a page/redirect rather than a status for code."""
    if request.url.path.startswith("/admin/api/") or "hx-request" in request.headers:
        return False
    return "application/json" not in request.headers.get("accept", "")
