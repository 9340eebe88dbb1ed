"""The project's own catalogue file: readable YAML that staff and reviewers can edit by hand.

The file is read with a YAML 1.2-like loader: "14:00" stays a string (YAML 1.1 would read it
as the number 840) and the language code `no` stays a string (YAML 1.1 would read False).
Writing leaves out fields at their default and writes a topic without age rules as its name.
"""

import re
from typing import Any

import yaml

from services_catalog.problems import CatalogueError, Problem, parse_catalogue
from services_catalog.records import CatalogueRecord

FORMAT = "familieveiviser-catalogue/1"


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 20x faster


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader without YAML 1.1's sexagesimal numbers and yes/no/on/off booleans."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regex)
        for tag, regex in resolvers
        if tag not in {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)


def load_datafile(text: str) -> CatalogueRecord:
    """Parse and validate a catalogue file; CatalogueError lists every problem found."""
    try:
        raw = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise CatalogueError([Problem("file", where, f"not valid YAML: {reason}")]) from error
    if isinstance(raw, dict) and raw.get("format", FORMAT) != FORMAT:
        message = f"unsupported format {raw['format']!r}, expected {FORMAT!r}"
        raise CatalogueError([Problem("file", "format", message)])
    return parse_catalogue(raw)


def _compact_service(service: dict[str, Any]) -> dict[str, Any]:
    topics = service.get("topics", [])
    service["topics"] = [topic["topic"] if len(topic) == 1 else topic for topic in topics]
    return service


def dump_datafile(catalogue: CatalogueRecord) -> str:
    """The catalogue as a data file that `load_datafile` reads back to an equal catalogue."""
    organizations = [
        organization.model_dump(mode="json", exclude_defaults=True)
        for organization in catalogue.organizations
    ]
    services = [
        _compact_service(service.model_dump(mode="json", exclude_defaults=True))
        for service in catalogue.services
    ]
    document = {"format": FORMAT, "organizations": organizations, "services": services}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
