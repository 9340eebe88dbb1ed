"""Validation errors of a service record, in Norwegian, keyed by the form field they belong to.

Keys are record paths as the editor template names its fields: `name.nb`, `min_age`,
`contacts[0].value`, `contacts[0].hours[1].closes`, or a whole row (`contacts[0].hours[1]`) when
the problem is the combination of its fields. A few checks look at the whole service; their
errors are placed by what they are about (the ages, the status message, the areas).
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from services_catalog.problems import Problem, field_path

GENERAL = ""  # errors shown at the top of the form
VERIFIED_KEY = "verified_today"

FieldErrors = dict[str, list[str]]

_BY_MESSAGE: tuple[tuple[str, str], ...] = (
    (r"phone number", "Ikke et gyldig telefonnummer."),
    (r"is not written as HH:MM", "Skriv klokkeslettet som TT:MM, for eksempel 08:30."),
    (r"time .* does not exist", "Klokkeslettet finnes ikke."),
    (
        r"must be after opens",
        "Stengetid må være etter åpningstid. Kryss av for «over midnatt» om den går over midnatt.",
    ),
    (r"past_midnight is set but", "«Over midnatt» er krysset av, men stengetiden er senere."),
    (r"closes 24:00 is the end", "24:00 er slutten av dagen: ta bort «over midnatt»."),
    (r"valid_from is after valid_until", "«Gjelder fra» er etter «gjelder til»."),
    (r"min_age .* is above max_age", "Laveste alder er høyere enn høyeste alder."),
    (r"needs a status_message", "Skriv en melding til brukerne når tjenesten er stengt."),
    (r"national service serves everyone", "En nasjonal tjeneste skal ikke ha kommunenummer."),
    (r"give the kommunenummer", "Skriv kommunenummer, eller kryss av for nasjonal tjeneste."),
    (r"a topic is listed twice", "Et tema står to ganger."),
    (r"always open .* takes no hours", "En kontakt som alltid er åpen, har ingen åpningstider."),
    (r"any_age cannot be combined", "«Alle aldre» kan ikke kombineres med aldersgrenser."),
    (r"unknown topic", "Velg et tema fra listen."),
    (r"must start with https://", "Lenken må begynne med https://"),
    (r"not an e-mail address", "Ikke en gyldig e-postadresse."),
)
# Whole-service checks and where their errors are shown.
_PLACE_BY_MESSAGE = (
    ("min_age", "min_age"),
    ("status_message", "status_message"),
    ("kommunenummer", "areas"),
    ("national", "areas"),
)
_PATTERN_HINTS = {
    "slug": "Bare små bokstaver a–z, tall og bindestrek, for eksempel «helsestasjon».",
    "areas": "Kommunenummer har fire sifre, for eksempel 0301.",
    "languages": "Språkkoder skrives med små bokstaver: nb, nn, en, ar …",
}


def _by_type(kind: str, context: Mapping[str, Any], path: str) -> str | None:
    if kind in {"missing", "string_too_short"}:
        return "Må fylles ut."
    if kind == "too_short":
        return "Velg minst én."
    if kind == "string_too_long":
        return f"For lang: høyst {context.get('max_length')} tegn."
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "Skriv et helt tall."
    if kind == "greater_than_equal":
        return f"Må være minst {context.get('ge')}."
    if kind == "less_than_equal":
        return f"Kan ikke være over {context.get('le')}."
    if kind == "enum" or kind == "literal_error":
        return "Velg et av valgene."
    if kind.startswith("date_"):
        return "Skriv datoen som åååå-mm-dd."
    if kind.startswith("url_"):
        return "Ikke en gyldig nettadresse."
    if kind == "string_pattern_mismatch":
        field = path.split("[")[0].split(".")[0]
        return _PATTERN_HINTS.get(field, "Skal stå på én linje.")
    return None


def norwegian_message(kind: str, message: str, context: Mapping[str, Any], path: str) -> str:
    """What a redaktor reads for one error; the English original if nothing fits."""
    message = message.removeprefix("Value error, ")
    if kind == "value_error":
        for pattern, text in _BY_MESSAGE:
            if re.search(pattern, message):
                return text
        return message
    return _by_type(kind, context, path) or message


def _place(location: Sequence[int | str], message: str) -> str:
    path = field_path(location)
    if path:
        return path
    for word, field in _PLACE_BY_MESSAGE:
        if word in message:
            return field
    return GENERAL


def errors_by_field(error: ValidationError) -> FieldErrors:
    """Every error of a failed `ServiceRecord` validation, under its field's key."""
    found: FieldErrors = {}
    for detail in error.errors():
        location = tuple(part for part in detail["loc"] if not _is_union_tag(part))
        original = str(detail["msg"])
        key = _place(location, original)
        text = norwegian_message(detail["type"], original, detail.get("ctx") or {}, key)
        if text not in found.setdefault(key, []):
            found[key].append(text)
    return found


def _is_union_tag(part: int | str) -> bool:
    # Pydantic names the tried member of a union in the location (e.g. "function-after[…]").
    return isinstance(part, str) and ("[" in part or part in {"int", "str", "none"})


def problem_rows(problems: Sequence[Problem]) -> list[tuple[str, str, str]]:
    """An import's problems as (record, field, message) for the error table."""
    return [(problem.record, problem.field, problem.message) for problem in problems]


_PART_NAMES = {
    "contacts": "kontakt",
    "hours": "åpningstid",
    "topics": "tema",
    "value": "nummer/lenke",
    "label": "tekst",
    "nb": "bokmål",
    "nn": "nynorsk",
    "en": "engelsk",
    "kind": "type",
    "days": "dager",
    "opens": "åpner",
    "closes": "stenger",
    "valid_from": "gjelder fra",
    "valid_until": "gjelder til",
    "topic": "tema",
    "min_age": "fra alder",
    "max_age": "til alder",
    VERIFIED_KEY: "kontroll",
}


_LISTS = frozenset({"contacts", "hours", "topics"})


def error_anchor(key: str) -> str:
    """The id of the error paragraph beside the field (the template makes the same id)."""
    return "err-" + key.replace("[", "-").replace("]", "").replace(".", "-")


def describe_key(key: str, field_labels: Mapping[str, str]) -> str:
    """Where an error is, for the summary: `contacts[0].hours[1].closes` ->
    "Kontakt og åpningstider, kontakt 1, åpningstid 2, stenger"."""
    if not key:
        return "Skjemaet"
    tokens = re.findall(r"(\w+)|\[(\d+)\]", key)
    first = tokens[0][0]
    words = [field_labels.get(first, _PART_NAMES.get(first, first))]
    previous = first
    for name, number in tokens[1:]:
        if number:
            words.append(f"{_PART_NAMES.get(previous, previous)} {int(number) + 1}")
        elif name not in _LISTS:
            words.append(_PART_NAMES.get(name, name))
        previous = name or previous
    return ", ".join(words)[:1].upper() + ", ".join(words)[1:]


def error_summary(
    errors: FieldErrors, field_labels: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(where, message, anchor) for every error, for the list at the top of the form."""
    return [
        (describe_key(key, field_labels), message, error_anchor(key))
        for key, messages in errors.items()
        for message in messages
    ]
