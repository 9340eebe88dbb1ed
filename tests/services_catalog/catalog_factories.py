"""Plain-function factories for catalogue tests: raw data-file dicts and validated records."""

from typing import Any

from services_catalog.records import CatalogueRecord, OrganizationRecord, ServiceRecord

ORGANIZATION = "Eksempel kommune"


def service_data(slug: str = "testtjeneste", **overrides: Any) -> dict[str, Any]:
    """A service as written in a data file: valid unless overridden."""
    data: dict[str, Any] = {
        "slug": slug,
        "organization": ORGANIZATION,
        "name": {"nb": "Testtjenesten", "en": "Test service"},
        "summary": {"nb": "En tjeneste for tester."},
        "roles": ["parent", "youth"],
        "min_age": 6,
        "max_age": 18,
        "topics": ["mental-health"],
        "contacts": [
            {
                "kind": "phone",
                "value": "+47 21 23 45 99",
                "label": {"nb": "Ring oss"},
                "hours": [
                    {
                        "days": ["mon", "tue", "wed", "thu", "fri"],
                        "opens": "08:00",
                        "closes": "15:30",
                    }
                ],
            }
        ],
        "areas": ["9999"],
    }
    data.update(overrides)
    return data


def catalogue_data(*services: dict[str, Any]) -> dict[str, Any]:
    return {"organizations": [{"name": ORGANIZATION}], "services": list(services)}


def service_record(slug: str = "testtjeneste", **overrides: Any) -> ServiceRecord:
    return ServiceRecord.model_validate(service_data(slug, **overrides))


def catalogue(*records: ServiceRecord) -> CatalogueRecord:
    return CatalogueRecord(
        organizations=[OrganizationRecord(name=ORGANIZATION)], services=list(records)
    )
