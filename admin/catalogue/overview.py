"""The catalogue as the editor lists it: filters, the stale flag, counts for the dashboard card.

An entry is stale when nobody has confirmed it for more than six months (or never). Archived
services are never stale: they are out of the chat, there is nothing to keep true.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.models import Service, ServiceChange
from services_catalog.queries import list_services
from services_catalog.topics import Topic
from services_catalog.vocabulary import ServiceStatus

STALE_AFTER_MONTHS = 6


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (31 August - 6 months = 28/29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def is_stale(last_verified_on: date | None, status: ServiceStatus, today: date) -> bool:
    if status is ServiceStatus.INACTIVE:
        return False
    return last_verified_on is None or last_verified_on < months_before(today, STALE_AFTER_MONTHS)


@dataclass(frozen=True)
class ListFilters:
    """The list page's filters as chosen; unknown values mean "no filter"."""

    search: str = ""
    topic: Topic | None = None
    status: ServiceStatus | None = None
    stale: bool | None = None

    @classmethod
    def from_query(cls, search: str, topic: str, status: str, stale: str) -> "ListFilters":
        return cls(
            search=search.strip()[:100],
            topic=Topic(topic) if topic in Topic.__members__.values() else None,
            status=ServiceStatus(status) if status in ServiceStatus.__members__.values() else None,
            stale={"ja": True, "nei": False}.get(stale),
        )


@dataclass(frozen=True)
class ListedService:
    service: Service
    stale: bool


async def list_for_editor(
    session: AsyncSession, filters: ListFilters, today: date
) -> list[ListedService]:
    services = await list_services(
        session, search=filters.search or None, topic=filters.topic, status=filters.status
    )
    listed = [
        ListedService(service, is_stale(service.last_verified_on, service.status, today))
        for service in services
    ]
    if filters.stale is not None:
        listed = [entry for entry in listed if entry.stale is filters.stale]
    return listed


@dataclass(frozen=True)
class CatalogueCounts:
    services: int  # not archived
    stale: int


async def count_catalogue(session: AsyncSession, today: date) -> CatalogueCounts:
    """Services in use and how many of them need checking, for the dashboard card."""
    rows = await session.execute(
        select(Service.status, Service.last_verified_on).where(
            Service.status != ServiceStatus.INACTIVE
        )
    )
    verified = [(status, day) for status, day in rows]
    stale = sum(1 for status, day in verified if is_stale(day, status, today))
    return CatalogueCounts(services=len(verified), stale=stale)


async def service_history(session: AsyncSession, service: Service) -> list[ServiceChange]:
    """Every change of this service, newest first, also those made under an earlier slug."""
    query = (
        select(ServiceChange)
        .where(ServiceChange.service_id == service.id)
        .order_by(ServiceChange.changed_at.desc(), ServiceChange.id.desc())
    )
    return list((await session.scalars(query)).all())
