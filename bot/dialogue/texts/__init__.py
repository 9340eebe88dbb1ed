"""Every sentence the bot says, one YAML file per language (nb, nn, en), keyed identically.

Reviewers read and translate `nb.yml`, `nn.yml` and `en.yml` without reading code. Keys are
dotted paths (`person.queue_position`); placeholders use `{name}`. Phone numbers and opening
hours never live here: they come from the service catalogue.
"""

import string
from functools import cache
from importlib import resources
from typing import Any

import yaml

from nlu.interpretation import Language

LANGUAGES: tuple[Language, ...] = (Language.BOKMAAL, Language.NYNORSK, Language.ENGLISH)


def say(language: Language | str, key: str, /, **values: object) -> str:
    """The sentence `key` in `language` (Bokmål for anything else), placeholders filled."""
    template = catalogue(supported(language))[key]
    return template.format(**values) if values else template


def catalogue(language: Language) -> dict[str, str]:
    """All sentences of one language, by dotted key."""
    return _load(language.value)


def placeholders(template: str) -> set[str]:
    """The `{names}` a sentence expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def supported(language: Language | str) -> Language:
    """The language itself when the bot speaks it (nb, nn, en), else Bokmål."""
    try:
        chosen = Language(language)
    except ValueError:
        return Language.BOKMAAL
    return chosen if chosen in LANGUAGES else Language.BOKMAAL


@cache
def _load(code: str) -> dict[str, str]:
    raw = resources.files(__package__).joinpath(f"{code}.yml").read_text(encoding="utf-8")
    return dict(_flatten(yaml.safe_load(raw)))


def _flatten(tree: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in tree.items():
        if not isinstance(key, str):  # YAML reads a bare yes/no key as a bool: quote it
            raise ValueError(f"text key {prefix}{key!r} must be a quoted string")
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            pairs.extend(_flatten(value, f"{path}."))
        else:
            pairs.append((path, str(value)))
    return pairs
