"""Reading HSDS 3.0 JSON into catalogue records, ours or another system's.

With our `x_familieveiviser` extension the read is exact (see `hsds`). Without it, a plain
HSDS service still comes in: phones become phone/SMS contacts, url and email become contacts,
schedules apply to every phone, topics come from `familieveiviser-topic` attributes, and
whatever a guidance line needs but HSDS lacks (the chat summary, roles) gets a safe default
or a validation problem that names the service and field.
"""

import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from services_catalog.hsds import EXTENSION, HSDS_STATUS, TOPIC_TAXONOMY
from services_catalog.problems import CatalogueError, Problem, parse_catalogue
from services_catalog.record_parts import END_OF_DAY
from services_catalog.records import CatalogueRecord
from services_catalog.vocabulary import AudienceRole, ContactKind, ServiceStatus, Weekday

STATUS_FROM_HSDS = {hsds: ours for ours, hsds in HSDS_STATUS.items()} | {
    "defunct": ServiceStatus.INACTIVE
}
DAY_FROM_BYDAY = {day.value[:2].upper(): day.value for day in Weekday}
_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def slugify(name: str) -> str:
    """A slug for a foreign service without ours: "Barnevernvakt Øst" -> "barnevernvakt-ost"."""
    plain = unicodedata.normalize("NFKD", name.lower().translate(_TRANSLITERATE))
    ascii_only = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def _clock(value: Any) -> Any:
    """HSDS allows "09:00:00" and "09:00+01:00"; our records use "HH:MM"."""
    return value[:5] if isinstance(value, str) and len(value) >= 5 else value


def _hours(schedule: Mapping[str, Any]) -> dict[str, Any]:
    extra = schedule.get(EXTENSION) or {}
    opens, closes = _clock(schedule.get("opens_at")), _clock(schedule.get("closes_at"))
    if "closes" in extra:
        closes = extra["closes"]
    elif closes == "23:59":
        closes = END_OF_DAY  # HSDS writes "until the end of the day" as 23:59
    byday = str(schedule.get("byday") or "")
    return {
        "days": [DAY_FROM_BYDAY.get(code.strip(), code) for code in byday.split(",") if code],
        "opens": opens,
        "closes": closes,
        "past_midnight": bool(extra.get("past_midnight", False)),
        "valid_from": schedule.get("valid_from"),
        "valid_until": schedule.get("valid_to"),
    }


def _our_contacts(points: list[Any], schedules: list[Any]) -> list[dict[str, Any]]:
    contacts = []
    for point in points:
        point_id = point.get("id") if isinstance(point, Mapping) else None
        mine = [
            s
            for s in schedules
            if isinstance(s, Mapping)
            and (s.get(EXTENSION) or {}).get("contact_point_id") == point_id
        ]
        contact = {key: value for key, value in dict(point).items() if key != "id"}
        contact["hours"] = [_hours(s) for s in mine if not s[EXTENSION].get("always_open")]
        contacts.append(contact)
    return contacts


def _foreign_contacts(service: Mapping[str, Any]) -> list[dict[str, Any]]:
    hours = [_hours(s) for s in service.get("schedules") or [] if isinstance(s, Mapping)]
    contacts: list[dict[str, Any]] = []
    for phone in service.get("phones") or []:
        kind = ContactKind.SMS if phone.get("type") == "text" else ContactKind.PHONE
        label = phone.get("description") or phone.get("number")
        contacts.append(
            {"kind": kind, "value": phone.get("number"), "label": {"nb": label}, "hours": hours}
        )
    if service.get("url"):
        contacts.append({"kind": "web", "value": service["url"], "label": {"nb": "Nettside"}})
    if service.get("email"):
        contacts.append({"kind": "email", "value": service["email"], "label": {"nb": "E-post"}})
    return contacts


def _topics(service: Mapping[str, Any], extra: Mapping[str, Any]) -> Any:
    if "topics" in extra:
        return extra["topics"]
    terms = [a.get("taxonomy_term") or {} for a in service.get("attributes") or []]
    return [t.get("code") for t in terms if t.get("taxonomy") == TOPIC_TAXONOMY]


def _areas(service: Mapping[str, Any]) -> tuple[bool, list[Any]]:
    """National flag and kommunenummer: from our extension, or an area named by its number."""
    national, numbers = False, []
    for area in service.get("service_areas") or []:
        extra = area.get(EXTENSION) or {}
        national = national or bool(extra.get("national"))
        if "kommunenummer" in extra:
            numbers.append(extra["kommunenummer"])
        elif re.fullmatch(r"\d{4}", str(area.get("name") or "")):
            numbers.append(area["name"])
    return national, numbers


def service_from_hsds(service: Mapping[str, Any]) -> dict[str, Any]:
    """The raw record (validated later) an HSDS service describes."""
    extra = service.get(EXTENSION) or {}
    national, areas = _areas(service)
    name = {"nb": service.get("name"), **(extra.get("name") or {})}
    record = {
        "slug": extra.get("slug") or slugify(str(service.get("name") or "")),
        "organization": (service.get("organization") or {}).get("name"),
        "name": name,
        "summary": extra.get("summary") or {"nb": service.get("description")},
        "description": extra.get("description", {"nb": service.get("description")}),
        "roles": extra.get("roles") or [role.value for role in AudienceRole],
        "min_age": service.get("minimum_age"),
        "max_age": service.get("maximum_age"),
        "topics": _topics(service, extra),
        "status": extra.get("status") or STATUS_FROM_HSDS.get(str(service.get("status")), "active"),
        "status_message": service.get("alert"),
        "national": extra.get("national", national),
        "areas": areas,
        "languages": [language.get("code") for language in service.get("languages") or []],
        "last_verified_on": service.get("assured_date"),
    }
    if "contact_points" in extra:
        record["contacts"] = _our_contacts(extra["contact_points"], service.get("schedules") or [])
    else:
        record["contacts"] = _foreign_contacts(service)
    copied = ("age_exempt_roles", "free", "anonymous", "referral_required", "urgency")
    record |= {key: extra[key] for key in (*copied, "verification", "staff_note") if key in extra}
    record["last_verified_by"] = extra.get("last_verified_by")
    return record


def load_hsds(text: str) -> CatalogueRecord:
    """Parse and validate HSDS JSON (a page, a list or one service); CatalogueError if bad."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise CatalogueError([Problem("file", where, f"not valid JSON: {error.msg}")]) from error
    if isinstance(document, Mapping) and "contents" in document:
        document = document["contents"]
    elif isinstance(document, Mapping):
        document = [document]
    if not isinstance(document, list):
        raise CatalogueError([Problem("file", "", "expected HSDS services (a page or a list)")])
    problems, services, organizations = [], [], {}
    for index, service in enumerate(document):
        if not isinstance(service, Mapping):
            problems.append(Problem(f"contents[{index}]", "", "expected a service object"))
            continue
        try:
            services.append(service_from_hsds(service))
        except (AttributeError, KeyError, TypeError) as error:
            problems.append(Problem(f"contents[{index}]", "", f"wrong shape: {error}"))
            continue
        organization = service.get("organization")
        if isinstance(organization, Mapping) and organization.get("name"):
            fields = ("name", "description", "website", "email")
            organizations[organization["name"]] = {k: organization.get(k) for k in fields}
    if problems:
        raise CatalogueError(problems)
    return parse_catalogue({"organizations": list(organizations.values()), "services": services})
