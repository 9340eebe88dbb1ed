"""What is wrong with a catalogue file, said so that staff can find and fix it.

Every problem names the record (a service's slug, an organisation's name, or the file), the
field (`contacts[0].hours[1].closes`) and a message. A file is checked completely before any
problem is raised, so one run lists everything to fix.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from services_catalog.records import CatalogueRecord, OrganizationRecord, ServiceRecord

RecordT = TypeVar("RecordT", bound=BaseModel)


class Problem(NamedTuple):
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.record}: {self.field}" if self.field else self.record
        return f"{where}: {self.message}"


class CatalogueError(Exception):
    """A catalogue that cannot be imported; `problems` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the catalogue:\n{lines}")


def field_path(location: Sequence[int | str]) -> str:
    """('contacts', 0, 'value') -> 'contacts[0].value'."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def problems_from(record: str, error: ValidationError, prefix: str = "") -> list[Problem]:
    problems = []
    for detail in error.errors():
        location = field_path(detail["loc"])
        path = f"{prefix}.{location}" if prefix and location else (prefix or location)
        message = str(detail["msg"]).removeprefix("Value error, ")
        problems.append(Problem(record, path, message))
    return problems


def _validate_each(
    model: type[RecordT], items: object, section: str, key: str
) -> tuple[list[RecordT], list[Problem]]:
    if not isinstance(items, list):
        return [], [Problem("file", section, "expected a list")]
    valid: list[RecordT] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        name = item.get(key) if isinstance(item, Mapping) else None
        record = name if isinstance(name, str) and name else f"{section}[{index}]"
        try:
            valid.append(model.model_validate(item))
        except ValidationError as error:
            problems.extend(problems_from(record, error))
    return valid, problems


def _duplicates(names: Sequence[str]) -> list[str]:
    return sorted(name for name, count in Counter(names).items() if count > 1)


def _names(items: object, key: str) -> list[str]:
    """The names in raw items, valid or not, so duplicates are found among broken records too."""
    if not isinstance(items, list):
        return []
    names = (item.get(key) for item in items if isinstance(item, Mapping))
    return [name for name in names if isinstance(name, str)]


def parse_catalogue(raw: Any) -> CatalogueRecord:
    """A validated catalogue from parsed YAML/JSON data, or CatalogueError listing every problem."""
    if not isinstance(raw, Mapping):
        raise CatalogueError([Problem("file", "", "expected a mapping with 'services'")])
    unknown = sorted(set(raw) - {"format", "organizations", "services"})
    problems = [Problem("file", key, "unknown section") for key in unknown]
    organizations, org_problems = _validate_each(
        OrganizationRecord, raw.get("organizations", []), "organizations", "name"
    )
    services, service_problems = _validate_each(
        ServiceRecord, raw.get("services", []), "services", "slug"
    )
    problems += org_problems + service_problems
    for slug in _duplicates(_names(raw.get("services"), "slug")):
        problems.append(Problem(slug, "slug", "the slug is used by more than one service"))
    for name in _duplicates(_names(raw.get("organizations"), "name")):
        problems.append(Problem(name, "name", "the organization is listed twice"))
    known = {organization.name for organization in organizations}
    for service in services:
        if service.organization not in known and not org_problems:
            message = f"unknown organization {service.organization!r}"
            problems.append(Problem(service.slug, "organization", message))
    if problems:
        raise CatalogueError(problems)
    return CatalogueRecord(organizations=organizations, services=services)
