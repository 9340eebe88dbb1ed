"""The catalogue tables: a service with its children stores and loads on every backend."""

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services_catalog.models import (
    CatalogBase,
    ContactPoint,
    OpeningRule,
    Organization,
    Service,
    ServiceArea,
    ServiceChange,
    ServiceTopic,
)
from services_catalog.topics import Topic
from services_catalog.vocabulary import ContactKind, ServiceStatus, Urgency, VerificationStatus


def make_service(slug: str = "helsestasjon", **overrides: object) -> Service:
    fields: dict[str, object] = {
        "slug": slug,
        "organization": Organization(name=f"Eksempel kommune ({slug})"),
        "name_nb": "Helsestasjonen",
        "summary_nb": "For småbarnsforeldre.",
        "roles": ["parent"],
        "min_age": 0,
        "max_age": 5,
        "urgency": Urgency.SOON,
        "status": ServiceStatus.ACTIVE,
        "verification_status": VerificationStatus.EXAMPLE,
        "topics": [ServiceTopic(topic=Topic.SMALL_CHILDREN, rank=0)],
        "areas": [ServiceArea(kommunenummer="9999")],
        "contacts": [
            ContactPoint(
                position=0,
                kind=ContactKind.PHONE,
                value="+4721234500",
                label_nb="Ring helsestasjonen",
                rules=[OpeningRule(weekday=0, opens_at=time(8), closes_at=time(15, 30))],
            )
        ],
    }
    fields.update(overrides)
    return Service(**fields)


async def test_service_with_children_round_trips(session: AsyncSession) -> None:
    session.add(make_service(last_verified_on=date(2025, 1, 2)))
    await session.flush()
    session.expunge_all()

    loaded = await session.scalar(
        select(Service).options(
            selectinload(Service.topics),
            selectinload(Service.areas),
            selectinload(Service.contacts).selectinload(ContactPoint.rules),
        )
    )
    assert loaded is not None
    assert loaded.urgency is Urgency.SOON
    assert [topic.topic for topic in loaded.topics] == [Topic.SMALL_CHILDREN]
    assert loaded.contacts[0].rules[0].closes_at == time(15, 30)
    assert loaded.last_verified_on == date(2025, 1, 2)
    assert loaded.created_at.tzinfo is not None


async def test_relationships_refuse_lazy_loading(session: AsyncSession) -> None:
    session.add(make_service())
    await session.flush()
    session.expunge_all()
    loaded = await session.scalar(select(Service))
    assert loaded is not None
    with pytest.raises(InvalidRequestError):
        _ = loaded.contacts


async def test_slug_is_unique(session: AsyncSession) -> None:
    session.add(make_service("ppt"))
    await session.flush()
    session.add(make_service("ppt", organization=Organization(name="Annen")))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_change_history_keeps_aware_timestamps(session: AsyncSession) -> None:
    moment = datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    session.add(
        ServiceChange(service_slug="ppt", changed_at=moment, changed_by="kari", field="name_nb")
    )
    await session.flush()
    session.expunge_all()
    change = await session.scalar(select(ServiceChange))
    assert change is not None and change.changed_at == moment


def test_constraint_names_follow_the_convention() -> None:
    service = CatalogBase.metadata.tables["service"]
    names = {constraint.name for constraint in service.constraints}
    assert {"pk_service", "uq_service_slug", "ck_service_urgency", "ck_service_age_range"} <= names
    rule = CatalogBase.metadata.tables["opening_rule"]
    assert "fk_opening_rule_contact_id_contact_point" in {c.name for c in rule.constraints}
