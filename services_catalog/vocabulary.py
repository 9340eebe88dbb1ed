"""The catalogue's closed vocabularies: who a service is for, how it is reached, its state.

They live apart from the models and from matching so both can use them without importing each
other; `matching` re-exports `ContactKind` and `Urgency`, which are part of its contract.
"""

from enum import StrEnum


class AudienceRole(StrEnum):
    """Who writes. Same values as `nlu.interpretation.Role`, which this leaf cannot import."""

    PARENT = "parent"
    YOUTH = "youth"
    CHILD = "child"
    PROFESSIONAL = "professional"


class ContactKind(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    CHAT = "chat"
    WEB = "web"
    EMAIL = "email"
    ADDRESS = "address"


class Urgency(StrEnum):
    INFORMATION = "information"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class ServiceStatus(StrEnum):
    ACTIVE = "active"
    TEMPORARILY_CLOSED = "temporarily_closed"
    INACTIVE = "inactive"


class VerificationStatus(StrEnum):
    """How far staff can trust a record's facts."""

    CONFIRMED = "confirmed"  # checked against the provider's own page or by phone
    CHECK = "check"  # sources disagree or are old: re-verify before go-live
    EXAMPLE = "example"  # fictional demo data, must be replaced before go-live
    UNVERIFIED = "unverified"


class Weekday(StrEnum):
    """Days as written in data files; `number` is Python's `date.weekday()` (Monday = 0)."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        return list(Weekday).index(self)

    @classmethod
    def from_index(cls, index: int) -> "Weekday":
        return list(cls)[index]


ALL_ROLES: tuple[AudienceRole, ...] = tuple(AudienceRole)
