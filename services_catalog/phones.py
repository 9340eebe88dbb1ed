"""Phone numbers: checking what staff type, storing one dialable form, showing a readable one.

libphonenumber knows Norway's numbering plan, including short numbers (113, 116 111, 116 117).
The EU's harmonised 116 xxx range is accepted as a whole because the library's Norwegian
metadata lags behind new lines (116 006, Vold- og overgrepslinjen, is missing).
"""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

REGION = "NO"
_SEPARATORS = re.compile(r"[\s\-().]")
_HARMONISED_EU = re.compile(r"116\d{3}")


def normalize_phone(raw: str) -> str:
    """The stored form: E.164 for ordinary numbers, plain digits for short and 0-numbers.

    Raises ValueError with a readable reason when the number cannot be a Norwegian or
    international phone number.
    """
    compact = _SEPARATORS.sub("", raw.strip())
    if not compact:
        raise ValueError("phone number is empty")
    if _HARMONISED_EU.fullmatch(compact):
        return compact
    try:
        parsed = phonenumbers.parse(compact, REGION)
    except NumberParseException as error:
        raise ValueError(f"not a phone number: {raw!r}") from error
    if not compact.startswith("+") and phonenumbers.is_valid_short_number_for_region(
        parsed, REGION
    ):
        return compact
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"not a valid phone number: {raw!r}")
    if parsed.country_code == 47 and compact.lstrip("+").removeprefix("47").startswith("0"):
        return compact.removeprefix("+47")  # 02800 and friends are dialled as written
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def display_phone(value: str) -> str:
    """How a stored number reads in a chat bubble: "116 111", "800 33 321", "+46 8 123 456"."""
    if not value.startswith("+"):
        if len(value) == 6:
            return f"{value[:3]} {value[3:]}"
        return value
    parsed = phonenumbers.parse(value, REGION)
    if parsed.country_code == 47:
        return phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
