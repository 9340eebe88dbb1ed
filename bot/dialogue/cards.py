"""Service cards and phone lines made from catalogue matches, in the user's language."""

import re
from collections.abc import Sequence
from datetime import datetime

from bot.dialogue.moments import describe_moment
from bot.dialogue.texts import say
from bot.messages import ContactAction, ServiceCard
from nlu.interpretation import Language
from services_catalog.matching import ContactKind, ContactOpening, ServiceMatch

_URL_SCHEMES = {ContactKind.PHONE: "tel:", ContactKind.SMS: "sms:", ContactKind.EMAIL: "mailto:"}
_CALL_WORDS = re.compile(r"^(ring( til)?|call|phone|tlf\.?|telefon)\b", re.IGNORECASE)


def build_card(match: ServiceMatch, language: Language, now: datetime) -> ServiceCard:
    """A card for one service: contacts as tap-ready actions, open state, badges, verified date."""
    return ServiceCard(
        slug=match.slug,
        name=match.name,
        summary=match.summary,
        actions=tuple(_action(contact) for contact in match.contacts),
        open_now=match.open_now,
        next_opening=match.next_opening,
        availability=_availability(match, language, now),
        badges=_badges(match, language),
        last_verified=match.last_verified,
        verified_note=(
            say(language, "card.verified", date=match.last_verified.strftime("%d.%m.%Y"))
            if match.last_verified
            else ""
        ),
    )


def build_cards(
    matches: Sequence[ServiceMatch], language: Language, now: datetime
) -> tuple[ServiceCard, ...]:
    return tuple(build_card(match, language, now) for match in matches)


def describe_phones(matches: Sequence[ServiceMatch]) -> list[str]:
    """One phrase per phone line, e.g. "113 (medisinsk nødhjelp)", in catalogue order."""
    return [
        _phone_phrase(contact, match.name)
        for match in matches
        for contact in match.contacts
        if contact.kind == ContactKind.PHONE
    ]


def format_phone(value: str) -> str:
    """A Norwegian number as people write it: "116 111", "800 33 321", "22 40 00 40"."""
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+47") or (digits.startswith("47") and len(digits) == 10):
        digits = digits[2:]
    if len(digits) == 6:
        return f"{digits[:3]} {digits[3:]}"
    if len(digits) == 8 and digits[0] == "8":
        return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
    if len(digits) == 8:
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    return digits or value.strip()


def _phone_phrase(contact: ContactOpening, service_name: str) -> str:
    number = format_phone(contact.value)
    spaced_number = r"\s*".join(re.escape(digit) for digit in number.replace(" ", ""))
    rest = re.sub(spaced_number, "", contact.label)
    rest = _CALL_WORDS.sub("", rest.strip()).strip(" –-:()")
    return f"{number} ({rest or service_name})"


def _action(contact: ContactOpening) -> ContactAction:
    value = contact.value.strip()
    if contact.kind in _URL_SCHEMES:
        target = re.sub(r"[^\d+]", "", value) if contact.kind != ContactKind.EMAIL else value
        url: str | None = _URL_SCHEMES[contact.kind] + target
    elif contact.kind in (ContactKind.CHAT, ContactKind.WEB):
        url = value if "://" in value else f"https://{value}"
    else:
        url = None
    display = format_phone(value) if contact.kind in (ContactKind.PHONE, ContactKind.SMS) else value
    if contact.kind in (ContactKind.CHAT, ContactKind.WEB):
        display = re.sub(r"^https?://(www\.)?", "", value).rstrip("/")
    return ContactAction(
        kind=contact.kind, label=contact.label, display=display, url=url, open_now=contact.open_now
    )


def _availability(match: ServiceMatch, language: Language, now: datetime) -> str:
    if any(contact.always_open for contact in match.contacts):
        return say(language, "card.always_open")
    if match.open_now:
        return say(language, "card.open_now")
    if match.next_opening:
        return say(language, "card.opens", when=describe_moment(match.next_opening, now, language))
    return say(language, "card.closed")


def _badges(match: ServiceMatch, language: Language) -> tuple[str, ...]:
    flags = (
        (match.free, "card.free"),
        (match.anonymous, "card.anonymous"),
        (match.referral_required, "card.referral"),
    )
    return tuple(say(language, key) for present, key in flags if present)
