"""Reading the service editor's submitted form into a draft, and the add/remove-row buttons.

Rows arrive as numbered fields; they are put back in order of their numbers. The buttons send
`action` (`add-contact`, `remove-hours-0-1`, …): such a submit only changes the form and shows it
again, it never saves. The default action, sent by Enter in any field, is `save`.
"""

import re
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.datastructures import FormData

from admin.catalogue.form import ContactDraft, HoursDraft, ServiceDraft, TopicDraft

MAX_ROWS = 40  # per list: more is a mistake or an attack, not a service
SAVE = "save"
_TOPIC_KEY = re.compile(r"^topics-(\d{1,3})-(\w+)$")
_CONTACT_KEY = re.compile(r"^contacts-(\d{1,3})-(\w+)$")
_HOURS_KEY = re.compile(r"^contacts-(\d{1,3})-hours-(\d{1,3})-(\w+)$")
_ACTION = re.compile(r"^(add|remove)-(topic|contact|hours)(?:-(\d{1,3}))?(?:-(\d{1,3}))?$")
TEXT_FIELDS = [
    "slug",
    "organization",
    "name_nb",
    "name_nn",
    "name_en",
    "summary_nb",
    "summary_nn",
    "summary_en",
    "description_nb",
    "description_nn",
    "description_en",
    "min_age",
    "max_age",
    "urgency",
    "status",
    "status_message",
    "areas",
    "languages",
    "verification",
    "staff_note",
]
FLAGS = ("free", "anonymous", "referral_required", "national")
RowT = TypeVar("RowT")


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _texts(form: FormData, name: str) -> list[str]:
    return [value.strip() for value in form.getlist(name) if isinstance(value, str)]


def _rows(
    form: FormData, pattern: re.Pattern[str], build: Callable[[dict[str, Any]], RowT]
) -> dict[tuple[int, ...], RowT]:
    """Rows keyed by their numbers; each row built from its fields (lists for repeated ones)."""
    fields: dict[tuple[int, ...], dict[str, Any]] = {}
    for key in form:
        match = pattern.match(key)
        if match is None:
            continue
        *numbers, name = match.groups()
        index = tuple(int(number) for number in numbers)
        if any(number >= MAX_ROWS for number in index):
            continue
        values = _texts(form, key)
        fields.setdefault(index, {})[name] = values if name == "days" else values[-1]
    return {index: build(values) for index, values in sorted(fields.items())}


def _topic(values: dict[str, Any]) -> TopicDraft:
    return TopicDraft(
        topic=values.get("topic", ""),
        min_age=values.get("min_age", ""),
        max_age=values.get("max_age", ""),
        any_age="any_age" in values,
    )


def _contact(values: dict[str, Any]) -> ContactDraft:
    return ContactDraft(
        kind=values.get("kind", ""),
        value=values.get("value", ""),
        label_nb=values.get("label_nb", ""),
        label_nn=values.get("label_nn", ""),
        label_en=values.get("label_en", ""),
        always_open="always_open" in values,
        open_on_public_holidays="open_on_public_holidays" in values,
    )


def _hours(values: dict[str, Any]) -> HoursDraft:
    return HoursDraft(
        days=values.get("days", []),
        opens=values.get("opens", ""),
        closes=values.get("closes", ""),
        past_midnight="past_midnight" in values,
        valid_from=values.get("valid_from", ""),
        valid_until=values.get("valid_until", ""),
    )


def read_draft(form: FormData) -> ServiceDraft:
    """The draft a submitted editor form describes (unchecked boxes simply are not sent)."""
    draft = ServiceDraft()
    for name in TEXT_FIELDS:
        setattr(draft, name, _text(form, name))
    for flag in FLAGS:
        setattr(draft, flag, flag in form)
    draft.roles = _texts(form, "roles")
    draft.age_exempt_roles = _texts(form, "age_exempt_roles")
    draft.topics = list(_rows(form, _TOPIC_KEY, _topic).values())
    contacts = _rows(form, _CONTACT_KEY, _contact)
    for (contact_index, _hours_index), entry in _rows(form, _HOURS_KEY, _hours).items():
        contacts.setdefault((contact_index,), ContactDraft()).hours.append(entry)
    draft.contacts = [contacts[index] for index in sorted(contacts)]
    return draft


def read_action(form: FormData) -> str:
    action = _text(form, "action")
    return action if _ACTION.match(action) else SAVE


def apply_row_action(draft: ServiceDraft, action: str) -> None:
    """Add or remove one topic, contact or hours row; unknown rows are ignored."""
    match = _ACTION.match(action)
    if match is None:
        return
    verb, kind, first, second = match.groups()
    adding = verb == "add"
    if kind == "topic":
        _change(draft.topics, adding, first, TopicDraft)
    elif kind == "contact":
        _change(draft.contacts, adding, first, lambda: ContactDraft(hours=[HoursDraft()]))
    elif first is not None and int(first) < len(draft.contacts):
        hours = draft.contacts[int(first)].hours
        _change(hours, adding, second, HoursDraft)


def _change(
    rows: list[RowT], adding: bool, position: str | None, blank: Callable[[], RowT]
) -> None:
    if adding:
        if len(rows) < MAX_ROWS:
            rows.append(blank())
    elif position is not None and int(position) < len(rows):
        del rows[int(position)]
