"""Which crisis patterns can match a text at all, judged from the first letters after each space.

Trying ~150 patterns (or one regex of ~150 branches) at every word costs milliseconds, and most
messages match nothing. Each compiled pattern starts with the space before its first word, so the
first few characters after that space are known from the pattern itself: an index from those
characters to patterns lets a message try only the few whose start occurs in it. Where a
pattern's start runs into a wildcard (`han (\\w+ ){0,3}slår`), its key stops there («han »); a
pattern whose very first word is a wildcard is always tried. The index may only ever say «maybe»
too often, never «no» wrongly: `tests/nlu/test_crisis.py` checks that on every table sentence.
"""

import importlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

# The parser `re` itself uses; no public API tells a compiled pattern's structure. Untyped.
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

_KEY = 5  # the space and the four characters after it
_CUT = "\0"  # ends a start that a wildcard cut short: nothing may be appended to it
# The characters after each space, across word ends («ta l» for «ta livet»).
_KEYS = re.compile(rf" (?=(.{{0,{_KEY - 1}}}))")


class StartIndex:
    """Pattern numbers by the characters right after the space a match starts with."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.by_start: dict[str, set[int]] = {}
        always: set[int] = set()
        for number, pattern in enumerate(patterns):
            heads = _starts(sre_parse.parse(pattern.pattern), {""})
            keys = {head[1:].rstrip(_CUT) for head in heads}
            if "" in keys or any(not head.startswith(" ") for head in heads):
                always.add(number)
                continue
            for key in keys:
                self.by_start.setdefault(key, set()).add(number)
        self.always = frozenset(always)
        # Keys cut short by a wildcard or by the pattern's end («de », «i»).
        self._short_lengths = sorted({len(key) for key in self.by_start if len(key) < _KEY - 1})

    def candidates(self, text: str) -> set[int]:
        """Numbers of the patterns that could match somewhere in `text` (a superset)."""
        found = set(self.always)
        for key in set(_KEYS.findall(text)):
            found.update(self.by_start.get(key, ()))
            for length in self._short_lengths:
                found.update(self.by_start.get(key[:length], ()))
        return found


def _starts(items: Iterable[tuple[Any, Any]], heads: set[str]) -> set[str]:
    """The first `_KEY` characters a match of `items` can begin with, after each of `heads`."""
    done = {head for head in heads if _is_done(head)}
    todo = heads - done
    for op, arg in items:
        if not todo:
            break
        stepped = _step(op, arg, todo)
        if stepped is None:  # a wildcard: what is known so far is the start
            return done | {head + _CUT for head in todo}
        done |= {head for head in stepped if _is_done(head)}
        todo = {head for head in stepped if not _is_done(head)}
    return done | todo


def _is_done(head: str) -> bool:
    return len(head) >= _KEY or head.endswith(_CUT)


def _step(op: Any, arg: Any, todo: set[str]) -> set[str] | None:
    """`todo` extended by one parsed regex item; None when the item can be almost anything."""
    if op is sre.LITERAL:
        return {head + chr(arg) for head in todo}
    if op is sre.IN:
        members = list(arg)
        chars = [chr(value) for kind, value in members if kind is sre.LITERAL]
        if len(chars) != len(members):  # ranges, categories, negation
            return None
        return {head + char for head in todo for char in chars}
    if op is sre.SUBPATTERN:
        return _starts(arg[-1], todo)
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            union |= _starts(branch, todo)
        return union
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, body = arg
        if high != 1:
            return None
        once = _starts(body, todo)
        return once | todo if low == 0 else once
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return todo  # zero width: the index only has to be a superset
    return None
