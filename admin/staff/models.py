"""Staff tables: accounts, server-side sessions, the audit log, the duty schedule, canned replies.

All times are stored in UTC (`UTCDateTime`); the duty schedule's wall-clock times are local
(Europe/Oslo) by definition, because that is how the municipality writes its opening hours.
"""

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services_catalog.models import NAMING_CONVENTION, UTCDateTime

SYSTEM_ACTOR = "system"
ANONYMOUS_ACTOR = "anonym"


class StaffBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


def _enum_column(enum: type[StrEnum], length: int) -> Enum:
    # Stored as plain strings: adding a member never needs a database migration.
    return Enum(enum, native_enum=False, length=length, values_callable=_values)


class Role(StrEnum):
    """What a staff member may do; `admin` may do everything."""

    VEILEDER = "veileder"  # duty staff: queue and conversations
    REDAKTOR = "redaktor"  # the services catalogue
    ADMIN = "admin"  # users, duty schedule, settings, audit log


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    LOGOUT_EVERYWHERE = "logout_everywhere"
    ACCOUNT_LOCKED = "account_locked"
    CONVERSATION_VIEWED = "conversation_viewed"
    CONVERSATION_CLAIMED = "conversation_claimed"
    CATALOGUE_CHANGED = "catalogue_changed"
    USER_CREATED = "user_created"
    ROLE_CHANGED = "role_changed"
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGED = "password_changed"
    AVAILABILITY_CHANGED = "availability_changed"
    DUTY_SCHEDULE_CHANGED = "duty_schedule_changed"
    CANNED_REPLY_CHANGED = "canned_reply_changed"
    AUDIT_EXPORTED = "audit_exported"
    DELETED = "deleted"


class StaffUser(StaffBase):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum_column(Role, 16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    available_for_duty: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    def may(self, role: Role) -> bool:
        """Whether this user holds `role`; admins hold every role."""
        return self.active and (self.role is Role.ADMIN or self.role is role)


class StaffSession(StaffBase):
    """A logged-in browser. Only a hash of the cookie's token is stored."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class AuditEvent(StaffBase):
    """Who did what to which object, and when. Never the text of a message."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[AuditAction] = mapped_column(_enum_column(AuditAction, 40), index=True)
    target_type: Mapped[str | None] = mapped_column(String(40), default=None)
    target_id: Mapped[str | None] = mapped_column(String(64), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DutyRule(StaffBase):
    """A weekly duty period: on `weekday` (0 = Monday) from `opens` to `closes`, local time."""

    __tablename__ = "duty_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


class DutyException(StaffBase):
    """Days that differ from the week: closed, or other hours (summer hours, a holiday kept open).

    An exception wins over both the weekly rules and the public holidays on its days.
    """

    __tablename__ = "duty_exception"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=True)
    opens: Mapped[time | None] = mapped_column(Time, default=None)
    closes: Mapped[time | None] = mapped_column(Time, default=None)
    note: Mapped[str] = mapped_column(String(200), default="")


class CannedReply(StaffBase):
    """A ready-made answer staff can insert while writing to a user; edited by admins."""

    __tablename__ = "canned_reply"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
