"""Logging in and out: the only /admin routes an anonymous visitor may use (the login page)."""

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from admin.settings import Environment, Settings
from admin.staff.accounts import end_all_sessions_of
from admin.staff.audit import record_event
from admin.staff.dependencies import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentSession,
    DbSession,
    Now,
    get_settings_of_app,
    staff_router,
)
from admin.staff.login import LoginThrottle, authenticate
from admin.staff.models import AuditAction
from admin.staff.pages import render
from admin.staff.sessions import ABSOLUTE_LIFETIME, end_session, start_session

LOGIN_PATH = "/admin/login"
LOGIN_FAILED = "Feil brukernavn eller passord, eller kontoen er midlertidig låst. Prøv igjen."
TOO_MANY = "For mange forsøk fra denne maskinen. Vent noen minutter og prøv igjen."
FORM_EXPIRED = "Skjemaet var utløpt. Prøv å logge inn på nytt."

public = APIRouter(include_in_schema=False)
router = staff_router()


def cookies_are_secure(settings: Settings) -> bool:
    """Secure cookies everywhere except plain-HTTP development on this machine."""
    return settings.environment is Environment.PRODUCTION or settings.public_base_url.startswith(
        "https://"
    )


def safe_next(target: str) -> str:
    """Where to go after login: only a path inside the staff app, never another site."""
    if target.startswith("/admin") and not target.startswith(("//", "/admin/login")):
        return target if "\\" not in target else "/admin/"
    return "/admin/"


def _login_page(
    request: Request, next_path: str, error: str = "", status_code: int = 200
) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        None,
        status_code=status_code,
        error=error,
        next_path=safe_next(next_path),
        login_token=token,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path=LOGIN_PATH,
        httponly=True,
        samesite="strict",
        secure=cookies_are_secure(get_settings_of_app(request)),
    )
    return response


@public.get(LOGIN_PATH)
async def login_page(request: Request, next: str = "/admin/") -> HTMLResponse:
    """The login form."""
    return _login_page(request, next)


@public.post(LOGIN_PATH, response_model=None)
async def log_in(
    request: Request,
    db: DbSession,
    now: Now,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    login_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/admin/",
) -> Response:
    """Check the credentials; on success start a session and go to where the user was going."""
    cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie_token or not secrets.compare_digest(cookie_token, login_token):
        return _login_page(request, next, FORM_EXPIRED, status_code=400)
    throttle: LoginThrottle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    if not throttle.allows(client):
        return _login_page(request, next, TOO_MANY, status_code=429)
    user = await authenticate(db, username, password, now)
    if user is None:
        throttle.record_failure(client)
        return _login_page(request, next, LOGIN_FAILED, status_code=401)
    token = await start_session(db, user, now)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ABSOLUTE_LIFETIME.total_seconds()),
        path="/admin",
        httponly=True,
        samesite="strict",
        secure=cookies_are_secure(get_settings_of_app(request)),
    )
    return response


def _logged_out() -> RedirectResponse:
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response


@router.post("/admin/logout")
async def log_out(db: DbSession, active: CurrentSession) -> RedirectResponse:
    """End this browser's session."""
    await end_session(db, active.session)
    user = active.user
    await record_event(db, user.username, AuditAction.LOGOUT, "staff_user", user.id)
    return _logged_out()


@router.post("/admin/logout-everywhere")
async def log_out_everywhere(db: DbSession, active: CurrentSession) -> RedirectResponse:
    """End every session of this staff member, on every device."""
    user = active.user
    ended = await end_all_sessions_of(db, user)
    await record_event(
        db, user.username, AuditAction.LOGOUT_EVERYWHERE, "staff_user", user.id, {"sessions": ended}
    )
    return _logged_out()
