"""A service as it appears in a data file or the editor form, validated before it touches a table.

Records are the one shape every way in and out shares: the YAML data file, HSDS JSON, the staff
editor and the change history all speak it. The parts (texts, contacts, hours, topics) live in
`record_parts`; this module holds the service, its organisation and a whole catalogue.
"""

from datetime import date
from typing import Annotated, Self

from pydantic import BeforeValidator, Field, field_validator, model_validator

from services_catalog.record_parts import (
    END_OF_DAY,
    SLUG_PATTERN,
    Age,
    ContactRecord,
    Email,
    HoursRecord,
    Kommunenummer,
    Label,
    LanguageCode,
    Line,
    Link,
    RecordModel,
    ShortLine,
    Texts,
    TopicRecord,
    check_age_range,
    in_enum_order,
    topic_shorthand,
    unique_topics,
)
from services_catalog.vocabulary import AudienceRole, ServiceStatus, Urgency, VerificationStatus

__all__ = [
    "END_OF_DAY",
    "CatalogueRecord",
    "ContactRecord",
    "HoursRecord",
    "Label",
    "OrganizationRecord",
    "ServiceRecord",
    "Texts",
    "TopicRecord",
]

SUMMARY_MAX = 160  # one chat bubble line


class SummaryTexts(Texts):
    nb: Annotated[Line, Field(max_length=SUMMARY_MAX)]
    nn: Annotated[Line, Field(max_length=SUMMARY_MAX)] | None = None
    en: Annotated[Line, Field(max_length=SUMMARY_MAX)] | None = None


class NameTexts(Texts):
    nb: ShortLine
    nn: ShortLine | None = None
    en: ShortLine | None = None


class OrganizationRecord(RecordModel):
    name: ShortLine
    description: str | None = None
    website: Link | None = None
    email: Email | None = None


class ServiceRecord(RecordModel):
    """Everything staff maintain about one service."""

    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
    organization: ShortLine
    name: NameTexts
    summary: SummaryTexts
    description: Texts | None = None

    roles: list[AudienceRole] = Field(min_length=1)
    min_age: Age | None = None
    max_age: Age | None = None
    # Roles the age range does not apply to, e.g. NAV: writers 16+, but parents of any child.
    age_exempt_roles: list[AudienceRole] = Field(default_factory=list)
    topics: Annotated[
        list[Annotated[TopicRecord, BeforeValidator(topic_shorthand)]], Field(min_length=1)
    ]

    contacts: list[ContactRecord] = Field(default_factory=list)
    free: bool = True
    anonymous: bool = False
    referral_required: bool = False
    urgency: Urgency = Urgency.INFORMATION
    status: ServiceStatus = ServiceStatus.ACTIVE
    status_message: Line | None = None
    national: bool = False
    areas: list[Kommunenummer] = Field(default_factory=list)
    languages: list[LanguageCode] = Field(default_factory=lambda: ["nb"])

    verification: VerificationStatus = VerificationStatus.UNVERIFIED
    staff_note: str | None = None
    last_verified_on: date | None = None
    last_verified_by: ShortLine | None = None

    @field_validator("roles", "age_exempt_roles")
    @classmethod
    def _canonical_roles(cls, roles: list[AudienceRole]) -> list[AudienceRole]:
        return in_enum_order(roles)

    @field_validator("topics")
    @classmethod
    def _unique_topics(cls, topics: list[TopicRecord]) -> list[TopicRecord]:
        return unique_topics(topics)

    @field_validator("areas")
    @classmethod
    def _sorted_areas(cls, areas: list[str]) -> list[str]:
        return sorted(set(areas))

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, languages: list[str]) -> list[str]:
        return list(dict.fromkeys(languages))

    @model_validator(mode="after")
    def _check_consistency(self) -> Self:
        check_age_range(self.min_age, self.max_age)
        if self.status is ServiceStatus.TEMPORARILY_CLOSED and not self.status_message:
            raise ValueError("a temporarily closed service needs a status_message for users")
        if self.national and self.areas:
            raise ValueError("a national service serves everyone: leave areas empty")
        if not self.national and not self.areas:
            raise ValueError("give the kommunenummer of the areas served, or national: true")
        return self

    @property
    def main_topic(self) -> TopicRecord:
        return self.topics[0]


class CatalogueRecord(RecordModel):
    """A whole catalogue: what a data file holds and what an import applies."""

    organizations: list[OrganizationRecord] = Field(default_factory=list)
    services: list[ServiceRecord] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> Self:
        known = {organization.name for organization in self.organizations}
        missing = sorted({s.organization for s in self.services} - known)
        if missing:
            raise ValueError(f"services refer to unknown organizations: {', '.join(missing)}")
        return self

    def service(self, slug: str) -> ServiceRecord | None:
        return next((service for service in self.services if service.slug == slug), None)
