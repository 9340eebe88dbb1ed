"""Seeding, data-file import/export and their all-or-nothing guarantee."""

import pytest
import yaml
from catalog_factories import catalogue_data, service_data
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.datafile import dump_datafile, load_datafile
from services_catalog.importing import export_catalogue, import_catalogue
from services_catalog.models import Service, ServiceChange
from services_catalog.problems import CatalogueError
from services_catalog.queries import get_service, list_services
from services_catalog.records import CatalogueRecord
from services_catalog.seeding import load_demo_catalogue, seed_demo

DEMO_SLUGS = {
    "helsestasjon", "skolehelsetjenesten", "helsestasjon-for-ungdom", "ppt", "barnevern",
    "familieveiledning", "psykisk-helse-barn-unge", "fritidsstipend", "fritid-og-moteplasser",
    "nav-sosialhjelp", "rus-og-avhengighet", "slt-forebygging", "koordinerende-enhet", "legevakt",
    "fastlege", "familievern", "skole-og-mobbing", "alarmtelefonen", "mental-helse-hjelpetelefon",
    "kors-paa-halsen", "nodnummer", "overgrep-og-vold", "ung-no",
}  # fmt: skip


def canonical(catalogue: CatalogueRecord) -> CatalogueRecord:
    """The same catalogue in export order (organisations by name, services by slug)."""
    return CatalogueRecord(
        organizations=sorted(catalogue.organizations, key=lambda o: o.name),
        services=sorted(catalogue.services, key=lambda s: s.slug),
    )


async def count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


def test_demo_file_has_exactly_the_required_services() -> None:
    assert {service.slug for service in load_demo_catalogue().services} == DEMO_SLUGS


async def test_seed_is_idempotent(session: AsyncSession) -> None:
    first = await seed_demo(session)
    changes = await count(session, ServiceChange)
    second = await seed_demo(session)
    assert set(first.created) == DEMO_SLUGS
    assert second.created == [] and set(second.existing) == DEMO_SLUGS
    assert await count(session, Service) == 23
    assert await count(session, ServiceChange) == changes


async def test_seed_never_overwrites_staff_edits(session: AsyncSession) -> None:
    await seed_demo(session)
    service = await get_service(session, "ppt")
    assert service is not None
    service.summary_nb = "Endret av ansatte."
    await session.flush()
    await seed_demo(session)
    again = await get_service(session, "ppt")
    assert again is not None and again.summary_nb == "Endret av ansatte."


async def test_datafile_round_trip_of_the_demo_is_lossless(session: AsyncSession) -> None:
    await seed_demo(session)
    exported = await export_catalogue(session)
    assert exported == canonical(load_demo_catalogue())
    text = dump_datafile(exported)
    assert load_datafile(text) == exported
    report = await import_catalogue(session, load_datafile(text), changed_by="test")
    assert report.created == [] and report.updated == {} and len(report.unchanged) == 23


async def test_export_import_into_an_empty_database_recreates_everything(
    session: AsyncSession,
) -> None:
    text = dump_datafile(load_demo_catalogue())
    report = await import_catalogue(session, load_datafile(text), changed_by="test")
    assert set(report.created) == DEMO_SLUGS
    exported = load_datafile(dump_datafile(await export_catalogue(session)))
    assert exported == canonical(load_datafile(text))


async def test_dry_run_reports_changes_and_writes_nothing(session: AsyncSession) -> None:
    await seed_demo(session)
    changed = service_data("ppt", summary={"nb": "Ny tekst."})
    catalogue = load_datafile(yaml.safe_dump(catalogue_data(changed, service_data("ny-tjeneste"))))
    report = await import_catalogue(session, catalogue, changed_by="kari", dry_run=True)
    assert report.created == ["ny-tjeneste"]
    assert "summary" in report.updated["ppt"]
    assert report.summary().startswith("1 created, 1 updated, 0 unchanged (dry run")
    assert await get_service(session, "ny-tjeneste") is None
    ppt = await get_service(session, "ppt")
    assert ppt is not None and ppt.summary_nb != "Ny tekst."


async def test_import_applies_changes_and_records_who(session: AsyncSession) -> None:
    await seed_demo(session)
    changed = service_data("ppt", summary={"nb": "Ny tekst."})
    report = await import_catalogue(
        session, load_datafile(yaml.safe_dump(catalogue_data(changed))), changed_by="kari"
    )
    assert report.updated["ppt"]
    ppt = await get_service(session, "ppt")
    assert ppt is not None and ppt.summary_nb == "Ny tekst."
    authors = await session.scalars(
        select(ServiceChange.changed_by).where(ServiceChange.field == "summary")
    )
    assert "kari" in set(authors)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("services: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("format: other/9\nservices: []\n", "unsupported format"),
        ("services: {slug: ppt}\n", "expected a list"),
    ],
)
def test_malformed_files_give_a_clear_error(text: str, expected: str) -> None:
    with pytest.raises(CatalogueError, match=expected):
        load_datafile(text)


async def test_a_bad_record_means_nothing_is_written(session: AsyncSession) -> None:
    await seed_demo(session)
    before = await export_catalogue(session)
    bad_phone = {"kind": "phone", "value": "999", "label": {"nb": "Ring"}}
    data = catalogue_data(
        service_data("helt-ny"),
        service_data("ppt", summary={"nb": "Ny"}),
        service_data("barnevern", contacts=[bad_phone]),
    )
    with pytest.raises(CatalogueError) as caught:
        load_datafile(yaml.safe_dump(data))
    assert [(p.record, p.field) for p in caught.value.problems] == [
        ("barnevern", "contacts[0].value")
    ]
    assert await export_catalogue(session) == before
    assert len(await list_services(session)) == 23
