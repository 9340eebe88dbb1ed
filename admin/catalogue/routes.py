"""The catalogue editor's pages (redaktor and admin): the list, a new service, editing one,
closing, reopening and archiving it, and its change history."""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from admin.catalogue.field_errors import FieldErrors, error_summary
from admin.catalogue.form import ServiceDraft, draft_from_record, new_draft
from admin.catalogue.form_reading import SAVE, apply_row_action, read_action, read_draft
from admin.catalogue.labels import FIELDS, LABELS
from admin.catalogue.overview import (
    ListFilters,
    count_catalogue,
    is_stale,
    list_for_editor,
    service_history,
)
from admin.catalogue.saving import (
    VERIFIED_FIELD,
    Saved,
    archive,
    check_draft,
    close_service,
    closing_message_problem,
    reopen,
    save_changes,
    save_new,
)
from admin.staff.dependencies import CurrentSession, DbSession, Now, RedaktorUser, staff_router
from admin.staff.pages import OSLO, render
from admin.staff.sessions import ActiveSession
from services_catalog.models import Service
from services_catalog.queries import get_service, list_organizations
from services_catalog.rows import service_record

router = staff_router()
CATALOGUE_PATH = "/admin/catalogue"
NEW_PATH = f"{CATALOGUE_PATH}/new"
SERVICE_PATH = f"{CATALOGUE_PATH}/services/{{slug}}"
ClosingMessage = Annotated[str, Form(max_length=2000)]


def service_url(slug: str) -> str:
    return SERVICE_PATH.format(slug=slug)


def render_catalogue(
    request: Request, name: str, active: ActiveSession, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return render(request, name, active, status_code=status_code, labels=LABELS, **context)


async def _service_or_404(db: AsyncSession, slug: str) -> Service:
    service = await get_service(db, slug)
    if service is None:
        raise HTTPException(404, "Fant ikke tjenesten.")
    return service


def _today(now: datetime) -> date:
    return now.astimezone(OSLO).date()


@router.get(CATALOGUE_PATH)
async def catalogue_list(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    user: RedaktorUser,
    now: Now,
    q: Annotated[str, Query(max_length=200)] = "",
    topic: Annotated[str, Query(max_length=40)] = "",
    status: Annotated[str, Query(max_length=40)] = "",
    stale: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    """All services, searchable and filtered by topic, status and whether they need checking."""
    filters = ListFilters.from_query(q, topic, status, stale)
    listed = await list_for_editor(db, filters, _today(now))
    return render_catalogue(
        request, "catalogue/list.html", active, services=listed, filters=filters
    )


@router.get(f"{CATALOGUE_PATH}/card")
async def catalogue_card(
    request: Request, db: DbSession, active: CurrentSession, user: RedaktorUser, now: Now
) -> HTMLResponse:
    """The dashboard card's numbers (loaded into the card by htmx)."""
    counts = await count_catalogue(db, _today(now))
    return render_catalogue(request, "catalogue/card.html", active, counts=counts)


async def _editor_page(
    request: Request,
    db: AsyncSession,
    active: ActiveSession,
    draft: ServiceDraft,
    *,
    service: Service | None = None,
    errors: FieldErrors | None = None,
    verified: bool = False,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    organizations = [organization.name for organization in await list_organizations(db)]
    return render_catalogue(
        request,
        "catalogue/service.html" if service else "catalogue/new.html",
        active,
        status_code=status_code,
        draft=draft,
        service=service,
        errors=errors or {},
        error_summary=error_summary(errors or {}, FIELDS),
        verified=verified,
        organizations=organizations,
        form_action=service_url(service.slug) if service else NEW_PATH,
        **context,
    )


@router.get(NEW_PATH)
async def new_service_page(
    request: Request, db: DbSession, active: CurrentSession, user: RedaktorUser
) -> HTMLResponse:
    return await _editor_page(request, db, active, new_draft())


@router.post(NEW_PATH, response_model=None)
async def create_service_from_form(
    request: Request, db: DbSession, active: CurrentSession, user: RedaktorUser, now: Now
) -> Response:
    """Save a new service, or (for the add/remove-row buttons) show the changed form."""
    form = await request.form()
    draft, action = read_draft(form), read_action(form)
    verified = VERIFIED_FIELD in form
    if action != SAVE:
        apply_row_action(draft, action)
        return await _editor_page(request, db, active, draft, verified=verified)
    checked = check_draft(draft, verified=verified, editor=user.username, today=_today(now))
    result = (
        checked if isinstance(checked, dict) else await save_new(db, checked, user.username, now)
    )
    if isinstance(result, Saved):
        return RedirectResponse(f"{service_url(result.slug)}?lagret=1", status_code=303)
    return await _editor_page(
        request, db, active, draft, errors=result, verified=verified, status_code=400
    )


@router.get(SERVICE_PATH)
async def service_page(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    user: RedaktorUser,
    now: Now,
    slug: str,
    lagret: int = 0,
) -> HTMLResponse:
    """One service in the editor, with its status actions."""
    service = await _service_or_404(db, slug)
    draft = draft_from_record(service_record(service))
    stale = is_stale(service.last_verified_on, service.status, _today(now))
    return await _editor_page(
        request, db, active, draft, service=service, saved=bool(lagret), stale=stale
    )


@router.post(SERVICE_PATH, response_model=None)
async def update_service_from_form(
    request: Request, db: DbSession, active: CurrentSession, user: RedaktorUser, now: Now, slug: str
) -> Response:
    """Save the edited service; every changed field goes into its history."""
    service = await _service_or_404(db, slug)
    form = await request.form()
    draft, action = read_draft(form), read_action(form)
    draft.last_verified_on, draft.last_verified_by = (
        service.last_verified_on,
        service.last_verified_by,
    )
    verified = VERIFIED_FIELD in form
    if action != SAVE:
        apply_row_action(draft, action)
        return await _editor_page(request, db, active, draft, service=service, verified=verified)
    today = _today(now)
    checked = check_draft(draft, verified=verified, editor=user.username, today=today)
    result = (
        checked
        if isinstance(checked, dict)
        else await save_changes(db, slug, checked, user.username, now)
    )
    if isinstance(result, Saved):
        return RedirectResponse(f"{service_url(result.slug)}?lagret=1", status_code=303)
    return await _editor_page(
        request,
        db,
        active,
        draft,
        service=service,
        errors=result,
        verified=verified,
        status_code=400,
        stale=is_stale(service.last_verified_on, service.status, today),
    )


@router.post(f"{SERVICE_PATH}/close", response_model=None)
async def close_service_page(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    user: RedaktorUser,
    now: Now,
    slug: str,
    status_message: ClosingMessage = "",
) -> Response:
    """Close a service temporarily; the chat tells users `status_message` meanwhile."""
    service = await _service_or_404(db, slug)
    message = " ".join(status_message.split())
    problem = closing_message_problem(message)
    if problem is None:
        await close_service(db, slug, message, user.username)
        return RedirectResponse(service_url(slug), status_code=303)
    draft = draft_from_record(service_record(service))
    return await _editor_page(
        request,
        db,
        active,
        draft,
        service=service,
        status_code=400,
        closing_error=problem,
        stale=is_stale(service.last_verified_on, service.status, _today(now)),
    )


@router.post(f"{SERVICE_PATH}/reopen")
async def reopen_service_page(db: DbSession, user: RedaktorUser, slug: str) -> RedirectResponse:
    await _service_or_404(db, slug)
    await reopen(db, slug, user.username)
    return RedirectResponse(service_url(slug), status_code=303)


@router.post(f"{SERVICE_PATH}/archive")
async def archive_service_page(db: DbSession, user: RedaktorUser, slug: str) -> RedirectResponse:
    """Take the service out of the chat for good (it can be reopened; its history stays)."""
    await _service_or_404(db, slug)
    await archive(db, slug, user.username)
    return RedirectResponse(service_url(slug), status_code=303)


@router.get(f"{SERVICE_PATH}/history")
async def history_page(
    request: Request, db: DbSession, active: CurrentSession, user: RedaktorUser, slug: str
) -> HTMLResponse:
    """Who changed which field of this service, when, from what to what."""
    service = await _service_or_404(db, slug)
    changes = await service_history(db, service)
    return render_catalogue(
        request, "catalogue/history.html", active, service=service, changes=changes
    )
