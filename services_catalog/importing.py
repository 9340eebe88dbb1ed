"""Applying a validated catalogue to the database, or reporting what that would change.

Validation happens before this point (`problems.parse_catalogue`), so a bad file never reaches
the database. Services missing from the file are left alone: an import adds and updates, it
never deletes (archive a service explicitly instead).
"""

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.editing import add_service, changed_fields, ensure_organization
from services_catalog.editing import update_service as apply_update
from services_catalog.queries import list_organizations, list_services, services_by_slug
from services_catalog.records import CatalogueRecord
from services_catalog.rows import organization_record, service_record


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), by slug."""

    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # slug -> changed fields
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        counts = (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )
        return f"{counts} (dry run: nothing written)" if self.dry_run else counts


async def plan_import(session: AsyncSession, catalogue: CatalogueRecord) -> ImportReport:
    """What importing `catalogue` would change, without writing anything."""
    report = ImportReport(dry_run=True)
    found = await services_by_slug(session, [record.slug for record in catalogue.services])
    for record in catalogue.services:
        existing = found.get(record.slug)
        if existing is None:
            report.created.append(record.slug)
            continue
        changes = changed_fields(service_record(existing), record)
        if changes:
            report.updated[record.slug] = [name for name, _, _ in changes]
        else:
            report.unchanged.append(record.slug)
    return report


async def import_catalogue(
    session: AsyncSession,
    catalogue: CatalogueRecord,
    *,
    changed_by: str,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update every service in `catalogue`; flushes, the caller commits."""
    report = await plan_import(session, catalogue)
    if dry_run:
        return report
    organizations = {
        record.name: await ensure_organization(session, record.name, record)
        for record in catalogue.organizations
    }
    for record in catalogue.services:
        if record.slug in report.created:
            organization = organizations[record.organization]
            add_service(session, record, organization, changed_by=changed_by)
        elif record.slug in report.updated:
            await apply_update(session, record.slug, record, changed_by=changed_by)
    await session.flush()
    report.dry_run = False
    return report


async def export_catalogue(session: AsyncSession) -> CatalogueRecord:
    """The whole catalogue as records: every organisation and service, by name and slug."""
    services = [service_record(service) for service in await list_services(session)]
    organizations = [organization_record(org) for org in await list_organizations(session)]
    return CatalogueRecord(organizations=organizations, services=services)
