"""Channel-neutral outbound messages: what the bot says, before any channel renders it.

The dialogue engine and the staff app produce these values; the web chat turns them into HTML,
Telegram into messages with inline keyboards, the terminal into plain text. Every visible string
in them is already in the user's language, so a channel never needs the texts catalogue.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services_catalog.matching import ContactKind


class ReplyKind(StrEnum):
    """What a reply is for; channels may style them differently and statistics count them."""

    GREETING = "greeting"
    CRISIS = "crisis"
    SERVICES = "services"
    QUESTION = "question"
    INFO = "info"
    HANDOFF = "handoff"


@dataclass(frozen=True, slots=True)
class QuickReply:
    """A button: `label` is shown, `payload` is sent back as the user's message when tapped."""

    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class ContactAction:
    """One way to get in touch with a service, ready to become a link or a button.

    `url` is tap-ready (`tel:+47116111`, `sms:...`, `mailto:...`, `https://...`) or None for a
    postal address, which is shown as text only.
    """

    kind: ContactKind
    label: str
    display: str  # "116 111", "116111.no", "Storgata 1, 1234 Eksempel"
    url: str | None
    open_now: bool


@dataclass(frozen=True, slots=True)
class ServiceCard:
    """A suggested service as a card: what it helps with, how to reach it, whether it is open."""

    slug: str
    name: str
    summary: str
    actions: tuple[ContactAction, ...]
    open_now: bool
    next_opening: datetime | None
    availability: str  # "Åpen nå" / "Åpner kl. 08:00 (mandag)" / "Døgnåpen"
    badges: tuple[str, ...]  # "Gratis", "Anonymt", "Krever henvisning"
    last_verified: date | None
    verified_note: str  # "Sist kontrollert 12.03.2025", "" when never verified


@dataclass(frozen=True, slots=True)
class Reply:
    """One chat bubble, with optional service cards under it and buttons after it."""

    text: str
    kind: ReplyKind = ReplyKind.INFO
    quick_replies: tuple[QuickReply, ...] = ()
    cards: tuple[ServiceCard, ...] = ()
