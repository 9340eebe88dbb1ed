"""HSDS 3.0 JSON: standard fields, exact round trip through our extension, foreign data, errors."""

import json
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.formats import CatalogueFormat, read_catalogue, write_catalogue
from services_catalog.hsds import EXTENSION, dump_hsds
from services_catalog.hsds_reading import load_hsds
from services_catalog.importing import export_catalogue, import_catalogue
from services_catalog.problems import CatalogueError
from services_catalog.records import CatalogueRecord
from services_catalog.seeding import load_demo_catalogue, seed_demo


def by_slug(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {service[EXTENSION]["slug"]: service for service in document["contents"]}


def canonical(catalogue: CatalogueRecord) -> CatalogueRecord:
    return CatalogueRecord(
        organizations=sorted(catalogue.organizations, key=lambda o: o.name),
        services=sorted(catalogue.services, key=lambda s: s.slug),
    )


def foreign_service(**overrides: Any) -> dict[str, Any]:
    """An HSDS service as another system would write it: no extension."""
    service = {
        "id": "ac148810-d857-441c-9679-408f346de14b",
        "name": "Barnevernvakt Øst",
        "description": "Akutt hjelp fra barnevernet utenom kontortid.",
        "status": "active",
        "minimum_age": 0,
        "maximum_age": 18,
        "organization": {"id": "1", "name": "Østre kommuner"},
        "phones": [{"id": "p1", "number": "+47 21 23 45 67", "type": "voice"}],
        "schedules": [
            {"id": "s1", "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "15:30:00",
             "closes_at": "23:59:00"},
        ],
        "service_areas": [{"id": "a1", "name": "9999"}],
        "attributes": [
            {"id": "t1", "taxonomy_term": {"code": "child-care-concern",
                                            "taxonomy": "familieveiviser-topic"}},
        ],
    }  # fmt: skip
    service.update(overrides)
    return service


def test_standard_fields_carry_what_hsds_can_express() -> None:
    services = by_slug(json.loads(dump_hsds(load_demo_catalogue())))
    helsestasjon = services["helsestasjon"]
    assert helsestasjon["organization"]["name"] == "Eksempel kommune"
    assert helsestasjon["minimum_age"] == 0 and helsestasjon["maximum_age"] == 5
    assert helsestasjon["phones"][0]["number"] == "+4721234510"
    schedule = helsestasjon["schedules"][0]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "WEEKLY",
        "MO,TU,WE,TH,FR",
        "08:00",
        "15:30",
    )
    codes = [a["taxonomy_term"]["code"] for a in helsestasjon["attributes"]]
    assert codes == ["small-children", "pregnancy", "family-conflict", "eating"]
    assert services["alarmtelefonen"]["service_areas"][0][EXTENSION] == {"national": True}
    assert services["kors-paa-halsen"]["assured_date"] == "2026-11-23"


def test_ids_are_stable_between_exports() -> None:
    assert dump_hsds(load_demo_catalogue()) == dump_hsds(load_demo_catalogue())


async def test_hsds_round_trip_of_the_demo_is_lossless(session: AsyncSession) -> None:
    await seed_demo(session)
    text = dump_hsds(await export_catalogue(session))
    assert canonical(load_hsds(text)) == canonical(load_demo_catalogue())
    report = await import_catalogue(session, load_hsds(text), changed_by="test")
    assert report.created == [] and report.updated == {} and len(report.unchanged) == 23


async def test_hsds_import_into_an_empty_database(session: AsyncSession) -> None:
    await import_catalogue(session, load_hsds(dump_hsds(load_demo_catalogue())), changed_by="t")
    assert canonical(await export_catalogue(session)) == canonical(load_demo_catalogue())


def test_foreign_hsds_without_our_extension_is_read() -> None:
    [service] = load_hsds(json.dumps([foreign_service()])).services
    assert service.slug == "barnevernvakt-ost"
    assert service.organization == "Østre kommuner"
    assert [t.topic.value for t in service.topics] == ["child-care-concern"]
    assert service.areas == ["9999"]
    [hours] = service.contacts[0].hours
    assert (hours.opens, hours.closes, len(hours.days)) == ("15:30", "24:00", 5)


@pytest.mark.parametrize(
    ("text", "record", "field", "message"),
    [
        ('{"contents": [', "file", "line 1, column 15", "not valid JSON"),
        ('"just a string"', "file", "", "expected HSDS services"),
        ('{"contents": [42]}', "contents[0]", "", "expected a service object"),
    ],
)
def test_malformed_hsds_is_refused(text: str, record: str, field: str, message: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        load_hsds(text)
    [problem] = caught.value.problems
    assert (problem.record, problem.field) == (record, field)
    assert message in problem.message


def test_bad_values_in_hsds_name_the_service_and_field() -> None:
    bad_phone = foreign_service(phones=[{"number": "12", "type": "voice"}])
    bad_hours = foreign_service(
        name="Sen vakt",
        schedules=[{"byday": "MO", "opens_at": "22:00", "closes_at": "25:00"}],
    )
    unknown_topic = foreign_service(
        name="Astrologi",
        attributes=[{"taxonomy_term": {"code": "stars", "taxonomy": "familieveiviser-topic"}}],
    )
    with pytest.raises(CatalogueError) as caught:
        load_hsds(json.dumps({"contents": [bad_phone, bad_hours, unknown_topic]}))
    where = [(p.record, p.field) for p in caught.value.problems]
    assert where == [
        ("barnevernvakt-ost", "contacts[0].value"),
        ("sen-vakt", "contacts[0].hours[0].closes"),
        ("astrologi", "topics[0].topic"),
    ]


@pytest.mark.parametrize("file_format", list(CatalogueFormat))
def test_both_formats_read_back_what_they_wrote(file_format: CatalogueFormat) -> None:
    demo = load_demo_catalogue()
    assert read_catalogue(write_catalogue(demo, file_format), file_format).services == demo.services
    assert CatalogueFormat.for_path("katalog.json") is CatalogueFormat.HSDS
    assert CatalogueFormat.for_path("katalog.yml") is CatalogueFormat.YAML
