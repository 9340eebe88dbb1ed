"""The demo catalogue of the fictional "Eksempel kommune", seeded on first run.

Seeding only adds services that are missing: once a service exists, staff own it, and a
restart must never undo their edits. Running it twice changes nothing.
"""

from dataclasses import dataclass, field
from importlib.resources import files

from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.datafile import load_datafile
from services_catalog.editing import create_service, ensure_organization
from services_catalog.queries import get_organization, get_service
from services_catalog.records import CatalogueRecord

DEMO_MUNICIPALITY = "9999"
DEMO_FILE = "eksempel-kommune.yml"
SEEDED_BY = "seed:eksempel-kommune"


@dataclass
class SeedResult:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def load_demo_catalogue() -> CatalogueRecord:
    """The demo catalogue, validated (raises CatalogueError if someone broke the file)."""
    return load_datafile(files("services_catalog").joinpath("data", DEMO_FILE).read_text("utf-8"))


async def seed_demo(session: AsyncSession) -> SeedResult:
    """Add the demo services that are not in the database yet; flushes, the caller commits."""
    catalogue = load_demo_catalogue()
    result = SeedResult()
    for organization in catalogue.organizations:
        if await get_organization(session, organization.name) is None:
            await ensure_organization(session, organization.name, organization)
    for record in catalogue.services:
        if await get_service(session, record.slug) is not None:
            result.existing.append(record.slug)
            continue
        await create_service(session, record, changed_by=SEEDED_BY)
        result.created.append(record.slug)
    await session.flush()
    return result
