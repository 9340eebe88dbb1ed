"""Changing the catalogue: create, update, archive, close and reopen services from records.

Every change writes one `service_change` row per changed field (who, when, old, new), so staff
can see who changed a phone number and when. Functions flush; the caller's unit of work commits.
"""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.models import Organization, Service, ServiceChange, utc_now
from services_catalog.queries import get_organization, get_service
from services_catalog.records import OrganizationRecord, ServiceRecord
from services_catalog.rows import fill_organization, fill_service, service_record
from services_catalog.vocabulary import ServiceStatus


class ServiceNotFoundError(LookupError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"no service with slug {slug!r}")
        self.slug = slug


class ServiceExistsError(ValueError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"a service with slug {slug!r} already exists")
        self.slug = slug


def _as_text(value: Any) -> str | None:
    """One field of a record as history text: plain for scalars, JSON for structures."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def changed_fields(
    old: ServiceRecord | None, new: ServiceRecord
) -> list[tuple[str, str | None, str | None]]:
    """(field, old text, new text) for every top-level field that differs."""
    before = old.model_dump(mode="json") if old else {}
    after = new.model_dump(mode="json")
    return [
        (name, _as_text(before.get(name)), _as_text(after[name]))
        for name in after
        if before.get(name) != after[name]
    ]


async def ensure_organization(
    session: AsyncSession, name: str, record: OrganizationRecord | None = None
) -> Organization:
    """The organisation called `name`, created if new and refreshed from `record` if given."""
    organization = await get_organization(session, name)
    if organization is None:
        organization = Organization(name=name)
        session.add(organization)
    if record is not None:
        fill_organization(organization, record)
    return organization


async def _slug_taken(session: AsyncSession, slug: str) -> bool:
    found = await session.scalar(select(Service.id).where(Service.slug == slug))
    return found is not None


def _log(
    session: AsyncSession,
    service: Service,
    changes: list[tuple[str, str | None, str | None]],
    changed_by: str,
    at: datetime,
) -> list[ServiceChange]:
    rows = [
        ServiceChange(
            service=service,
            service_slug=service.slug,
            changed_at=at,
            changed_by=changed_by,
            field=name,
            old_value=old,
            new_value=new,
        )
        for name, old, new in changes
    ]
    session.add_all(rows)
    return rows


def add_service(
    session: AsyncSession,
    record: ServiceRecord,
    organization: Organization,
    *,
    changed_by: str,
    at: datetime | None = None,
) -> Service:
    """Stage a new service and its first history without flushing (for bulk seeding)."""
    service = Service()
    fill_service(service, record, organization)
    session.add(service)
    _log(session, service, changed_fields(None, record), changed_by, at or utc_now())
    return service


async def create_service(
    session: AsyncSession, record: ServiceRecord, *, changed_by: str, at: datetime | None = None
) -> Service:
    """A new service from a validated record; its history starts with every field set."""
    if await _slug_taken(session, record.slug):
        raise ServiceExistsError(record.slug)
    organization = await ensure_organization(session, record.organization)
    service = add_service(session, record, organization, changed_by=changed_by, at=at)
    await session.flush()
    return service


async def update_service(
    session: AsyncSession,
    slug: str,
    record: ServiceRecord,
    *,
    changed_by: str,
    at: datetime | None = None,
) -> list[ServiceChange]:
    """Make service `slug` say what `record` says; returns the changes (none if equal).

    The record may carry a new slug (a rename); history keeps the slug at the time of change.
    """
    service = await get_service(session, slug)
    if service is None:
        raise ServiceNotFoundError(slug)
    if record.slug != slug and await _slug_taken(session, record.slug):
        raise ServiceExistsError(record.slug)
    changes = changed_fields(service_record(service), record)
    if not changes:
        return []
    organization = await ensure_organization(session, record.organization)
    fill_service(service, record, organization)
    rows = _log(session, service, changes, changed_by, at or utc_now())
    await session.flush()
    return rows


async def _change_status(
    session: AsyncSession,
    slug: str,
    status: ServiceStatus,
    message: str | None,
    changed_by: str,
) -> list[ServiceChange]:
    service = await get_service(session, slug)
    if service is None:
        raise ServiceNotFoundError(slug)
    current = service_record(service).model_dump()
    record = ServiceRecord.model_validate(current | {"status": status, "status_message": message})
    return await update_service(session, slug, record, changed_by=changed_by)


async def archive_service(
    session: AsyncSession, slug: str, *, changed_by: str
) -> list[ServiceChange]:
    """Take a service out of matching for good (status inactive); its history stays."""
    return await _change_status(session, slug, ServiceStatus.INACTIVE, None, changed_by)


async def close_temporarily(
    session: AsyncSession, slug: str, message: str, *, changed_by: str
) -> list[ServiceChange]:
    """Mark a service temporarily closed; `message` is what users are told."""
    return await _change_status(
        session, slug, ServiceStatus.TEMPORARILY_CLOSED, message, changed_by
    )


async def reopen_service(
    session: AsyncSession, slug: str, *, changed_by: str
) -> list[ServiceChange]:
    return await _change_status(session, slug, ServiceStatus.ACTIVE, None, changed_by)
