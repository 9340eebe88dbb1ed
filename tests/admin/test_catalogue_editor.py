"""The catalogue editor over HTTP: create and edit with history, validation beside the field with
nothing written, the verification checkbox, stale entries, closing and archiving, roles."""

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory
from admin.staff.models import AuditAction, AuditEvent, Role
from services_catalog.models import ServiceChange
from services_catalog.queries import get_service
from services_catalog.vocabulary import ServiceStatus
from tests.admin.catalogue_factories import (
    NOW,
    TODAY,
    add_services,
    catalogue_counts,
    fix_clock,
    service_form,
    service_record,
)
from tests.admin.staff_factories import add_staff, log_in

NEW = "/admin/catalogue/new"
PAGE = "/admin/catalogue/services/testtjeneste"


async def redaktor(app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient) -> str:
    fix_clock(app)
    await add_staff(engine, "rita", Role.REDAKTOR)
    return await log_in(client, "rita")


async def history(engine: AsyncEngine, slug: str) -> list[ServiceChange]:
    async with create_session_factory(engine)() as session:
        query = select(ServiceChange).where(ServiceChange.service_slug == slug)
        return list(await session.scalars(query.order_by(ServiceChange.id)))


def error_beside(page: str, field_id: str) -> str:
    """The error paragraph the template puts right after the field (empty if none)."""
    match = re.search(rf'<p class="error field-error" id="err-{field_id}">([^<]*)</p>', page)
    return match.group(1) if match else ""


async def test_a_new_service_is_saved_verified_today_with_history_and_audit(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    response = await client.post(NEW, data=service_form() | {"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == f"{PAGE}?lagret=1"
    async with create_session_factory(engine)() as session:
        service = await get_service(session, "testtjeneste")
        events = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == AuditAction.CATALOGUE_CHANGED)
            )
        )
    assert service is not None
    assert (service.last_verified_on, service.last_verified_by) == (TODAY, "rita")
    assert service.contacts[0].value == "+4721234599"
    changes = await history(engine, "testtjeneste")
    assert {change.field for change in changes} >= {"name", "contacts", "last_verified_on"}
    assert all(c.changed_by == "rita" and c.changed_at == NOW for c in changes)
    [event] = events
    assert (event.actor, event.target_type, event.target_id) == ("rita", "service", "testtjeneste")
    assert event.details == {"change": "created", "fields": 24}
    page = await client.get(f"{PAGE}?lagret=1")
    assert "Lagret." in page.text and 'value="Testtjenesten"' in page.text


async def test_an_edit_keeps_who_when_field_old_and_new_value(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    await client.post(NEW, data=service_form() | {"csrf_token": token})
    before = len(await history(engine, "testtjeneste"))
    edit = service_form(name_nb="Testtjenesten for unge", **{"contacts-0-value": "21 23 45 98"})
    clock = fix_clock(app, NOW + timedelta(hours=2))
    response = await client.post(PAGE, data=edit | {"csrf_token": token})
    assert response.status_code == 303
    new_rows = (await history(engine, "testtjeneste"))[before:]
    by_field = {row.field: row for row in new_rows}
    assert set(by_field) == {"name", "contacts"}  # verified today already: no change there
    assert '"nb": "Testtjenesten"' in (by_field["name"].old_value or "")
    assert '"nb": "Testtjenesten for unge"' in (by_field["name"].new_value or "")
    assert "+4721234599" in (by_field["contacts"].old_value or "")
    assert "+4721234598" in (by_field["contacts"].new_value or "")
    assert all(row.changed_by == "rita" and row.changed_at == clock.now for row in new_rows)
    page = await client.get(f"{PAGE}/history")
    assert page.status_code == 200
    assert "Kontakt og åpningstider" in page.text and "+4721234598" in page.text
    assert "10.03.2026 kl. 12:00" in page.text  # 11:00 UTC is noon in Oslo


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"contacts-0-value": "12ab"}, "contacts-0-value", "Ikke et gyldig telefonnummer."),
        (
            {"contacts-0-hours-0-closes": "25:00"},
            "contacts-0-hours-0-closes",
            "Klokkeslettet finnes ikke.",
        ),
        (
            {"min_age": "18", "max_age": "6"},
            "min_age",
            "Laveste alder er høyere enn høyeste alder.",
        ),
        ({"name_nb": ""}, "name-nb", "Må fylles ut."),
        ({"topics-0-topic": "astrologi"}, "topics-0-topic", "Velg et tema fra listen."),
    ],
)
async def test_a_bad_value_is_shown_beside_its_field_and_nothing_is_written(
    app: FastAPI,
    engine: AsyncEngine,
    client: httpx.AsyncClient,
    overrides: dict[str, str],
    field_id: str,
    message: str,
) -> None:
    token = await redaktor(app, engine, client)
    response = await client.post(NEW, data=service_form(**overrides) | {"csrf_token": token})
    assert response.status_code == 400
    assert error_beside(response.text, field_id) == message
    assert f'aria-describedby="err-{field_id}"' in response.text
    assert "Ingenting er lagret" in response.text
    assert await catalogue_counts(engine) == (0, 0, 0)


async def test_a_failed_edit_changes_nothing_and_keeps_what_was_typed(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    await client.post(NEW, data=service_form() | {"csrf_token": token})
    counts = await catalogue_counts(engine)
    bad = service_form(name_nb="Nytt navn", **{"contacts-0-hours-0-opens": "9"})
    response = await client.post(PAGE, data=bad | {"csrf_token": token})
    assert response.status_code == 400
    assert error_beside(response.text, "contacts-0-hours-0-opens").startswith("Skriv klokkeslettet")
    assert 'value="Nytt navn"' in response.text  # the form comes back as typed
    assert await catalogue_counts(engine) == counts
    async with create_session_factory(engine)() as session:
        service = await get_service(session, "testtjeneste")
    assert service is not None and service.name_nb == "Testtjenesten"


async def test_saving_without_confirming_the_check_is_refused_beside_the_checkbox(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    response = await client.post(
        NEW, data=service_form(verified_today=None) | {"csrf_token": token}
    )
    assert response.status_code == 400
    assert "kontrollert opplysningene i dag" in error_beside(response.text, "verified_today")
    assert await catalogue_counts(engine) == (0, 0, 0)


async def test_the_add_row_buttons_change_the_form_without_saving(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    form = service_form(action="add-hours-0") | {"csrf_token": token}
    response = await client.post(NEW, data=form)
    assert response.status_code == 200
    assert 'name="contacts-0-hours-1-opens"' in response.text
    removed = await client.post(
        NEW, data=service_form(action="remove-contact-0") | {"csrf_token": token}
    )
    assert 'name="contacts-0-value"' not in removed.text
    assert await catalogue_counts(engine) == (0, 0, 0)


async def test_blank_rows_are_ignored_and_a_second_opening_rule_is_saved(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    extra_rows: dict[str, Any] = {
        "contacts-0-hours-1-days": ["sat"],
        "contacts-0-hours-1-opens": "10:00",
        "contacts-0-hours-1-closes": "14:00",
        "contacts-1-kind": "phone",
        "contacts-1-value": "",
        "contacts-1-label_nb": "",
        "contacts-1-hours-0-opens": "",
        "topics-1-topic": "",
    }
    form = service_form(**extra_rows)
    assert (await client.post(NEW, data=form | {"csrf_token": token})).status_code == 303
    async with create_session_factory(engine)() as session:
        service = await get_service(session, "testtjeneste")
    assert service is not None and len(service.contacts) == 1 and len(service.topics) == 1
    assert [rule.weekday for rule in service.contacts[0].rules] == [0, 1, 2, 3, 4, 5]


async def test_entries_unverified_for_over_six_months_are_flagged_stale(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    await add_services(
        engine,
        service_record("fersk", last_verified_on="2025-09-10"),  # exactly six months
        service_record("gammel", last_verified_on="2025-09-09"),
        service_record("aldri"),
        service_record("arkivert", status="inactive", last_verified_on="2020-01-01"),
    )
    await redaktor(app, engine, client)
    stale = await client.get("/admin/catalogue", params={"stale": "ja"})
    assert re.findall(r'services/([a-z-]+)"', stale.text) == ["aldri", "gammel"]
    assert stale.text.count('class="badge badge-stale"') == 2
    fresh = await client.get("/admin/catalogue", params={"stale": "nei"})
    assert re.findall(r'services/([a-z-]+)"', fresh.text) == ["arkivert", "fersk"]
    card = await client.get("/admin/catalogue/card")
    assert re.sub(r"\s+", " ", card.text).count('<strong class="figure">') == 2
    assert ">3</strong> tjenester i bruk" in card.text and ">2</strong> utdatert" in card.text
    page = await client.get("/admin/catalogue/services/gammel")
    assert "Utdatert" in page.text


async def test_list_search_and_filters(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    await add_services(
        engine,
        service_record("mobbeombud", name={"nb": "Mobbeombudet"}, topics=["bullying"]),
        service_record(
            "ppt",
            topics=["learning-school"],
            status="temporarily_closed",
            status_message="Stengt i ferien.",
        ),
    )
    await redaktor(app, engine, client)
    found = await client.get("/admin/catalogue", params={"q": "ombud"})
    assert re.findall(r'services/([a-z-]+)"', found.text) == ["mobbeombud"]
    by_topic = await client.get("/admin/catalogue", params={"topic": "learning-school"})
    assert re.findall(r'services/([a-z-]+)"', by_topic.text) == ["ppt"]
    closed = await client.get("/admin/catalogue", params={"status": "temporarily_closed"})
    assert re.findall(r'services/([a-z-]+)"', closed.text) == ["ppt"]


async def test_close_temporarily_reopen_and_archive(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    await client.post(NEW, data=service_form() | {"csrf_token": token})
    refused = await client.post(f"{PAGE}/close", data={"csrf_token": token, "status_message": " "})
    assert refused.status_code == 400
    assert "Skriv hva brukerne skal få vite" in refused.text
    closed = await client.post(
        f"{PAGE}/close", data={"csrf_token": token, "status_message": "Stengt til 5. august."}
    )
    assert closed.status_code == 303
    page = await client.get(PAGE)
    assert "Brukerne får vite: «Stengt til 5. august.»" in page.text
    await client.post(f"{PAGE}/reopen", data={"csrf_token": token})
    await client.post(f"{PAGE}/archive", data={"csrf_token": token})
    async with create_session_factory(engine)() as session:
        service = await get_service(session, "testtjeneste")
        events = list(await session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert service is not None and service.status is ServiceStatus.INACTIVE
    status_rows = [r for r in await history(engine, "testtjeneste") if r.field == "status"]
    assert [(r.old_value, r.new_value) for r in status_rows] == [
        (None, "active"),
        ("active", "temporarily_closed"),
        ("temporarily_closed", "active"),
        ("active", "inactive"),
    ]
    changes = [e.details["change"] for e in events if e.action is AuditAction.CATALOGUE_CHANGED]
    assert changes == ["created", "closed", "reopened", "archived"]
    assert all(e.target_id == "testtjeneste" for e in events if e.target_type == "service")


async def test_a_taken_slug_is_refused_beside_the_slug(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    await add_services(engine, service_record("testtjeneste"))
    token = await redaktor(app, engine, client)
    response = await client.post(NEW, data=service_form() | {"csrf_token": token})
    assert response.status_code == 400
    assert (
        error_beside(response.text, "slug") == "Adressenavnet brukes allerede av en annen tjeneste."
    )


async def test_a_veileder_cannot_open_or_change_the_catalogue(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    await add_services(engine, service_record("testtjeneste"))
    await add_staff(engine, "vera", Role.VEILEDER)
    token = await log_in(client, "vera")
    assert (await client.get("/admin/catalogue")).status_code == 403
    assert (await client.get(PAGE)).status_code == 403
    counts = await catalogue_counts(engine)
    attempts = [
        (NEW, service_form("ny") | {"csrf_token": token}),
        (PAGE, service_form(name_nb="Endret") | {"csrf_token": token}),
        (f"{PAGE}/archive", {"csrf_token": token}),
    ]
    for path, form in attempts:
        assert (await client.post(path, data=form)).status_code == 403, path
    assert await catalogue_counts(engine) == counts
    assert 'id="kort-katalog"' not in (await client.get("/admin/")).text
