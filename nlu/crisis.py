"""Crisis detection: the first check on every message, over its full text.

The patterns live in `nlu/crisis_patterns.yml` so a domain expert can review them without
reading code; this module only compiles and applies them. Order matters: harmless idioms are
blanked out first, then acute and concern patterns run, and a denial right before an acute match
(«jeg har ikke tenkt å ta livet mitt») lowers it to concern — never to none, because a denial
still tells us what the writer is thinking about. Last, a concern becomes acute when the same
message also carries a sign that it is happening now or is planned («kan ikke mer» + «har
skrevet et brev til mamma»; «pappa slår meg» + «nå er han kjempesint»): the `escalate` section.
Given a `CrisisModel` (`nlu.crisis_model`), its learned second opinion may then raise the level,
never lower it: `with_second_opinion` is the one place where the two are combined.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.crisis_index import StartIndex
from nlu.crisis_model import CrisisModel, CrisisOpinion
from nlu.interpretation import Crisis, CrisisKind, CrisisLevel
from nlu.normalisation import normalise

PATTERNS_FILE = Path(__file__).with_name("crisis_patterns.yml")
_BLANK = " # "  # not a word, so patterns neither match it nor join across it
_DENIAL_WINDOW_WORDS = 1  # words allowed between a denial and the acute phrase
_DENIAL_REACH = 100  # characters before a match that can hold a denial and that one word
# Most severe first; decides which line the bot offers first when several kinds match.
KIND_ORDER: tuple[CrisisKind, ...] = (
    CrisisKind.SUICIDE,
    CrisisKind.OVERDOSE,
    CrisisKind.MEDICAL,
    CrisisKind.VIOLENCE_NOW,
    CrisisKind.CHILD_IN_DANGER,
    CrisisKind.ABUSE,
    CrisisKind.SELF_HARM,
    CrisisKind.DISTRESS,
)
_LEVEL_RANK = {CrisisLevel.NONE: 0, CrisisLevel.CONCERN: 1, CrisisLevel.ACUTE: 2}
_WORD_LIST_REFERENCE = re.compile(r"\{([a-z_]+)\}")
_UPPER_NOT_ESCAPED = re.compile(r"(?<!\\)[^\W\d_a-z]")


class CrisisPatternError(ValueError):
    """The pattern file is broken; raised at load so a bad edit never reaches users."""


@dataclass(frozen=True)
class CrisisPatterns:
    harmless: tuple[re.Pattern[str], ...]
    acute: tuple[tuple[CrisisKind, re.Pattern[str]], ...]
    concern: tuple[tuple[CrisisKind, re.Pattern[str]], ...]
    denial: re.Pattern[str]
    # (kind it becomes, concern kinds it needs, pattern): signs that make a concern acute.
    escalate: tuple[tuple[CrisisKind, frozenset[CrisisKind], re.Pattern[str]], ...]
    # Which patterns can start at one of the text's words: harmless numbered first, then
    # acute, then concern.
    index: StartIndex


def detect_crisis(
    text: str, patterns: CrisisPatterns | None = None, model: CrisisModel | None = None
) -> Crisis:
    """Crisis level and kinds for the whole message, however long."""
    return detect_crises([text], patterns, model)[0]


def detect_crises(
    texts: Sequence[str], patterns: CrisisPatterns | None = None, model: CrisisModel | None = None
) -> list[Crisis]:
    """The rules' verdicts, each raised (never lowered) by the learned model's when given."""
    rules = patterns or load_crisis_patterns()
    found = [_detect_by_rules(text, rules) for text in texts]
    if model is None:
        return found
    return [
        with_second_opinion(crisis, opinion)
        for crisis, opinion in zip(found, model.assess(texts), strict=True)
    ]


def with_second_opinion(rules: Crisis, opinion: CrisisOpinion) -> Crisis:
    """The higher level of the two. When the model raises it, its kind joins the rules' kinds,
    most severe first (so a rule's `suicide` concern made acute stays a suicide crisis)."""
    if _LEVEL_RANK[opinion.level] <= _LEVEL_RANK[rules.level] or opinion.kind is None:
        return rules
    return Crisis(opinion.level, _ordered({opinion.kind, *rules.kinds}))


def _detect_by_rules(text: str, rules: CrisisPatterns) -> Crisis:
    # Every pattern starts with the space before its first word (see `_PatternCompiler`).
    checked = " " + normalise(text, keep_sentences=True)
    # Blanking an idiom out leaves « # », where no pattern's start can match, so the patterns
    # possible in the blanked text are among those possible before: one look-up serves both.
    possible = rules.index.candidates(checked)
    for number, idiom in enumerate(rules.harmless):
        if number in possible:
            checked = idiom.sub(_BLANK, checked)
    first_danger = len(rules.harmless)
    if not any(number >= first_danger for number in possible):
        return Crisis()
    acute: set[CrisisKind] = set()
    concern: set[CrisisKind] = set()
    for number, (kind, pattern) in enumerate(rules.acute, start=first_danger):
        if number not in possible:
            continue
        for match in pattern.finditer(checked):
            denied = _is_denied(checked, match.start(), rules)
            (concern if denied else acute).add(kind)
            if not denied:
                break
    for number, (kind, pattern) in enumerate(rules.concern, start=first_danger + len(rules.acute)):
        if number in possible and pattern.search(checked):
            concern.add(kind)
    if concern and not acute:
        acute = _escalated(checked, concern, rules)
    if acute:
        return Crisis(CrisisLevel.ACUTE, _ordered(acute) + _ordered(concern - acute))
    if concern:
        return Crisis(CrisisLevel.CONCERN, _ordered(concern))
    return Crisis()


def _escalated(checked: str, concern: set[CrisisKind], rules: CrisisPatterns) -> set[CrisisKind]:
    acute: set[CrisisKind] = set()
    for kind, needs, pattern in rules.escalate:
        if kind in acute or not needs & concern:
            continue
        for match in pattern.finditer(checked):
            if not _is_denied(checked, match.start(), rules):
                acute.add(kind)
                break
    return acute


def _is_denied(checked: str, start: int, rules: CrisisPatterns) -> bool:
    # Only the end of the text before the match can hold the denial: searching all of a long
    # message for a pattern anchored at its end would cost time for every match.
    return rules.denial.search(checked, max(0, start - _DENIAL_REACH), start) is not None


def _ordered(kinds: set[CrisisKind]) -> tuple[CrisisKind, ...]:
    return tuple(kind for kind in KIND_ORDER if kind in kinds)


@lru_cache(maxsize=4)
def load_crisis_patterns(path: Path = PATTERNS_FILE) -> CrisisPatterns:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CrisisPatternError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(spec, dict):
        raise CrisisPatternError(f"{path}: expected a mapping")
    words = {str(name): str(value) for name, value in (spec.get("words") or {}).items()}
    compile_one = _PatternCompiler(path, words)
    denials = spec.get("denials") or []
    denial_source = "|".join(f"(?:{compile_one.source(d)})" for d in denials) or "(?!)"
    harmless = tuple(compile_one(p) for p in spec.get("harmless") or [])
    acute = _by_kind(compile_one, spec.get("acute"), path)
    concern = _by_kind(compile_one, spec.get("concern"), path)
    escalate = _escalations(compile_one, spec.get("escalate") or {}, path)
    return CrisisPatterns(
        harmless=harmless,
        acute=acute,
        concern=concern,
        index=StartIndex([*harmless, *(pattern for _, pattern in (*acute, *concern))]),
        # A denial counts only when it ends at most one word before the acute phrase.
        denial=re.compile(rf"\b(?:{denial_source})(?: \w+){{0,{_DENIAL_WINDOW_WORDS}}} ?$"),
        escalate=escalate,
    )


def _by_kind(
    compile_one: "_PatternCompiler", section: object, path: Path
) -> tuple[tuple[CrisisKind, re.Pattern[str]], ...]:
    if not isinstance(section, dict):
        raise CrisisPatternError(f"{path}: `acute` and `concern` must map kinds to patterns")
    compiled: list[tuple[CrisisKind, re.Pattern[str]]] = []
    for kind_name, sources in section.items():
        try:
            kind = CrisisKind(kind_name)
        except ValueError:
            raise CrisisPatternError(f"{path}: unknown crisis kind {kind_name!r}") from None
        compiled.extend((kind, compile_one(source)) for source in sources or [])
    return tuple(compiled)


def _escalations(
    compile_one: "_PatternCompiler", section: object, path: Path
) -> tuple[tuple[CrisisKind, frozenset[CrisisKind], re.Pattern[str]], ...]:
    """`escalate: {kind: {when: [concern kinds], signs: [patterns]}}`."""
    if not isinstance(section, dict):
        raise CrisisPatternError(f"{path}: `escalate` must map kinds to `when` and `signs`")
    compiled: list[tuple[CrisisKind, frozenset[CrisisKind], re.Pattern[str]]] = []
    for kind_name, rule in section.items():
        if not isinstance(rule, dict) or not rule.get("when") or not rule.get("signs"):
            raise CrisisPatternError(f"{path}: escalate {kind_name!r} needs `when` and `signs`")
        try:
            kind = CrisisKind(kind_name)
            needs = frozenset(CrisisKind(name) for name in rule["when"])
        except ValueError as error:
            raise CrisisPatternError(f"{path}: escalate {kind_name!r}: {error}") from None
        compiled.extend((kind, needs, compile_one(sign)) for sign in rule["signs"])
    return tuple(compiled)


class _PatternCompiler:
    """Turns a reviewer's pattern into a regex over normalised text."""

    def __init__(self, path: Path, words: dict[str, str]) -> None:
        self.path = path
        self.words = words

    def source(self, pattern: str) -> str:
        def insert_words(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.words:
                raise CrisisPatternError(
                    f"{self.path}: unknown word list {{{name}}} in {pattern!r}"
                )
            return f"(?:{self.words[name]})"

        expanded = _WORD_LIST_REFERENCE.sub(insert_words, str(pattern))
        return fold_pattern(expanded)

    def __call__(self, pattern: str) -> re.Pattern[str]:
        try:
            # A leading space, not `\b`: a literal first character lets `re` jump from word to
            # word instead of trying every pattern at every character (several times faster).
            return re.compile(rf" (?:{self.source(pattern)})\b")
        except re.error as error:
            raise CrisisPatternError(f"{self.path}: bad pattern {pattern!r}: {error}") from None


def fold_pattern(pattern: str) -> str:
    """Fold letters like `normalise` does, leaving escapes such as `\\S` alone."""
    lowered = _UPPER_NOT_ESCAPED.sub(lambda m: m.group().casefold(), pattern)
    return lowered.translate(_PATTERN_LETTER_FOLDS)


_PATTERN_LETTER_FOLDS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
