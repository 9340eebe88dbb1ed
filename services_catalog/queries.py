"""Reading the catalogue: every SELECT other modules need, with explicit eager loading."""

from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from services_catalog.models import (
    ContactPoint,
    Organization,
    Service,
    ServiceArea,
    ServiceChange,
    ServiceTopic,
)
from services_catalog.topics import Topic
from services_catalog.vocabulary import ServiceStatus

# Everything a service record, a match card or an export reads.
SERVICE_LOAD: tuple[LoaderOption, ...] = (
    selectinload(Service.organization),
    selectinload(Service.topics),
    selectinload(Service.contacts).selectinload(ContactPoint.rules),
    selectinload(Service.areas),
    selectinload(Service.languages),
)


def _fully_loaded() -> Select[Service]:
    return select(Service).options(*SERVICE_LOAD).execution_options(populate_existing=True)


async def list_services(
    session: AsyncSession,
    *,
    search: str | None = None,
    topic: Topic | str | None = None,
    status: ServiceStatus | str | None = None,
) -> list[Service]:
    """Services by slug, optionally filtered by a text in slug/name/summary, a topic, a status."""
    query = _fully_loaded().order_by(Service.slug)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(Service.slug).like(pattern),
                func.lower(Service.name_nb).like(pattern),
                func.lower(Service.summary_nb).like(pattern),
            )
        )
    if topic is not None:
        query = query.where(Service.topics.any(ServiceTopic.topic == Topic(topic)))
    if status is not None:
        query = query.where(Service.status == ServiceStatus(status))
    return list((await session.scalars(query)).all())


async def services_by_slug(session: AsyncSession, slugs: Sequence[str]) -> dict[str, Service]:
    """The fully loaded services among `slugs`, by slug (one round of queries)."""
    found = await session.scalars(_fully_loaded().where(Service.slug.in_(slugs)))
    return {service.slug: service for service in found}


async def get_service(session: AsyncSession, slug: str) -> Service | None:
    """One service with everything loaded, or None."""
    return await session.scalar(_fully_loaded().where(Service.slug == slug))


async def existing_slugs(session: AsyncSession) -> set[str]:
    return set((await session.scalars(select(Service.slug))).all())


async def find_candidates(
    session: AsyncSession, topics: Sequence[Topic], municipality: str
) -> list[Service]:
    """Services that cover any of `topics`, are not inactive, and serve `municipality`."""
    serves_here = or_(
        Service.national.is_(True), Service.areas.any(ServiceArea.kommunenummer == municipality)
    )
    query = _fully_loaded().where(
        Service.topics.any(ServiceTopic.topic.in_(topics)),
        Service.status != ServiceStatus.INACTIVE,
        serves_here,
    )
    return list((await session.scalars(query.order_by(Service.slug))).all())


async def list_suggestable(session: AsyncSession) -> list[Service]:
    """Every service that is not inactive, fully loaded: the catalogue as matching sees it."""
    query = _fully_loaded().where(Service.status != ServiceStatus.INACTIVE)
    return list((await session.scalars(query.order_by(Service.slug))).all())


async def catalogue_version(session: AsyncSession) -> tuple[object, ...]:
    """A value that changes whenever the catalogue is edited: one cheap query.

    Every edit through `editing` (and so the staff editor, import and seeding) logs a
    `ServiceChange`; `updated_at` and the count catch changes made to the rows directly.
    """
    query = select(
        select(func.max(ServiceChange.id)).scalar_subquery(),
        select(func.max(Service.updated_at)).scalar_subquery(),
        select(func.count(Service.id)).scalar_subquery(),
    )
    return tuple((await session.execute(query)).one())


async def get_organization(session: AsyncSession, name: str) -> Organization | None:
    return await session.scalar(select(Organization).where(Organization.name == name))


async def list_organizations(session: AsyncSession) -> list[Organization]:
    return list((await session.scalars(select(Organization).order_by(Organization.name))).all())


async def list_changes(session: AsyncSession, slug: str) -> list[ServiceChange]:
    """The change history of one service, oldest first."""
    query = (
        select(ServiceChange)
        .where(ServiceChange.service_slug == slug)
        .order_by(ServiceChange.changed_at, ServiceChange.id)
    )
    return list((await session.scalars(query)).all())
