"""Saving the editor's work: validate everything first, then write the service, its history and
an audit event in the request's one transaction, or nothing at all.

Saving requires the redaktor's confirmation that the facts were checked today; that sets
"last verified" to today and to them. Status changes (close, reopen, archive) are audited too.
"""

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from admin.catalogue.field_errors import VERIFIED_KEY, FieldErrors, errors_by_field
from admin.catalogue.form import ServiceDraft
from admin.staff.audit import record_event
from admin.staff.models import AuditAction
from services_catalog.editing import (
    ServiceExistsError,
    archive_service,
    close_temporarily,
    create_service,
    reopen_service,
    update_service,
)
from services_catalog.records import ServiceRecord

VERIFIED_FIELD = VERIFIED_KEY
NOT_VERIFIED = "Kryss av for at du har kontrollert opplysningene i dag. Ellers lagres ingenting."
SLUG_TAKEN = "Adressenavnet brukes allerede av en annen tjeneste."
STATUS_MESSAGE_MAX = 500
# The tables are narrower than the records allow in places; say so instead of failing there.
_COLUMN_LIMITS = (("status_message", STATUS_MESSAGE_MAX),)
_CONTACT_LIMITS = (("value", 500), ("label_nb", 120), ("label_nn", 120), ("label_en", 120))
SERVICE_TARGET = "service"


@dataclass(frozen=True)
class Saved:
    slug: str
    changed_fields: int


def _too_long(draft: ServiceDraft) -> FieldErrors:
    errors: FieldErrors = {}
    for name, limit in _COLUMN_LIMITS:
        if len(getattr(draft, name)) > limit:
            errors[name] = [f"For lang: høyst {limit} tegn."]
    for index, contact in enumerate(draft.contacts):
        for name, limit in _CONTACT_LIMITS:
            if len(getattr(contact, name)) > limit:
                errors[f"contacts[{index}].{name.replace('_', '.')}"] = [
                    f"For lang: høyst {limit} tegn."
                ]
    return errors


def check_draft(
    draft: ServiceDraft, *, verified: bool, editor: str, today: date
) -> ServiceRecord | FieldErrors:
    """The record to save, or every error in the form (blank rows dropped first)."""
    draft.without_blank_rows()
    errors = _too_long(draft)
    if not verified:
        errors[VERIFIED_FIELD] = [NOT_VERIFIED]
    try:
        record = ServiceRecord.model_validate(draft.raw(today, editor))
    except ValidationError as error:
        for key, messages in errors_by_field(error).items():
            errors.setdefault(key, []).extend(messages)
        return errors
    return errors or record


async def _audit(
    session: AsyncSession,
    editor: str,
    slug: str,
    change: str,
    fields: int,
    at: datetime | None = None,
) -> None:
    await record_event(
        session,
        editor,
        AuditAction.CATALOGUE_CHANGED,
        SERVICE_TARGET,
        slug,
        {"change": change, "fields": fields},
        at=at,
    )


async def save_new(
    session: AsyncSession, record: ServiceRecord, editor: str, at: datetime
) -> Saved | FieldErrors:
    try:
        await create_service(session, record, changed_by=editor, at=at)
    except ServiceExistsError:
        return {"slug": [SLUG_TAKEN]}
    fields = len(ServiceRecord.model_fields)
    await _audit(session, editor, record.slug, "created", fields, at)
    return Saved(record.slug, fields)


async def save_changes(
    session: AsyncSession, slug: str, record: ServiceRecord, editor: str, at: datetime
) -> Saved | FieldErrors:
    """Update service `slug` (ServiceNotFoundError if it is gone); audited when anything changed."""
    try:
        changes = await update_service(session, slug, record, changed_by=editor, at=at)
    except ServiceExistsError:
        return {"slug": [SLUG_TAKEN]}
    if changes:
        await _audit(session, editor, record.slug, "updated", len(changes), at)
    return Saved(record.slug, len(changes))


def closing_message_problem(message: str) -> str | None:
    if not message:
        return "Skriv hva brukerne skal få vite mens tjenesten er stengt."
    if len(message) > STATUS_MESSAGE_MAX:
        return f"For lang: høyst {STATUS_MESSAGE_MAX} tegn."
    return None


async def close_service(session: AsyncSession, slug: str, message: str, editor: str) -> None:
    """Close temporarily with `message` for users (one line; check it first)."""
    changes = await close_temporarily(session, slug, message, changed_by=editor)
    if changes:
        await _audit(session, editor, slug, "closed", len(changes))


async def reopen(session: AsyncSession, slug: str, editor: str) -> None:
    changes = await reopen_service(session, slug, changed_by=editor)
    if changes:
        await _audit(session, editor, slug, "reopened", len(changes))


async def archive(session: AsyncSession, slug: str, editor: str) -> None:
    changes = await archive_service(session, slug, changed_by=editor)
    if changes:
        await _audit(session, editor, slug, "archived", len(changes))
