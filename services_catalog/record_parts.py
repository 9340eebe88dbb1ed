"""The parts of a service record: texts in three languages, contacts, opening hours, topics.

Validation normalises as it checks (phone numbers to one form, weekdays sorted, equal opening
rules merged) so that two records describing the same service compare equal; that is what
makes "unchanged" and the export/import round trip exact.
"""

import re
from datetime import date, time
from typing import Annotated, Any, Self

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from services_catalog.phones import normalize_phone
from services_catalog.topics import Topic
from services_catalog.vocabulary import (
    AudienceRole,
    ContactKind,
    Weekday,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")
END_OF_DAY = "24:00"

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\n]*$")]
ShortLine = Annotated[Line, StringConstraints(max_length=200)]
Paragraph = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Age = Annotated[int, Field(ge=0, le=120)]
Kommunenummer = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


def check_clock(value: str, *, allow_end_of_day: bool = False) -> str:
    """An "HH:MM" time of day; "24:00" only where it can mean the end of the day."""
    match = _CLOCK.match(value)
    if match is None:
        raise ValueError(f"time {value!r} is not written as HH:MM")
    if allow_end_of_day and value == END_OF_DAY:
        return value
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ValueError(f"time {value!r} does not exist")
    return value


def parse_clock(value: str) -> time:
    return time(0) if value == END_OF_DAY else time.fromisoformat(value)


class RecordModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Texts(RecordModel):
    """One text in Bokmål (required), Nynorsk and English."""

    nb: Paragraph
    nn: Paragraph | None = None
    en: Paragraph | None = None

    def in_language(self, language: str) -> str:
        """The text in `language`, falling back to Bokmål."""
        chosen = {"nn": self.nn, "en": self.en}.get(language)
        return chosen or self.nb


class Label(Texts):
    nb: ShortLine
    nn: ShortLine | None = None
    en: ShortLine | None = None


class HoursRecord(RecordModel):
    """Open on `days` from `opens` to `closes` in Oslo local time.

    `closes` after midnight needs `past_midnight: true`; "24:00" closes at the end of the day.
    """

    days: list[Weekday] = Field(min_length=1)
    opens: str
    closes: str
    past_midnight: bool = False
    valid_from: date | None = None
    valid_until: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _midnight_is_end_of_day(cls, data: Any) -> Any:
        """ "22:00-00:00 past midnight" and "22:00-24:00" are one rule; keep the latter form."""
        if isinstance(data, dict) and data.get("past_midnight") and data.get("closes") == "00:00":
            return {**data, "closes": END_OF_DAY, "past_midnight": False}
        return data

    @field_validator("days")
    @classmethod
    def _sort_days(cls, days: list[Weekday]) -> list[Weekday]:
        return sorted(set(days), key=lambda day: day.number)

    @field_validator("opens")
    @classmethod
    def _check_opens(cls, value: str) -> str:
        return check_clock(value)

    @field_validator("closes")
    @classmethod
    def _check_closes(cls, value: str) -> str:
        return check_clock(value, allow_end_of_day=True)

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        if self.closes == END_OF_DAY:
            if self.past_midnight:
                raise ValueError("closes 24:00 is the end of the day; drop past_midnight")
        elif self.past_midnight and self.closes > self.opens:
            raise ValueError(
                f"past_midnight is set but closes {self.closes} is after opens {self.opens}"
            )
        elif not self.past_midnight and self.closes <= self.opens:
            raise ValueError(
                f"closes {self.closes} must be after opens {self.opens}; "
                "set past_midnight: true for hours that run past midnight"
            )
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValueError("valid_from is after valid_until")
        return self

    def group_key(self) -> tuple[Any, ...]:
        return (self.opens, self.closes, self.past_midnight, self.valid_from, self.valid_until)


def merge_hours(hours: list[HoursRecord]) -> list[HoursRecord]:
    """One entry per distinct time span, days merged, in a stable order (canonical form)."""
    groups: dict[tuple[Any, ...], set[Weekday]] = {}
    for entry in hours:
        groups.setdefault(entry.group_key(), set()).update(entry.days)
    merged = [
        HoursRecord(
            days=list(days),
            opens=key[0],
            closes=key[1],
            past_midnight=key[2],
            valid_from=key[3],
            valid_until=key[4],
        )
        for key, days in groups.items()
    ]
    return sorted(
        merged,
        key=lambda e: (
            e.valid_from or date.min,
            e.valid_until or date.max,
            e.days[0].number,
            e.opens,
        ),
    )


def check_link(value: str) -> str:
    url = HttpUrl(value)
    if url.scheme != "https":
        raise ValueError(f"link {value!r} must start with https://")
    return value


def check_email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(f"not an e-mail address: {value!r} ({error})") from error


Link = Annotated[str, AfterValidator(check_link)]
Email = Annotated[str, AfterValidator(check_email)]


def _check_contact_value(kind: ContactKind, value: str) -> str:
    if kind in (ContactKind.PHONE, ContactKind.SMS):
        return normalize_phone(value)
    if kind in (ContactKind.WEB, ContactKind.CHAT):
        return check_link(value)
    if kind is ContactKind.EMAIL:
        return check_email(value)
    return value


class ContactRecord(RecordModel):
    kind: ContactKind
    value: Line
    label: Label
    always_open: bool = False
    open_on_public_holidays: bool = False
    hours: list[HoursRecord] = Field(default_factory=list)

    @field_validator("value")
    @classmethod
    def _check_value(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        return value if kind is None else _check_contact_value(kind, value)

    @field_validator("hours")
    @classmethod
    def _merge_hours(cls, hours: list[HoursRecord]) -> list[HoursRecord]:
        return merge_hours(hours)

    @model_validator(mode="after")
    def _check_always_open(self) -> Self:
        if self.always_open and self.hours:
            raise ValueError("a contact that is always open (24/7) takes no hours")
        return self


class TopicRecord(RecordModel):
    """A topic the service covers; ages here narrow or (any_age) lift the service's ages."""

    topic: Topic
    min_age: Age | None = None
    max_age: Age | None = None
    any_age: bool = False

    @field_validator("topic", mode="before")
    @classmethod
    def _known_topic(cls, value: object) -> object:
        if value not in {topic.value for topic in Topic}:
            raise ValueError(f"unknown topic {value!r}; known: {', '.join(Topic)}")
        return value

    @model_validator(mode="after")
    def _check_ages(self) -> Self:
        if self.any_age and (self.min_age is not None or self.max_age is not None):
            raise ValueError("any_age cannot be combined with min_age/max_age")
        check_age_range(self.min_age, self.max_age)
        return self

    @property
    def is_plain(self) -> bool:
        return self.min_age is None and self.max_age is None and not self.any_age


def check_age_range(min_age: int | None, max_age: int | None) -> None:
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValueError(f"min_age {min_age} is above max_age {max_age}")


def topic_shorthand(value: object) -> object:
    return {"topic": value} if isinstance(value, str) else value


def unique_topics(topics: list[TopicRecord]) -> list[TopicRecord]:
    names = [entry.topic for entry in topics]
    if len(names) != len(set(names)):
        raise ValueError("a topic is listed twice")
    return topics


def in_enum_order(roles: list[AudienceRole]) -> list[AudienceRole]:
    return [role for role in AudienceRole if role in roles]
