"""Staff accounts: creating, finding and changing users (role, active, availability, password).

Every change that matters is written to the audit log here, next to the change itself, so no
caller can forget it.
"""

import re

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.audit import record_event
from admin.staff.models import AuditAction, Role, StaffSession, StaffUser
from admin.staff.passwords import hash_password

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountError(ValueError):
    """A change to an account that is not allowed; the message is shown to the admin."""


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_PATTERN.fullmatch(name):
        raise AccountError(
            "Brukernavnet må ha 2–64 tegn: små bokstaver a–z, tall, punktum, bindestrek "
            "eller understrek."
        )
    return name


async def find_user(session: AsyncSession, username: str) -> StaffUser | None:
    query = select(StaffUser).where(StaffUser.username == normalise_username(username))
    return await session.scalar(query)


async def get_user(session: AsyncSession, user_id: int) -> StaffUser | None:
    return await session.get(StaffUser, user_id)


async def list_users(session: AsyncSession) -> list[StaffUser]:
    result = await session.scalars(select(StaffUser).order_by(StaffUser.username))
    return list(result)


async def count_active_admins(session: AsyncSession) -> int:
    query = select(func.count()).where(StaffUser.role == Role.ADMIN, StaffUser.active.is_(True))
    return int(await session.scalar(query) or 0)


async def create_user(
    session: AsyncSession, username: str, password: str, role: Role, actor: str
) -> StaffUser:
    """A new active account; raises AccountError if the name is taken or not allowed."""
    name = check_username(username)
    if await find_user(session, name) is not None:
        raise AccountError("Brukernavnet er allerede i bruk.")
    user = StaffUser(username=name, password_hash=hash_password(password), role=role)
    session.add(user)
    await session.flush()
    await record_event(
        session, actor, AuditAction.USER_CREATED, "staff_user", user.id, {"role": role.value}
    )
    return user


async def change_role(session: AsyncSession, user: StaffUser, role: Role, actor: str) -> None:
    if user.role is role:
        return
    if user.role is Role.ADMIN and user.active and await count_active_admins(session) <= 1:
        raise AccountError("Det må finnes minst én aktiv administrator.")
    details = {"from": user.role.value, "to": role.value}
    user.role = role
    await session.flush()
    await record_event(session, actor, AuditAction.ROLE_CHANGED, "staff_user", user.id, details)


async def set_active(session: AsyncSession, user: StaffUser, active: bool, actor: str) -> None:
    """Deactivate (and log out everywhere) or reactivate an account."""
    if user.active is active:
        return
    if not active and user.role is Role.ADMIN and await count_active_admins(session) <= 1:
        raise AccountError("Det må finnes minst én aktiv administrator.")
    user.active = active
    if not active:
        user.available_for_duty = False
        await end_all_sessions_of(session, user)
    action = AuditAction.USER_REACTIVATED if active else AuditAction.USER_DEACTIVATED
    await session.flush()
    await record_event(session, actor, action, "staff_user", user.id)


async def reset_password(session: AsyncSession, user: StaffUser, password: str, actor: str) -> None:
    """Set a new password, unlock the account and end its sessions."""
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    await end_all_sessions_of(session, user)
    action = AuditAction.PASSWORD_CHANGED if actor == user.username else AuditAction.PASSWORD_RESET
    await session.flush()
    await record_event(session, actor, action, "staff_user", user.id)


async def set_availability(session: AsyncSession, user: StaffUser, available: bool) -> None:
    """Mark a staff member available for chat duty or away."""
    if user.available_for_duty is available:
        return
    user.available_for_duty = available
    await session.flush()
    await record_event(
        session,
        user.username,
        AuditAction.AVAILABILITY_CHANGED,
        "staff_user",
        user.id,
        {"available": available},
    )


async def end_all_sessions_of(session: AsyncSession, user: StaffUser) -> int:
    """Delete every session of `user`; returns how many there were."""
    result = await session.scalars(select(StaffSession).where(StaffSession.user_id == user.id))
    sessions = list(result)
    for staff_session in sessions:
        await session.delete(staff_session)
    await session.flush()
    return len(sessions)
