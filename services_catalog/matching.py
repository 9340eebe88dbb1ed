"""Matching a message's topics, age and role to the catalogue's services.

The value types here are the contract the dialogue and the staff app read; the query that fills
them (`find_matching`) lives beside them. How a service is scored is in `ranking`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.models import ContactPoint, Service
from services_catalog.opening_hours import earliest, is_open, next_opening
from services_catalog.queries import find_candidates, get_service
from services_catalog.ranking import Fit, score_service
from services_catalog.rows import weekly_hours
from services_catalog.topics import Topic
from services_catalog.vocabulary import AudienceRole, ContactKind, ServiceStatus, Urgency

__all__ = [
    "ContactKind",
    "ContactOpening",
    "ServiceMatch",
    "Urgency",
    "describe_services",
    "find_matching",
]


@dataclass(frozen=True, slots=True)
class ContactOpening:
    """One way to get in touch, with its opening state at the moment asked about."""

    kind: ContactKind
    value: str  # "+4711611", "https://...", "alarm@116111.no", "Storgata 1, 1234 Eksempel"
    label: str  # short text for a button, in the requested language
    open_now: bool
    always_open: bool
    next_opening: datetime | None  # aware, Europe/Oslo; None when open now or never opens


@dataclass(frozen=True, slots=True)
class ServiceMatch:
    """A service suggested for a message, with the reason and what a card shows."""

    slug: str
    name: str  # in the requested language, Bokmål when missing
    summary: str  # one line for a chat bubble
    score: float
    reason: str  # why it matched, e.g. "topic mental-health, age 14 within 6-19"
    topics: tuple[str, ...]  # the matched topics
    urgency: Urgency
    free: bool
    anonymous: bool
    referral_required: bool
    open_now: bool  # any contact open now
    next_opening: datetime | None
    contacts: tuple[ContactOpening, ...]
    last_verified: date | None
    status: ServiceStatus = ServiceStatus.ACTIVE
    status_message: str | None = None  # what users are told while temporarily closed


def _text(language: str, nb: str, nn: str | None, en: str | None) -> str:
    chosen = {"nn": nn, "en": en}.get(language)
    return chosen or nb


def _contact_opening(contact: ContactPoint, at: datetime, language: str) -> ContactOpening:
    hours = weekly_hours(contact)
    return ContactOpening(
        kind=contact.kind,
        value=contact.value,
        label=_text(language, contact.label_nb, contact.label_nn, contact.label_en),
        open_now=is_open(hours, at),
        always_open=contact.always_open,
        next_opening=next_opening(hours, at),
    )


def describe_service(
    service: Service, fit: Fit | None, at: datetime, language: str
) -> ServiceMatch:
    """The card data of a fully loaded service at moment `at`, in `language` (Bokmål fallback)."""
    contacts = tuple(_contact_opening(contact, at, language) for contact in service.contacts)
    open_now = any(contact.open_now for contact in contacts)
    return ServiceMatch(
        slug=service.slug,
        name=_text(language, service.name_nb, service.name_nn, service.name_en),
        summary=_text(language, service.summary_nb, service.summary_nn, service.summary_en),
        score=fit.score if fit else 0.0,
        reason=fit.reason if fit else "asked for by slug",
        topics=fit.topics if fit else tuple(str(entry.topic) for entry in service.topics),
        urgency=service.urgency,
        free=service.free,
        anonymous=service.anonymous,
        referral_required=service.referral_required,
        open_now=open_now,
        next_opening=None if open_now else earliest([c.next_opening for c in contacts]),
        contacts=contacts,
        last_verified=service.last_verified_on,
        status=service.status,
        status_message=service.status_message,
    )


def _wanted_topics(topics: Sequence[tuple[str, float]]) -> dict[Topic, float]:
    """Known topics with a positive score; meta intents and unknown names are ignored."""
    known = {topic.value for topic in Topic}
    wanted: dict[Topic, float] = {}
    for name, score in topics:
        if name in known and score > 0:
            wanted[Topic(name)] = max(score, wanted.get(Topic(name), 0.0))
    return wanted


def _ranking_key(match: ServiceMatch) -> tuple[bool, float, bool, str]:
    closed = match.status is ServiceStatus.TEMPORARILY_CLOSED
    return (closed, -match.score, not match.open_now, match.slug)


async def find_matching(
    session: AsyncSession,
    topics: Sequence[tuple[str, float]],
    *,
    age: int | None,
    role: str | None,
    at: datetime,
    municipality: str = "9999",
    language: str = "nb",
    limit: int = 3,
) -> list[ServiceMatch]:
    """The best services for (topic, score) pairs, the age and role when known, at moment `at`.

    Inactive services and other municipalities' services never match; temporarily closed ones
    come last, carrying their message. Ties go to the service that is open at `at`.
    """
    wanted = _wanted_topics(topics)
    if not wanted:
        return []
    writer = AudienceRole(role) if role in {r.value for r in AudienceRole} else None
    matches = []
    for service in await find_candidates(session, list(wanted), municipality):
        fit = score_service(service, wanted, age, writer)
        if fit is not None:
            matches.append(describe_service(service, fit, at, language))
    return sorted(matches, key=_ranking_key)[:limit]


async def describe_services(
    session: AsyncSession, slugs: Sequence[str], *, at: datetime, language: str = "nb"
) -> list[ServiceMatch]:
    """These services as cards, in the order asked; unknown and inactive slugs are left out."""
    found = []
    for slug in slugs:
        service = await get_service(session, slug)
        if service is not None and service.status is not ServiceStatus.INACTIVE:
            found.append(describe_service(service, None, at, language))
    return found
