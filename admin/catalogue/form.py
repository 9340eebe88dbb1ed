"""The service editor's form: what the browser sends, as an editable draft, and back to a record.

The draft keeps every value as typed (strings), so a form with mistakes comes back exactly as the
redaktor left it, with the errors beside the fields. Rows (topics, contacts, opening hours) are
numbered fields (`contacts-0-hours-1-opens`); blank rows are dropped before validation, which is
how a form without JavaScript "adds" a row: fill in the empty one and save.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services_catalog.records import ContactRecord, HoursRecord, ServiceRecord, TopicRecord
from services_catalog.vocabulary import ContactKind, ServiceStatus, Urgency, VerificationStatus

_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass
class HoursDraft:
    days: list[str] = field(default_factory=list)
    opens: str = ""
    closes: str = ""
    past_midnight: bool = False
    valid_from: str = ""
    valid_until: str = ""

    def is_blank(self) -> bool:
        return not (self.days or self.opens or self.closes or self.valid_from or self.valid_until)

    def raw(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "opens": self.opens,
            "closes": self.closes,
            "past_midnight": self.past_midnight,
            "valid_from": self.valid_from or None,
            "valid_until": self.valid_until or None,
        }


@dataclass
class ContactDraft:
    kind: str = ContactKind.PHONE.value
    value: str = ""
    label_nb: str = ""
    label_nn: str = ""
    label_en: str = ""
    always_open: bool = False
    open_on_public_holidays: bool = False
    hours: list[HoursDraft] = field(default_factory=list)

    def is_blank(self) -> bool:
        texts = (self.value, self.label_nb, self.label_nn, self.label_en)
        return not any(texts) and all(entry.is_blank() for entry in self.hours)

    def raw(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "label": _texts(self.label_nb, self.label_nn, self.label_en),
            "always_open": self.always_open,
            "open_on_public_holidays": self.open_on_public_holidays,
            "hours": [entry.raw() for entry in self.hours if not entry.is_blank()],
        }


@dataclass
class TopicDraft:
    topic: str = ""
    min_age: str = ""
    max_age: str = ""
    any_age: bool = False

    def is_blank(self) -> bool:
        return not (self.topic or self.min_age or self.max_age or self.any_age)

    def raw(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "min_age": self.min_age or None,
            "max_age": self.max_age or None,
            "any_age": self.any_age,
        }


@dataclass
class ServiceDraft:
    """Every field of a service as the editor shows it."""

    slug: str = ""
    organization: str = ""
    name_nb: str = ""
    name_nn: str = ""
    name_en: str = ""
    summary_nb: str = ""
    summary_nn: str = ""
    summary_en: str = ""
    description_nb: str = ""
    description_nn: str = ""
    description_en: str = ""
    roles: list[str] = field(default_factory=list)
    min_age: str = ""
    max_age: str = ""
    age_exempt_roles: list[str] = field(default_factory=list)
    topics: list[TopicDraft] = field(default_factory=list)
    contacts: list[ContactDraft] = field(default_factory=list)
    free: bool = True
    anonymous: bool = False
    referral_required: bool = False
    urgency: str = Urgency.INFORMATION.value
    status: str = ServiceStatus.ACTIVE.value
    status_message: str = ""
    national: bool = False
    areas: str = ""
    languages: str = "nb"
    verification: str = VerificationStatus.UNVERIFIED.value
    staff_note: str = ""
    last_verified_on: date | None = None  # shown, never typed: set by the verification checkbox
    last_verified_by: str | None = None

    def without_blank_rows(self) -> "ServiceDraft":
        self.topics = [topic for topic in self.topics if not topic.is_blank()]
        self.contacts = [contact for contact in self.contacts if not contact.is_blank()]
        for contact in self.contacts:
            contact.hours = [entry for entry in contact.hours if not entry.is_blank()]
        return self

    def raw(self, verified_on: date | None, verified_by: str | None) -> dict[str, Any]:
        """The draft as data for `ServiceRecord.model_validate` (which does the checking)."""
        description = _texts(self.description_nb, self.description_nn, self.description_en)
        return {
            "slug": self.slug,
            "organization": self.organization,
            "name": _texts(self.name_nb, self.name_nn, self.name_en),
            "summary": _texts(self.summary_nb, self.summary_nn, self.summary_en),
            "description": description if any(description.values()) else None,
            "roles": self.roles,
            "min_age": self.min_age or None,
            "max_age": self.max_age or None,
            "age_exempt_roles": self.age_exempt_roles,
            "topics": [topic.raw() for topic in self.topics if not topic.is_blank()],
            "contacts": [contact.raw() for contact in self.contacts if not contact.is_blank()],
            "free": self.free,
            "anonymous": self.anonymous,
            "referral_required": self.referral_required,
            "urgency": self.urgency,
            "status": self.status,
            "status_message": self.status_message or None,
            "national": self.national,
            "areas": split_list(self.areas),
            "languages": split_list(self.languages),
            "verification": self.verification,
            "staff_note": self.staff_note or None,
            "last_verified_on": verified_on,
            "last_verified_by": verified_by,
        }


def _texts(nb: str, nn: str, en: str) -> dict[str, str | None]:
    # Bokmål stays "" when empty so the record reports it as missing; the others are optional.
    return {"nb": nb, "nn": nn or None, "en": en or None}


def split_list(value: str) -> list[str]:
    return [part for part in _SEPARATORS.split(value.strip()) if part]


def new_draft() -> ServiceDraft:
    """The form for a new service: one empty topic, one empty contact with one empty hours row."""
    return ServiceDraft(topics=[TopicDraft()], contacts=[ContactDraft(hours=[HoursDraft()])])


def draft_from_record(record: ServiceRecord) -> ServiceDraft:
    description = record.description
    return ServiceDraft(
        slug=record.slug,
        organization=record.organization,
        name_nb=record.name.nb,
        name_nn=record.name.nn or "",
        name_en=record.name.en or "",
        summary_nb=record.summary.nb,
        summary_nn=record.summary.nn or "",
        summary_en=record.summary.en or "",
        description_nb=description.nb if description else "",
        description_nn=(description.nn or "") if description else "",
        description_en=(description.en or "") if description else "",
        roles=[role.value for role in record.roles],
        min_age=_number(record.min_age),
        max_age=_number(record.max_age),
        age_exempt_roles=[role.value for role in record.age_exempt_roles],
        topics=[_topic_draft(topic) for topic in record.topics],
        contacts=[_contact_draft(contact) for contact in record.contacts],
        free=record.free,
        anonymous=record.anonymous,
        referral_required=record.referral_required,
        urgency=record.urgency.value,
        status=record.status.value,
        status_message=record.status_message or "",
        national=record.national,
        areas=" ".join(record.areas),
        languages=" ".join(record.languages),
        verification=record.verification.value,
        staff_note=record.staff_note or "",
        last_verified_on=record.last_verified_on,
        last_verified_by=record.last_verified_by,
    )


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _topic_draft(topic: TopicRecord) -> TopicDraft:
    return TopicDraft(
        topic=topic.topic.value,
        min_age=_number(topic.min_age),
        max_age=_number(topic.max_age),
        any_age=topic.any_age,
    )


def _hours_draft(entry: HoursRecord) -> HoursDraft:
    return HoursDraft(
        days=[day.value for day in entry.days],
        opens=entry.opens,
        closes=entry.closes,
        past_midnight=entry.past_midnight,
        valid_from=entry.valid_from.isoformat() if entry.valid_from else "",
        valid_until=entry.valid_until.isoformat() if entry.valid_until else "",
    )


def _contact_draft(contact: ContactRecord) -> ContactDraft:
    return ContactDraft(
        kind=contact.kind.value,
        value=contact.value,
        label_nb=contact.label.nb,
        label_nn=contact.label.nn or "",
        label_en=contact.label.en or "",
        always_open=contact.always_open,
        open_on_public_holidays=contact.open_on_public_holidays,
        hours=[_hours_draft(entry) for entry in contact.hours],
    )
