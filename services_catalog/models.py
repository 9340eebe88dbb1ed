"""The catalogue tables, shaped after Open Referral HSDS 3.0 with what a Norwegian line needs.

HSDS gives organization, service, phone/contact, schedule, service_area and language. On top we
keep texts in Bokmål, Nynorsk and English, who a service is for (roles, ages), the topic
vocabulary, per-contact opening hours, urgency, verification and a change history. Everything is
portable between SQLite and PostgreSQL: enums are VARCHAR + CHECK, lists are JSON.
"""

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services_catalog.topics import Topic
from services_catalog.vocabulary import (
    ContactKind,
    ServiceStatus,
    Urgency,
    VerificationStatus,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class CatalogBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _enum(enum_class: type[Any], name: str) -> Enum:
    """A StrEnum stored by value as VARCHAR with a CHECK constraint (no PostgreSQL ENUM type)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def utc_now() -> datetime:
    return datetime.now(UTC)


class Organization(CatalogBase):
    """Who runs a service: a municipality, a state agency or a voluntary organisation."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(320))

    services: Mapped[list["Service"]] = relationship(back_populates="organization", lazy="raise")


class Service(CatalogBase):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)

    name_nb: Mapped[str] = mapped_column(String(200))
    name_nn: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    summary_nb: Mapped[str] = mapped_column(String(300))
    summary_nn: Mapped[str | None] = mapped_column(String(300))
    summary_en: Mapped[str | None] = mapped_column(String(300))
    description_nb: Mapped[str | None] = mapped_column(Text)
    description_nn: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)

    # Ages are the child's when a parent or professional writes, the writer's own otherwise.
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    age_exempt_roles: Mapped[list[str]] = mapped_column(JSON, default=list)

    free: Mapped[bool] = mapped_column(default=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    referral_required: Mapped[bool] = mapped_column(default=False)
    urgency: Mapped[Urgency] = mapped_column(_enum(Urgency, "urgency"))
    status: Mapped[ServiceStatus] = mapped_column(_enum(ServiceStatus, "status"))
    status_message: Mapped[str | None] = mapped_column(String(500))
    national: Mapped[bool] = mapped_column(default=False)

    verification_status: Mapped[VerificationStatus] = mapped_column(
        _enum(VerificationStatus, "verification_status")
    )
    staff_note: Mapped[str | None] = mapped_column(Text)
    last_verified_on: Mapped[date | None] = mapped_column(Date)
    last_verified_by: Mapped[str | None] = mapped_column(String(200))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    organization: Mapped[Organization] = relationship(back_populates="services", lazy="raise")
    topics: Mapped[list["ServiceTopic"]] = relationship(
        order_by="ServiceTopic.rank", cascade="all, delete-orphan", lazy="raise"
    )
    contacts: Mapped[list["ContactPoint"]] = relationship(
        order_by="ContactPoint.position", cascade="all, delete-orphan", lazy="raise"
    )
    areas: Mapped[list["ServiceArea"]] = relationship(
        order_by="ServiceArea.kommunenummer", cascade="all, delete-orphan", lazy="raise"
    )
    languages: Mapped[list["ServiceLanguage"]] = relationship(
        order_by="ServiceLanguage.position", cascade="all, delete-orphan", lazy="raise"
    )

    __table_args__ = (
        CheckConstraint("min_age IS NULL OR max_age IS NULL OR min_age <= max_age", "age_range"),
    )


class ServiceTopic(CatalogBase):
    """A topic a service helps with; rank 0 is its main topic.

    A topic may narrow the service's ages (family guidance covers small-children only for 0-5)
    or lift them (helsestasjon's pregnancy care is for any age).
    """

    __tablename__ = "service_topic"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[Topic] = mapped_column(_enum(Topic, "topic"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    any_age: Mapped[bool] = mapped_column(default=False)


class ServiceArea(CatalogBase):
    """A municipality (kommunenummer) a non-national service serves."""

    __tablename__ = "service_area"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    kommunenummer: Mapped[str] = mapped_column(String(4), primary_key=True, index=True)


class ServiceLanguage(CatalogBase):
    """A language the service is offered in (ISO 639-1/-3 code)."""

    __tablename__ = "service_language"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class ContactPoint(CatalogBase):
    """One way to get in touch (HSDS phone, url, email, address), with its own hours."""

    __tablename__ = "contact_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ContactKind] = mapped_column(_enum(ContactKind, "kind"))
    value: Mapped[str] = mapped_column(String(500))
    label_nb: Mapped[str] = mapped_column(String(120))
    label_nn: Mapped[str | None] = mapped_column(String(120))
    label_en: Mapped[str | None] = mapped_column(String(120))
    always_open: Mapped[bool] = mapped_column(default=False)
    open_on_public_holidays: Mapped[bool] = mapped_column(default=False)

    rules: Mapped[list["OpeningRule"]] = relationship(
        order_by="(OpeningRule.weekday, OpeningRule.opens_at, OpeningRule.id)",
        cascade="all, delete-orphan",
        lazy="raise",
    )


class OpeningRule(CatalogBase):
    """Open on `weekday` from `opens_at` to `closes_at` (local Europe/Oslo time, HSDS schedule).

    `closes_next_day` marks a rule that runs past midnight (22:00-02:00) or a whole day
    (00:00-00:00). A rule with valid_from/valid_until replaces the regular week on the dates it
    covers (summer hours).
    """

    __tablename__ = "opening_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact_point.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time] = mapped_column(Time)
    closes_next_day: Mapped[bool] = mapped_column(default=False)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", "weekday_range"),
        CheckConstraint(
            "valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until",
            "valid_range",
        ),
    )


class ServiceChange(CatalogBase):
    """One field of one service changed by someone: the catalogue's audit trail."""

    __tablename__ = "service_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("service.id", ondelete="SET NULL"), index=True
    )
    service_slug: Mapped[str] = mapped_column(String(80), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    changed_by: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service | None] = relationship(lazy="raise")
