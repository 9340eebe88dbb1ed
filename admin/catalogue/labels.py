"""Norwegian names for the catalogue's vocabularies and fields, as the editor shows them."""

from dataclasses import dataclass, field

from services_catalog.topics import TOPIC_LABELS_NB, Topic
from services_catalog.vocabulary import (
    AudienceRole,
    ContactKind,
    ServiceStatus,
    Urgency,
    VerificationStatus,
    Weekday,
)

ROLES = {
    AudienceRole.PARENT: "Foreldre",
    AudienceRole.YOUTH: "Ungdom",
    AudienceRole.CHILD: "Barn",
    AudienceRole.PROFESSIONAL: "Fagpersoner",
}
CONTACT_KINDS = {
    ContactKind.PHONE: "Telefon",
    ContactKind.SMS: "SMS",
    ContactKind.CHAT: "Chat (lenke)",
    ContactKind.WEB: "Nettside",
    ContactKind.EMAIL: "E-post",
    ContactKind.ADDRESS: "Besøksadresse",
}
URGENCIES = {
    Urgency.INFORMATION: "Informasjon",
    Urgency.SOON: "Snart",
    Urgency.URGENT: "Haster",
    Urgency.EMERGENCY: "Nød",
}
STATUSES = {
    ServiceStatus.ACTIVE: "Aktiv",
    ServiceStatus.TEMPORARILY_CLOSED: "Midlertidig stengt",
    ServiceStatus.INACTIVE: "Arkivert",
}
VERIFICATIONS = {
    VerificationStatus.CONFIRMED: "Bekreftet hos tjenesten",
    VerificationStatus.CHECK: "Må sjekkes",
    VerificationStatus.EXAMPLE: "Eksempeldata",
    VerificationStatus.UNVERIFIED: "Ikke verifisert",
}
WEEKDAYS = dict(zip(Weekday, ("man", "tir", "ons", "tor", "fre", "lør", "søn"), strict=True))
FIELDS = {
    "slug": "Adressenavn",
    "organization": "Organisasjon",
    "name": "Navn",
    "summary": "Kort fortalt",
    "description": "Beskrivelse",
    "roles": "Hvem tjenesten er for",
    "min_age": "Laveste alder",
    "max_age": "Høyeste alder",
    "age_exempt_roles": "Aldersgrensen gjelder ikke for",
    "topics": "Temaer",
    "contacts": "Kontakt og åpningstider",
    "free": "Gratis",
    "anonymous": "Kan brukes anonymt",
    "referral_required": "Krever henvisning",
    "urgency": "Hastegrad",
    "status": "Status",
    "status_message": "Melding når stengt",
    "national": "Nasjonal tjeneste",
    "areas": "Kommuner",
    "languages": "Språk",
    "verification": "Verifisering",
    "staff_note": "Intern merknad",
    "last_verified_on": "Sist kontrollert",
    "last_verified_by": "Kontrollert av",
}


@dataclass(frozen=True)
class Labels:
    """Everything the catalogue templates need to name things; passed as `labels`."""

    topics: dict[Topic, str] = field(default_factory=lambda: dict(TOPIC_LABELS_NB))
    roles: dict[AudienceRole, str] = field(default_factory=lambda: dict(ROLES))
    contact_kinds: dict[ContactKind, str] = field(default_factory=lambda: dict(CONTACT_KINDS))
    urgencies: dict[Urgency, str] = field(default_factory=lambda: dict(URGENCIES))
    statuses: dict[ServiceStatus, str] = field(default_factory=lambda: dict(STATUSES))
    verifications: dict[VerificationStatus, str] = field(
        default_factory=lambda: dict(VERIFICATIONS)
    )
    weekdays: dict[Weekday, str] = field(default_factory=lambda: dict(WEEKDAYS))
    fields: dict[str, str] = field(default_factory=lambda: dict(FIELDS))

    def topic(self, value: str) -> str:
        return self.topics.get(Topic(value), value) if value in set(Topic) else value


LABELS = Labels()
