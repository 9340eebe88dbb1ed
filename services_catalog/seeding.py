"""The demo catalogue of the fictional "Eksempel kommune", seeded on first run.

Seeding only adds services that are missing: once a service exists, staff own it, and a
restart must never undo their edits. Running it twice changes nothing.
"""

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.datafile import load_datafile
from services_catalog.editing import add_service, ensure_organization
from services_catalog.queries import existing_slugs, list_organizations
from services_catalog.records import CatalogueRecord

DEMO_MUNICIPALITY = "9999"
DEMO_FILE = "eksempel-kommune.yml"
SEEDED_BY = "seed:eksempel-kommune"


@dataclass
class SeedResult:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.created)} services added, {len(self.existing)} already present"


@cache
def load_demo_catalogue() -> CatalogueRecord:
    """The demo catalogue, validated (raises CatalogueError if someone broke the file)."""
    return load_datafile(files("services_catalog").joinpath("data", DEMO_FILE).read_text("utf-8"))


async def seed_demo(session: AsyncSession) -> SeedResult:
    """Add the demo services that are not in the database yet; flushes, the caller commits."""
    catalogue = load_demo_catalogue()
    organizations = {org.name: org for org in await list_organizations(session)}
    for record in catalogue.organizations:
        if record.name not in organizations:
            organizations[record.name] = await ensure_organization(session, record.name, record)
    present = await existing_slugs(session)
    result = SeedResult()
    for service in catalogue.services:
        if service.slug in present:
            result.existing.append(service.slug)
            continue
        organization = organizations[service.organization]
        add_service(session, service, organization, changed_by=SEEDED_BY)
        result.created.append(service.slug)
    await session.flush()
    return result
