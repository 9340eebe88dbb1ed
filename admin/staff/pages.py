"""Rendering staff pages: the Jinja2 environment (autoescaped), its filters, and `render`.

Templates stay dumb: handlers pass ready values, filters only format them for Norwegian eyes.
"""

from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from admin.staff.models import AuditAction, Role
from admin.staff.sessions import ActiveSession

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
OSLO = ZoneInfo("Europe/Oslo")

ROLE_LABELS = {Role.VEILEDER: "Veileder", Role.REDAKTOR: "Redaktør", Role.ADMIN: "Administrator"}
ACTION_LABELS = {
    AuditAction.LOGIN: "Innlogging",
    AuditAction.LOGIN_FAILED: "Mislykket innlogging",
    AuditAction.LOGOUT: "Utlogging",
    AuditAction.LOGOUT_EVERYWHERE: "Logget ut overalt",
    AuditAction.ACCOUNT_LOCKED: "Konto midlertidig låst",
    AuditAction.CONVERSATION_VIEWED: "Samtale åpnet",
    AuditAction.CONVERSATION_CLAIMED: "Samtale overtatt",
    AuditAction.CATALOGUE_CHANGED: "Katalog endret",
    AuditAction.USER_CREATED: "Bruker opprettet",
    AuditAction.ROLE_CHANGED: "Rolle endret",
    AuditAction.USER_DEACTIVATED: "Bruker deaktivert",
    AuditAction.USER_REACTIVATED: "Bruker aktivert igjen",
    AuditAction.PASSWORD_RESET: "Passord nullstilt",
    AuditAction.PASSWORD_CHANGED: "Passord endret",
    AuditAction.AVAILABILITY_CHANGED: "Tilgjengelighet endret",
    AuditAction.DUTY_SCHEDULE_CHANGED: "Vaktplan endret",
    AuditAction.CANNED_REPLY_CHANGED: "Standardsvar endret",
    AuditAction.AUDIT_EXPORTED: "Logg eksportert",
    AuditAction.DELETED: "Slettet",
}


def format_local(value: datetime | None, with_date: bool = True) -> str:
    """`23.11.2026 kl. 17:05` in Norwegian time."""
    if value is None:
        return "–"
    local = value.astimezone(OSLO)
    return local.strftime("%d.%m.%Y kl. %H:%M") if with_date else local.strftime("%H:%M")


def format_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def format_time(value: time | None) -> str:
    return value.strftime("%H:%M") if value else "–"


templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters.update(
    local_time=format_local,
    norwegian_date=format_date,
    clock=format_time,
    role_label=lambda role: ROLE_LABELS.get(role, str(role)),
    action_label=lambda action: ACTION_LABELS.get(action, str(action)),
)
templates.env.globals.update(Role=Role, ROLE_LABELS=ROLE_LABELS)


def render(
    request: Request,
    name: str,
    active: ActiveSession | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a page for the logged-in staff member (`active`) or an anonymous visitor."""
    context.setdefault("staff", active.user if active else None)
    context.setdefault("csrf_token", active.csrf_token if active else "")
    return templates.TemplateResponse(request, name, context, status_code=status_code)
