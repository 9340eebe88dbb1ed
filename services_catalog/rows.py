"""Translating between validated records and table rows, both ways, without loss.

Rows must be loaded with all their children (see `queries.SERVICE_LOAD`) before they are read
or refilled here; relationships refuse lazy loading.
"""

from services_catalog.models import (
    ContactPoint,
    OpeningRule,
    Organization,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceTopic,
)
from services_catalog.opening_hours import WeeklyHours, WeeklyRule
from services_catalog.record_parts import END_OF_DAY, Label, merge_hours, parse_clock
from services_catalog.records import (
    ContactRecord,
    HoursRecord,
    OrganizationRecord,
    ServiceRecord,
    Texts,
    TopicRecord,
)
from services_catalog.vocabulary import Weekday


def rules_from_hours(entry: HoursRecord) -> list[OpeningRule]:
    closes_next_day = entry.past_midnight or entry.closes == END_OF_DAY
    return [
        OpeningRule(
            weekday=day.number,
            opens_at=parse_clock(entry.opens),
            closes_at=parse_clock(entry.closes),
            closes_next_day=closes_next_day,
            valid_from=entry.valid_from,
            valid_until=entry.valid_until,
        )
        for day in entry.days
    ]


def hours_from_rule(rule: OpeningRule) -> HoursRecord:
    end_of_day = rule.closes_next_day and rule.closes_at.hour == rule.closes_at.minute == 0
    return HoursRecord(
        days=[Weekday.from_index(rule.weekday)],
        opens=rule.opens_at.strftime("%H:%M"),
        closes=END_OF_DAY if end_of_day else rule.closes_at.strftime("%H:%M"),
        past_midnight=rule.closes_next_day and not end_of_day,
        valid_from=rule.valid_from,
        valid_until=rule.valid_until,
    )


def weekly_hours(contact: ContactPoint) -> WeeklyHours:
    """The pure opening-hours value of a stored contact point."""
    rules = tuple(
        WeeklyRule(
            weekday=rule.weekday,
            opens_at=rule.opens_at,
            closes_at=rule.closes_at,
            closes_next_day=rule.closes_next_day,
            valid_from=rule.valid_from,
            valid_until=rule.valid_until,
        )
        for rule in contact.rules
    )
    return WeeklyHours(rules, contact.always_open, contact.open_on_public_holidays)


def contact_record(contact: ContactPoint) -> ContactRecord:
    return ContactRecord(
        kind=contact.kind,
        value=contact.value,
        label=Label(nb=contact.label_nb, nn=contact.label_nn, en=contact.label_en),
        always_open=contact.always_open,
        open_on_public_holidays=contact.open_on_public_holidays,
        hours=merge_hours([hours_from_rule(rule) for rule in contact.rules]),
    )


def contact_row(position: int, record: ContactRecord) -> ContactPoint:
    return ContactPoint(
        position=position,
        kind=record.kind,
        value=record.value,
        label_nb=record.label.nb,
        label_nn=record.label.nn,
        label_en=record.label.en,
        always_open=record.always_open,
        open_on_public_holidays=record.open_on_public_holidays,
        rules=[rule for entry in record.hours for rule in rules_from_hours(entry)],
    )


def _optional_texts(nb: str | None, nn: str | None, en: str | None) -> Texts | None:
    return Texts(nb=nb, nn=nn, en=en) if nb else None


def service_record(service: Service) -> ServiceRecord:
    """The record a fully loaded service row describes."""
    return ServiceRecord.model_validate(
        {
            "slug": service.slug,
            "organization": service.organization.name,
            "name": {"nb": service.name_nb, "nn": service.name_nn, "en": service.name_en},
            "summary": {
                "nb": service.summary_nb,
                "nn": service.summary_nn,
                "en": service.summary_en,
            },
            "description": _optional_texts(
                service.description_nb, service.description_nn, service.description_en
            ),
            "roles": service.roles,
            "min_age": service.min_age,
            "max_age": service.max_age,
            "age_exempt_roles": service.age_exempt_roles,
            "topics": [
                TopicRecord(topic=t.topic, min_age=t.min_age, max_age=t.max_age, any_age=t.any_age)
                for t in service.topics
            ],
            "contacts": [contact_record(contact) for contact in service.contacts],
            "free": service.free,
            "anonymous": service.anonymous,
            "referral_required": service.referral_required,
            "urgency": service.urgency,
            "status": service.status,
            "status_message": service.status_message,
            "national": service.national,
            "areas": [area.kommunenummer for area in service.areas],
            "languages": [language.code for language in service.languages],
            "verification": service.verification_status,
            "staff_note": service.staff_note,
            "last_verified_on": service.last_verified_on,
            "last_verified_by": service.last_verified_by,
        }
    )


def fill_service(service: Service, record: ServiceRecord, organization: Organization) -> None:
    """Make a (new or fully loaded) service row say exactly what `record` says."""
    service.slug = record.slug
    service.organization = organization
    service.name_nb, service.name_nn, service.name_en = _three(record.name)
    service.summary_nb, service.summary_nn, service.summary_en = _three(record.summary)
    description = record.description
    service.description_nb = description.nb if description else None
    service.description_nn = description.nn if description else None
    service.description_en = description.en if description else None
    service.roles = [str(role) for role in record.roles]
    service.min_age, service.max_age = record.min_age, record.max_age
    service.age_exempt_roles = [str(role) for role in record.age_exempt_roles]
    service.topics = [
        ServiceTopic(
            topic=entry.topic,
            rank=rank,
            min_age=entry.min_age,
            max_age=entry.max_age,
            any_age=entry.any_age,
        )
        for rank, entry in enumerate(record.topics)
    ]
    service.contacts = [contact_row(i, contact) for i, contact in enumerate(record.contacts)]
    service.free, service.anonymous = record.free, record.anonymous
    service.referral_required = record.referral_required
    service.urgency, service.status = record.urgency, record.status
    service.status_message = record.status_message
    service.national = record.national
    service.areas = [ServiceArea(kommunenummer=number) for number in record.areas]
    service.languages = [
        ServiceLanguage(code=code, position=i) for i, code in enumerate(record.languages)
    ]
    service.verification_status = record.verification
    service.staff_note = record.staff_note
    service.last_verified_on = record.last_verified_on
    service.last_verified_by = record.last_verified_by


def _three(texts: Texts) -> tuple[str, str | None, str | None]:
    return texts.nb, texts.nn, texts.en


def organization_record(organization: Organization) -> OrganizationRecord:
    return OrganizationRecord(
        name=organization.name,
        description=organization.description,
        website=organization.website,
        email=organization.email,
    )


def fill_organization(organization: Organization, record: OrganizationRecord) -> None:
    organization.name = record.name
    organization.description = record.description
    organization.website = record.website
    organization.email = record.email
