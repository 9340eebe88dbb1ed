"""Commands, quick-reply payloads and short typed answers, read before the NLU result is used.

Quick replies send their payload back as the user's message, so a tapped button and a typed
command arrive the same way on every channel.
"""

import re
from enum import StrEnum

from nlu.interpretation import Role


class Command(StrEnum):
    START = "/start"
    DELETE = "/slett"
    NYNORSK = "/nynorsk"
    BOKMAAL = "/bokmal"
    ENGLISH = "/english"
    PERSON = "/person"
    START_OVER = "/ny"


_ALIASES = {
    "/bokmål": Command.BOKMAAL,
    "/delete": Command.DELETE,
    "/engelsk": Command.ENGLISH,
    "/new": Command.START_OVER,
    "/restart": Command.START_OVER,
    "/human": Command.PERSON,
}

# Payload prefixes of the bot's own quick replies: "role:parent", "age:14", "helped:yes".
ROLE = "role"
AGE = "age"
HELPED = "helped"
DELETE = "delete"
LEAVE = "leave"
ANONYMITY = "anonymity"

_YES = {"ja", "jo", "ja takk", "jepp", "jada", "yes", "yeah", "yep", "ok", "okei", "gjerne"}
_NO = {"nei", "nei takk", "nope", "no", "ikkje", "ikke", "nah"}
_GOODBYE = re.compile(
    r"^(ha det( bra| godt)?|hade|hadet|adjø|snakkes|bye|goodbye|good bye|see you)\W*$"
)
_ROLE_WORDS = {
    Role.PARENT: {"forelder", "foreldre", "mor", "far", "mamma", "pappa", "parent"},
    Role.YOUTH: {"ungdom", "youth", "teenager"},
    Role.CHILD: {"barn", "child", "kid"},
    Role.PROFESSIONAL: {"fagperson", "lærer", "professional", "teacher"},
}


def payload(prefix: str, value: str) -> str:
    return f"{prefix}:{value}"


def read_command(text: str) -> Command | None:
    """A slash command, with or without Telegram's `@botname` suffix."""
    word = _normalise(text).split(" ", 1)[0].split("@", 1)[0]
    if not word.startswith("/"):
        return None
    if word in _ALIASES:
        return _ALIASES[word]
    try:
        return Command(word)
    except ValueError:
        return None


def read_payload(text: str, prefix: str) -> str | None:
    """The value of one of our quick-reply payloads with this prefix, else None."""
    head, sep, value = text.strip().partition(":")
    return value if sep and head == prefix and value else None


def read_yes_no(text: str, prefix: str) -> bool | None:
    """A yes/no answer: a tapped payload or a short typed word."""
    value = read_payload(text, prefix)
    if value is not None:
        return value == "yes"
    word = _normalise(text).rstrip("!.")
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def read_role(text: str) -> Role | None:
    value = read_payload(text, ROLE)
    if value is not None:
        return Role(value) if value in Role._value2member_map_ else None
    word = _normalise(text).rstrip("!.")
    return next((role for role, words in _ROLE_WORDS.items() if word in words), None)


def read_age(text: str, prefix: str = AGE) -> int | None:
    """An age from a payload ("age:14") or a short typed answer ("14", "2 år")."""
    value = read_payload(text, prefix)
    if value is not None:
        return int(value) if value.isdigit() else None
    match = re.fullmatch(r"(\d{1,2})\s*(år|aar|years?|y)?\.?", _normalise(text))
    return int(match.group(1)) if match else None


def is_goodbye(text: str) -> bool:
    return bool(_GOODBYE.match(_normalise(text)))


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())
