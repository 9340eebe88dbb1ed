"""Matching a message's topics, age and role to the catalogue's services.

The value types here are the contract the dialogue and the staff app read; the query that fills
them (`find_matching`) lives beside them. How a service is scored is in `ranking`; `rank_services`
applies it to services already loaded, so a `CatalogueSnapshot` (the catalogue read once) ranks a
whole batch of messages with the same rules and no further queries.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession

from services_catalog.models import ContactPoint, Service
from services_catalog.opening_hours import earliest, is_open, next_opening
from services_catalog.queries import find_candidates, get_service, list_suggestable
from services_catalog.ranking import Fit, score_service
from services_catalog.rows import weekly_hours
from services_catalog.topics import Topic
from services_catalog.vocabulary import AudienceRole, ContactKind, ServiceStatus, Urgency

__all__ = [
    "CatalogueSnapshot",
    "ContactKind",
    "ContactOpening",
    "ServiceMatch",
    "Urgency",
    "describe_services",
    "find_matching",
    "rank_services",
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
    card = describe_card(service, at, language)
    return card if fit is None else with_fit(card, fit)


def with_fit(card: ServiceMatch, fit: Fit) -> ServiceMatch:
    """A service's card as a match for one message: its score, reason and matched topics."""
    return replace(card, score=fit.score, reason=fit.reason, topics=fit.topics)


def describe_card(service: Service, at: datetime, language: str) -> ServiceMatch:
    """A service's card at moment `at` as if asked for by slug (no fit to a message)."""
    contacts = tuple(_contact_opening(contact, at, language) for contact in service.contacts)
    open_now = any(contact.open_now for contact in contacts)
    return ServiceMatch(
        slug=service.slug,
        name=_text(language, service.name_nb, service.name_nn, service.name_en),
        summary=_text(language, service.summary_nb, service.summary_nn, service.summary_en),
        score=0.0,
        reason="asked for by slug",
        topics=tuple(str(entry.topic) for entry in service.topics),
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


def serves(service: Service, municipality: str) -> bool:
    """Whether a service can be suggested to someone in `municipality` at all."""
    if service.status is ServiceStatus.INACTIVE:
        return False
    return service.national or any(area.kommunenummer == municipality for area in service.areas)


def rank_services(
    services: Iterable[Service],
    topics: Sequence[tuple[str, float]],
    *,
    age: int | None,
    role: str | None,
    at: datetime,
    municipality: str = "9999",
    language: str = "nb",
    limit: int = 3,
    cards: Callable[[Service, datetime, str], ServiceMatch] = describe_card,
) -> list[ServiceMatch]:
    """The best of these fully loaded services for (topic, score) pairs, age and role at `at`.

    Inactive services and other municipalities' services never match; temporarily closed ones
    come last, carrying their message. Ties go to the service that is open at `at`. `cards`
    describes a service at a moment (a snapshot passes a memoised one).
    """
    wanted = _wanted_topics(topics)
    if not wanted:
        return []
    writer = AudienceRole(role) if role in {r.value for r in AudienceRole} else None
    matches = []
    for service in services:
        if not serves(service, municipality):
            continue
        fit = score_service(service, wanted, age, writer)
        if fit is not None:
            matches.append(with_fit(cards(service, at, language), fit))
    return sorted(matches, key=_ranking_key)[:limit]


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
    """`rank_services` over the services in the database that cover any of the topics."""
    wanted = _wanted_topics(topics)
    if not wanted:
        return []
    candidates = await find_candidates(session, list(wanted), municipality)
    return rank_services(
        candidates,
        topics,
        age=age,
        role=role,
        at=at,
        municipality=municipality,
        language=language,
        limit=limit,
    )


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


CARDS_REMEMBERED = 4096


class CatalogueSnapshot:
    """Every service that may be suggested, read once: ranks many messages without queries.

    For batches (`familieveiviser route --jsonl`, `nlu eval`) and, behind a version check that
    reloads it after every edit, for the chat's messages (`bot.catalogue.CatalogueCache`). The
    services are detached copies, so edits made after loading are not seen by this snapshot.
    """

    def __init__(self, services: Iterable[Service]) -> None:
        self._services = tuple(services)
        self._by_slug = {service.slug: service for service in self._services}
        # Opening state is the costly part of a card. Opening hours are whole minutes (HH:MM,
        # checked on import and in the editor), so a card is the same all through a minute and
        # every message of that minute shares it. Bounded: a whole process sees many minutes.
        self._remembered = lru_cache(maxsize=CARDS_REMEMBERED)(self._describe_card)

    def _describe_card(self, slug: str, minute: datetime, language: str) -> ServiceMatch:
        return describe_card(self._by_slug[slug], minute, language)

    def _card(self, slug: str, at: datetime, language: str) -> ServiceMatch:
        return self._remembered(slug, at.replace(second=0, microsecond=0), language)

    def _cached_card(self, service: Service, at: datetime, language: str) -> ServiceMatch:
        return self._card(service.slug, at, language)

    @classmethod
    async def load(cls, session: AsyncSession) -> "CatalogueSnapshot":
        return cls(await list_suggestable(session))

    def find(
        self,
        topics: Sequence[tuple[str, float]],
        *,
        age: int | None,
        role: str | None,
        at: datetime,
        municipality: str = "9999",
        language: str = "nb",
        limit: int = 3,
    ) -> list[ServiceMatch]:
        return rank_services(
            self._services,
            topics,
            age=age,
            role=role,
            at=at,
            municipality=municipality,
            language=language,
            limit=limit,
            cards=self._cached_card,
        )

    def describe(
        self, slugs: Sequence[str], *, at: datetime, language: str = "nb"
    ) -> list[ServiceMatch]:
        """Like `describe_services`: in the order asked, unknown and inactive slugs left out."""
        return [self._card(slug, at, language) for slug in slugs if slug in self._by_slug]
