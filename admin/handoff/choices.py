"""What the holder of a conversation can choose from: colleagues to transfer to, and the
catalogue's services to record a referral to."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.models import Role, StaffUser
from services_catalog.models import Service
from services_catalog.vocabulary import ServiceStatus


@dataclass(frozen=True, slots=True)
class ServiceChoice:
    slug: str
    name: str


async def available_colleagues(session: AsyncSession, me: int) -> list[StaffUser]:
    """Active veiledere (and admins) marked available for chat duty, except `me`."""
    result = await session.scalars(
        select(StaffUser)
        .where(
            StaffUser.active.is_(True),
            StaffUser.available_for_duty.is_(True),
            StaffUser.role.in_([Role.VEILEDER, Role.ADMIN]),
            StaffUser.id != me,
        )
        .order_by(StaffUser.username)
    )
    return list(result)


async def catalogue_choices(session: AsyncSession) -> list[ServiceChoice]:
    """The catalogue's services that are not archived, by name."""
    result = await session.execute(
        select(Service.slug, Service.name_nb)
        .where(Service.status != ServiceStatus.INACTIVE)
        .order_by(Service.name_nb)
    )
    return [ServiceChoice(slug, name) for slug, name in result.all()]
