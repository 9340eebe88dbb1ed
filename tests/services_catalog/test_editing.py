"""Editing services: every change leaves a history row saying who changed what, and when."""

from datetime import UTC, datetime

import pytest
from catalog_factories import service_record
from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.editing import (
    ServiceExistsError,
    ServiceNotFoundError,
    archive_service,
    close_temporarily,
    create_service,
    reopen_service,
    update_service,
)
from services_catalog.queries import get_service, list_changes, list_services
from services_catalog.vocabulary import ServiceStatus

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_create_writes_the_first_history(session: AsyncSession) -> None:
    await create_service(session, service_record("ppt"), changed_by="kari", at=MONDAY)
    changes = await list_changes(session, "ppt")
    assert {change.field for change in changes} >= {"slug", "name", "contacts", "topics"}
    assert all(c.changed_by == "kari" and c.old_value is None for c in changes)
    assert changes[0].changed_at == MONDAY


async def test_creating_a_taken_slug_is_refused(session: AsyncSession) -> None:
    await create_service(session, service_record("ppt"), changed_by="kari")
    with pytest.raises(ServiceExistsError):
        await create_service(session, service_record("ppt"), changed_by="ola")


async def test_update_records_each_changed_field_with_old_and_new(session: AsyncSession) -> None:
    await create_service(session, service_record("ppt"), changed_by="kari")
    new_phone = {"kind": "phone", "value": "116 123", "label": {"nb": "Ring"}, "always_open": True}
    changed = service_record("ppt", max_age=19, contacts=[new_phone])
    rows = await update_service(session, "ppt", changed, changed_by="ola", at=MONDAY)
    assert {row.field for row in rows} == {"max_age", "contacts"}
    max_age = next(row for row in rows if row.field == "max_age")
    assert (max_age.old_value, max_age.new_value, max_age.changed_by) == ("18", "19", "ola")
    contacts = next(row for row in rows if row.field == "contacts")
    assert contacts.old_value is not None and "+4721234599" in contacts.old_value
    assert contacts.new_value is not None and "116123" in contacts.new_value
    stored = await get_service(session, "ppt")
    assert stored is not None and stored.max_age == 19 and stored.contacts[0].value == "116123"


async def test_saving_an_unchanged_record_writes_no_history(session: AsyncSession) -> None:
    await create_service(session, service_record("ppt"), changed_by="kari")
    before = len(await list_changes(session, "ppt"))
    assert await update_service(session, "ppt", service_record("ppt"), changed_by="ola") == []
    assert len(await list_changes(session, "ppt")) == before


async def test_updating_a_missing_service_says_so(session: AsyncSession) -> None:
    with pytest.raises(ServiceNotFoundError):
        await update_service(session, "nope", service_record("nope"), changed_by="kari")


async def test_close_reopen_and_archive_are_logged(session: AsyncSession) -> None:
    await create_service(session, service_record("ppt"), changed_by="kari")
    await close_temporarily(session, "ppt", "Stengt i jula.", changed_by="ola")
    closed = await get_service(session, "ppt")
    assert closed is not None and closed.status is ServiceStatus.TEMPORARILY_CLOSED
    await reopen_service(session, "ppt", changed_by="ola")
    await archive_service(session, "ppt", changed_by="kari")
    history = [
        (c.field, c.old_value, c.new_value, c.changed_by)
        for c in await list_changes(session, "ppt")
        if c.field in {"status", "status_message"}
    ][1:]  # after the status set at creation (an empty message is not logged)
    assert history == [
        ("status", "active", "temporarily_closed", "ola"),
        ("status_message", None, "Stengt i jula.", "ola"),
        ("status", "temporarily_closed", "active", "ola"),
        ("status_message", "Stengt i jula.", None, "ola"),
        ("status", "active", "inactive", "kari"),
    ]
    assert [s.slug for s in await list_services(session, status="inactive")] == ["ppt"]


async def test_list_services_filters_by_search_and_topic(session: AsyncSession) -> None:
    await create_service(session, service_record("ppt"), changed_by="kari")
    await create_service(
        session, service_record("rus", topics=["substances-gaming"]), changed_by="kari"
    )
    assert [s.slug for s in await list_services(session, topic="substances-gaming")] == ["rus"]
    assert [s.slug for s in await list_services(session, search="PP")] == ["ppt"]
