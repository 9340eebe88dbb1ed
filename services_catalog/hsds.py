"""Writing the catalogue as Open Referral HSDS 3.0 JSON (a page of the `/services` endpoint).

Standard fields carry everything HSDS can express: service with its organization, phones,
url/email, schedules (RFC 5545 weekly rules), service_areas, languages, ages, assured_date,
alert, and topics as attributes in the `familieveiviser-topic` taxonomy. What a Norwegian
guidance line needs beyond that sits in one clearly named extension object per entity,
`x_familieveiviser`: Nynorsk/English texts and the chat summary, roles, per-topic ages,
every contact point with its label and holiday rule, exact closing times (24:00, past
midnight), urgency, verification, kommunenummer. `hsds_reading` reads both back.
Ids are UUIDv5 of the slug/name, so they are stable from one export to the next.
"""

import json
import uuid
from typing import Any

from services_catalog.record_parts import END_OF_DAY, ContactRecord, HoursRecord
from services_catalog.records import CatalogueRecord, OrganizationRecord, ServiceRecord
from services_catalog.topics import TOPIC_LABELS_NB
from services_catalog.vocabulary import ContactKind, ServiceStatus, Weekday

EXTENSION = "x_familieveiviser"
TOPIC_TAXONOMY = "familieveiviser-topic"
NAMESPACE = uuid.UUID("6f1c7f52-5b1e-4c1e-9a57-3d1a3f0e9c11")
BYDAY = {day: day.value[:2].upper() for day in Weekday}  # mon -> MO
HSDS_STATUS = {
    ServiceStatus.ACTIVE: "active",
    ServiceStatus.TEMPORARILY_CLOSED: "temporarily closed",
    ServiceStatus.INACTIVE: "inactive",
}
LANGUAGE_NAMES = {
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "en": "English",
    "se": "Davvisámegiella",
}


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def _texts(texts: Any, *languages: str) -> dict[str, str | None]:
    return {language: getattr(texts, language) if texts else None for language in languages}


def _organization(record: OrganizationRecord) -> dict[str, Any]:
    return {
        "id": stable_id("organization", record.name),
        "name": record.name,
        "description": record.description,
        "website": record.website,
        "email": record.email,
    }


def _schedule(service_id: str, contact_id: str, hours: HoursRecord) -> dict[str, Any]:
    closes = "23:59" if hours.closes == END_OF_DAY else hours.closes
    days = ",".join(BYDAY[day] for day in hours.days)
    return {
        "id": stable_id("schedule", contact_id, days, hours.opens, str(hours.valid_from)),
        "service_id": service_id,
        "freq": "WEEKLY",
        "byday": days,
        "opens_at": hours.opens,
        "closes_at": closes,
        "valid_from": hours.valid_from.isoformat() if hours.valid_from else None,
        "valid_to": hours.valid_until.isoformat() if hours.valid_until else None,
        "description": "Europe/Oslo local time",
        EXTENSION: {
            "contact_point_id": contact_id,
            "closes": hours.closes,
            "past_midnight": hours.past_midnight,
        },
    }


def _always_open_schedule(service_id: str, contact_id: str) -> dict[str, Any]:
    return {
        "id": stable_id("schedule", contact_id, "24/7"),
        "service_id": service_id,
        "freq": "WEEKLY",
        "byday": ",".join(BYDAY.values()),
        "opens_at": "00:00",
        "closes_at": "23:59",  # HSDS's advice for "open 24 hours"
        "description": "Open 24/7",
        EXTENSION: {"contact_point_id": contact_id, "always_open": True},
    }


def _contact_point(contact_id: str, contact: ContactRecord) -> dict[str, Any]:
    return {
        "id": contact_id,
        "kind": contact.kind.value,
        "value": contact.value,
        "label": contact.label.model_dump(mode="json"),
        "always_open": contact.always_open,
        "open_on_public_holidays": contact.open_on_public_holidays,
    }


def _contacts(service_id: str, service: ServiceRecord) -> dict[str, list[dict[str, Any]]]:
    points, phones, schedules = [], [], []
    for position, contact in enumerate(service.contacts):
        contact_id = stable_id("contact", service.slug, str(position))
        points.append(_contact_point(contact_id, contact))
        if contact.kind in (ContactKind.PHONE, ContactKind.SMS):
            phones.append(
                {
                    "id": contact_id,
                    "service_id": service_id,
                    "number": contact.value,
                    "type": "text" if contact.kind is ContactKind.SMS else "voice",
                    "description": contact.label.nb,
                }
            )
        if contact.always_open:
            schedules.append(_always_open_schedule(service_id, contact_id))
        schedules += [_schedule(service_id, contact_id, hours) for hours in contact.hours]
    return {"points": points, "phones": phones, "schedules": schedules}


def _first(service: ServiceRecord, kind: ContactKind) -> str | None:
    return next((c.value for c in service.contacts if c.kind is kind), None)


def _areas(service_id: str, service: ServiceRecord) -> list[dict[str, Any]]:
    if service.national:
        return [
            {
                "id": stable_id("area", service.slug, "national"),
                "service_id": service_id,
                "name": "Hele Norge",
                EXTENSION: {"national": True},
            }
        ]
    return [
        {
            "id": stable_id("area", service.slug, number),
            "service_id": service_id,
            "name": f"Kommune {number}",
            EXTENSION: {"kommunenummer": number},
        }
        for number in service.areas
    ]


def _attributes(service_id: str, service: ServiceRecord) -> list[dict[str, Any]]:
    return [
        {
            "id": stable_id("attribute", service.slug, entry.topic.value),
            "link_id": service_id,
            "link_type": "topic",
            "link_entity": "service",
            "taxonomy_term": {
                "id": stable_id("topic", entry.topic.value),
                "code": entry.topic.value,
                "name": TOPIC_LABELS_NB[entry.topic],
                "taxonomy": TOPIC_TAXONOMY,
            },
        }
        for entry in service.topics
    ]


def _extension(service: ServiceRecord, points: list[dict[str, Any]]) -> dict[str, Any]:
    data = service.model_dump(mode="json")
    return {
        "slug": service.slug,
        "name": _texts(service.name, "nn", "en"),
        "summary": data["summary"],
        "description": data["description"],
        "roles": data["roles"],
        "age_exempt_roles": data["age_exempt_roles"],
        "topics": data["topics"],
        "free": service.free,
        "anonymous": service.anonymous,
        "referral_required": service.referral_required,
        "urgency": data["urgency"],
        "status": data["status"],
        "national": service.national,
        "verification": data["verification"],
        "staff_note": service.staff_note,
        "last_verified_by": service.last_verified_by,
        "contact_points": points,
    }


def service_to_hsds(service: ServiceRecord, organization: OrganizationRecord) -> dict[str, Any]:
    service_id = stable_id("service", service.slug)
    contacts = _contacts(service_id, service)
    description = service.description.nb if service.description else service.summary.nb
    return {
        "id": service_id,
        "organization_id": stable_id("organization", organization.name),
        "name": service.name.nb,
        "description": description,
        "url": _first(service, ContactKind.WEB) or _first(service, ContactKind.CHAT),
        "email": _first(service, ContactKind.EMAIL),
        "status": HSDS_STATUS[service.status],
        "alert": service.status_message,
        "minimum_age": service.min_age,
        "maximum_age": service.max_age,
        "assured_date": service.last_verified_on.isoformat() if service.last_verified_on else None,
        "organization": _organization(organization),
        "phones": contacts["phones"],
        "schedules": contacts["schedules"],
        "service_areas": _areas(service_id, service),
        "languages": [
            {
                "id": stable_id("language", service.slug, code),
                "service_id": service_id,
                "name": LANGUAGE_NAMES.get(code, code),
                "code": code,
            }
            for code in service.languages
        ],
        "attributes": _attributes(service_id, service),
        EXTENSION: _extension(service, contacts["points"]),
    }


def dump_hsds(catalogue: CatalogueRecord) -> str:
    """The catalogue as one HSDS 3.0 page of services (all on page 1)."""
    organizations = {organization.name: organization for organization in catalogue.organizations}
    contents = [
        service_to_hsds(service, organizations[service.organization])
        for service in catalogue.services
    ]
    page = {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
    return json.dumps(page, ensure_ascii=False, indent=2) + "\n"
