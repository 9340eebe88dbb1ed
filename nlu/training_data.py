"""Training data in Rasa 3 NLU YAML: loading, schema checks and inline entity annotations.

The files under `nlu/data/` are the single source a domain expert reviews and both engines train
on. Errors name the file and line so a non-programmer can find the broken example.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

ITEM_KINDS = ("intent", "synonym", "lookup", "regex")
ITEM_OPTIONAL_KEYS = frozenset({"examples", "metadata"})
TOP_LEVEL_KEYS = frozenset({"version", "nlu"})
# Keys that belong to other Rasa files (domain, stories); tolerated so a copied file still loads.
IGNORED_TOP_LEVEL_KEYS = frozenset(
    {"stories", "rules", "responses", "intents", "entities", "slots", "forms", "actions"}
)

_ANNOTATION = re.compile(
    r"\[(?P<text>[^\[\]]+)\]"
    r"(?:\((?P<short>[^()]+)\)|(?P<json>\{[^{}]*\}))"
)
_BROKEN_ANNOTATION = re.compile(r"\]\s*[({]|\[[^\]]*$")


class TrainingDataError(ValueError):
    """A training file that cannot be used; the message starts with `file:line:`."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


@dataclass(frozen=True, slots=True)
class EntitySpan:
    start: int
    end: int
    text: str
    entity: str
    value: str  # the annotated value, or the text itself
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Example:
    text: str  # plain text, annotations removed
    entities: tuple[EntitySpan, ...] = ()
    source: str = ""  # "file:line", for error messages and duplicate reports


@dataclass(frozen=True)
class TrainingData:
    examples: dict[str, tuple[Example, ...]] = field(default_factory=dict)  # by intent
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical -> variants
    lookups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    regexes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(sorted(self.examples))

    def texts_and_labels(self) -> tuple[list[str], list[str]]:
        texts = [ex.text for intent in self.intents for ex in self.examples[intent]]
        labels = [intent for intent in self.intents for _ in self.examples[intent]]
        return texts, labels


def find_training_files(data_dir: Path) -> list[Path]:
    return sorted([*data_dir.glob("*.yml"), *data_dir.glob("*.yaml")])


def hash_training_files(files: Iterable[Path]) -> str:
    """Content hash of the files, independent of where the directory lives."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def parse_annotated(text: str) -> tuple[str, tuple[EntitySpan, ...]]:
    """Turn `[8 år](age)` style annotations into plain text plus entity spans."""
    plain: list[str] = []
    spans: list[EntitySpan] = []
    cursor = 0
    length = 0
    for match in _ANNOTATION.finditer(text):
        before = text[cursor : match.start()]
        _check_no_broken_annotation(before)
        plain.append(before)
        length += len(before)
        surface = match["text"]
        entity, value, role = _read_annotation(match["short"], match["json"], surface)
        spans.append(EntitySpan(length, length + len(surface), surface, entity, value, role))
        plain.append(surface)
        length += len(surface)
        cursor = match.end()
    rest = text[cursor:]
    _check_no_broken_annotation(rest)
    plain.append(rest)
    return "".join(plain), tuple(spans)


def _check_no_broken_annotation(fragment: str) -> None:
    if _BROKEN_ANNOTATION.search(fragment):
        raise ValueError(f"broken entity annotation near {fragment.strip()[:60]!r}")


def _read_annotation(
    short: str | None, raw_json: str | None, surface: str
) -> tuple[str, str, str | None]:
    if short is not None:
        entity, _, value = short.partition(":")
        if not entity.strip():
            raise ValueError(f"annotation of {surface!r} has no entity name")
        return entity.strip(), (value.strip() or surface), None
    try:
        spec = json.loads(raw_json or "")
    except json.JSONDecodeError as error:
        raise ValueError(f"annotation of {surface!r} is not valid JSON: {error.msg}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("entity"), str):
        raise ValueError(f'annotation of {surface!r} needs an "entity" name')
    unknown = set(spec) - {"entity", "value", "role", "group"}
    if unknown:
        raise ValueError(f"annotation of {surface!r} has unknown keys {sorted(unknown)}")
    role = spec.get("role")
    return spec["entity"], str(spec.get("value", surface)), None if role is None else str(role)


def load_training_data(source: Path | Iterable[Path]) -> TrainingData:
    """Load a directory of `*.yml` files (or the given files) into one `TrainingData`."""
    files = find_training_files(source) if isinstance(source, Path) else sorted(source)
    if isinstance(source, Path) and not files:
        raise TrainingDataError(source, 0, "no *.yml training files in this directory")
    builder = _Builder()
    for path in files:
        builder.add_file(path)
    return builder.build()


class _Builder:
    def __init__(self) -> None:
        self.examples: dict[str, list[Example]] = {}
        self.synonyms: dict[str, list[str]] = {}
        self.lookups: dict[str, list[str]] = {}
        self.regexes: dict[str, list[str]] = {}

    def build(self) -> TrainingData:
        return TrainingData(
            examples={k: tuple(v) for k, v in self.examples.items()},
            synonyms={k: tuple(v) for k, v in self.synonyms.items()},
            lookups={k: tuple(v) for k, v in self.lookups.items()},
            regexes={k: tuple(v) for k, v in self.regexes.items()},
        )

    def add_file(self, path: Path) -> None:
        try:
            root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 0
            problem = f"not valid YAML: {error.problem}"
            if error.context and error.context_mark:
                problem += f" ({error.context} at line {error.context_mark.line + 1})"
            raise TrainingDataError(path, line, problem) from None
        except UnicodeDecodeError:
            raise TrainingDataError(path, 0, "not UTF-8 text") from None
        if root is None:
            return
        if not isinstance(root, MappingNode):
            raise TrainingDataError(path, _line(root), "the file must be a mapping with `nlu:`")
        for key_node, value_node in root.value:
            key = key_node.value
            if key in IGNORED_TOP_LEVEL_KEYS or key == "version":
                continue
            if key not in TOP_LEVEL_KEYS:
                raise TrainingDataError(path, _line(key_node), f"unknown top-level key {key!r}")
            if not isinstance(value_node, SequenceNode):
                raise TrainingDataError(path, _line(value_node), "`nlu:` must be a list of items")
            for item in value_node.value:
                self._add_item(path, item)

    def _add_item(self, path: Path, item: Node) -> None:
        if not isinstance(item, MappingNode):
            raise TrainingDataError(path, _line(item), "each `nlu:` item must be a mapping")
        fields = {k.value: (k, v) for k, v in item.value}
        kinds = [kind for kind in ITEM_KINDS if kind in fields]
        if len(kinds) != 1:
            raise TrainingDataError(
                path, _line(item), f"an item needs exactly one of {', '.join(ITEM_KINDS)}"
            )
        kind = kinds[0]
        for key, (key_node, _) in fields.items():
            if key != kind and key not in ITEM_OPTIONAL_KEYS:
                raise TrainingDataError(path, _line(key_node), f"unknown key {key!r} in {kind}")
        name_node = fields[kind][1]
        name = name_node.value if isinstance(name_node, ScalarNode) else ""
        if not name:
            raise TrainingDataError(path, _line(name_node), f"{kind} needs a name")
        if "examples" not in fields:
            raise TrainingDataError(path, _line(item), f"{kind} {name!r} has no examples")
        lines = _example_lines(path, fields["examples"][1], f"{kind} {name!r}")
        if kind == "intent":
            self.examples.setdefault(name, []).extend(_annotated(path, lines))
        else:
            target = {"synonym": self.synonyms, "lookup": self.lookups, "regex": self.regexes}
            target[kind].setdefault(name, []).extend(text for _, text in lines)


def _annotated(path: Path, lines: list[tuple[int, str]]) -> list[Example]:
    examples = []
    for line, raw in lines:
        try:
            text, spans = parse_annotated(raw)
        except ValueError as error:
            raise TrainingDataError(path, line, str(error)) from None
        examples.append(Example(text, spans, f"{path.name}:{line}"))
    return examples


def _example_lines(path: Path, node: Node, what: str) -> list[tuple[int, str]]:
    """The examples of one item with their 1-based line numbers."""
    if isinstance(node, SequenceNode):  # the long form: `- text: ...` mappings
        return [_long_form_example(path, child, what) for child in node.value]
    if not isinstance(node, ScalarNode) or not node.value.strip():
        raise TrainingDataError(path, _line(node), f"{what}: examples must be a `- ` list")
    # A block scalar (`examples: |`) starts on the line after its indicator.
    first = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
    found: list[tuple[int, str]] = []
    for offset, raw in enumerate(node.value.splitlines()):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not stripped.startswith("- "):
            raise TrainingDataError(
                path, first + offset, f"{what}: examples must be a `- ` list, got {stripped!r}"
            )
        text = stripped[2:].strip()
        if text:
            found.append((first + offset, text))
    if not found:
        raise TrainingDataError(path, _line(node), f"{what} has no examples")
    return found


def _long_form_example(path: Path, node: Node, what: str) -> tuple[int, str]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "text" and isinstance(value, ScalarNode):
                return _line(value), value.value.strip()
    raise TrainingDataError(path, _line(node), f"{what}: each example needs a `text:`")


def _line(node: Node) -> int:
    return node.start_mark.line + 1
