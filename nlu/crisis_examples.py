"""The crisis training examples file (`nlu/data/crisis/examples.yml`): reading and checking it.

The file is for people first: `acute:` and `concern:` map a crisis kind to a list of messages,
`none:` is a plain list. Any mistake is reported with the file and line, so a reviewer's edit
that breaks it is caught at engine start, never half-used.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nlu.interpretation import CrisisKind, CrisisLevel

SECTIONS = (CrisisLevel.ACUTE, CrisisLevel.CONCERN, CrisisLevel.NONE)


class CrisisExamplesError(ValueError):
    """The examples file is malformed; the message names the file and line."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class CrisisExample:
    text: str
    level: CrisisLevel
    kind: CrisisKind | None  # None exactly when level is none
    line: int


def load_crisis_examples(path: Path) -> tuple[CrisisExample, ...]:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise CrisisExamplesError(path, line, f"not valid YAML: {error.problem}") from None
    if not isinstance(root, MappingNode):
        line = _line(root) if root is not None else 1
        raise CrisisExamplesError(path, line, "expected `acute:`, `concern:` and `none:`")
    examples: list[CrisisExample] = []
    seen: set[CrisisLevel] = set()
    for key, value in root.value:
        level = _level(path, key)
        seen.add(level)
        if level is CrisisLevel.NONE:
            examples.extend(_messages(path, value, level, None))
        else:
            examples.extend(_by_kind(path, value, level))
    for level in SECTIONS:
        if level not in seen or not any(e.level is level for e in examples):
            raise CrisisExamplesError(path, _line(root), f"`{level}:` is missing or empty")
    _check_unique(path, examples)
    return tuple(examples)


def _level(path: Path, key: Node) -> CrisisLevel:
    name = key.value if isinstance(key, ScalarNode) else None
    if name not in SECTIONS:
        raise CrisisExamplesError(
            path, _line(key), f"unknown section {name!r}; expected acute, concern or none"
        )
    return CrisisLevel(name)


def _by_kind(path: Path, node: Node, level: CrisisLevel) -> list[CrisisExample]:
    if not isinstance(node, MappingNode):
        raise CrisisExamplesError(path, _line(node), f"`{level}:` must map crisis kinds to lists")
    examples: list[CrisisExample] = []
    for key, value in node.value:
        try:
            kind = CrisisKind(key.value)
        except ValueError:
            known = ", ".join(CrisisKind)
            raise CrisisExamplesError(
                path, _line(key), f"unknown crisis kind {key.value!r}; known: {known}"
            ) from None
        examples.extend(_messages(path, value, level, kind))
    return examples


def _messages(
    path: Path, node: Node, level: CrisisLevel, kind: CrisisKind | None
) -> list[CrisisExample]:
    if not isinstance(node, SequenceNode):
        raise CrisisExamplesError(path, _line(node), "expected a list of messages (`- text`)")
    examples = []
    for item in node.value:
        if not isinstance(item, ScalarNode) or not str(item.value).strip():
            problem = "expected a message as plain text (quote it if it has `: ` or `#`)"
            raise CrisisExamplesError(path, _line(item), problem)
        examples.append(CrisisExample(str(item.value).strip(), level, kind, _line(item)))
    return examples


def _check_unique(path: Path, examples: list[CrisisExample]) -> None:
    first: dict[str, CrisisExample] = {}
    for example in examples:
        key = " ".join(example.text.casefold().split())
        earlier = first.setdefault(key, example)
        if earlier is not example:
            raise CrisisExamplesError(
                path, example.line, f"same message as line {earlier.line}: {example.text!r}"
            )


def _line(node: Node) -> int:
    return node.start_mark.line + 1
