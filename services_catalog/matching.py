"""Matching a message's topics, age and role to the catalogue's services.

The value types here are the contract the dialogue and the staff app read; the query that fills
them (`find_matching`) lives beside them.
"""

from dataclasses import dataclass
from datetime import date, datetime

from services_catalog.vocabulary import ContactKind, Urgency

__all__ = ["ContactKind", "ContactOpening", "ServiceMatch", "Urgency"]


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
