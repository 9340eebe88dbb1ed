"""The rules that find ages in normalised text, each with a strength.

Strength 3: a number said to be an age («på 8», «15 år», «8-åring», «åtteåring», «4 mnd»);
2: a school class («i 3. klasse» -> 8, «går i tiende» -> 15, «vg2» -> 17);
1: a school level or life stage («går på ungdomsskolen» -> 14, «baby» -> 0).
Patterns are written in ordinary Norwegian and folded like the text (å -> aa, ø -> oe).
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from nlu.normalisation import fold_letters

NUMBER_WORDS: dict[str, int] = {
    fold_letters(word): value
    for words, value in [
        ("en ein ei ett eitt one", 1),
        ("to two", 2),
        ("tre tri three", 3),
        ("fire four", 4),
        ("fem five", 5),
        ("seks six", 6),
        ("sju syv seven", 7),
        ("åtte eight", 8),
        ("ni nine", 9),
        ("ti ten", 10),
        ("elleve ellve eleven", 11),
        ("tolv twelve", 12),
        ("tretten thirteen", 13),
        ("fjorten fourteen", 14),
        ("femten fifteen", 15),
        ("seksten sixteen", 16),
        ("sytten seventeen", 17),
        ("atten eighteen", 18),
        ("nitten nineteen", 19),
    ]
    for word in words.split()
}
ORDINALS: dict[str, int] = {
    fold_letters(word): value
    for words, value in [
        ("første fyrste first", 1),
        ("andre second", 2),
        ("tredje third", 3),
        ("fjerde fourth", 4),
        ("femte fifth", 5),
        ("sjette sixth", 6),
        ("sjuende syvende sjuande seventh", 7),
        ("åttende åttande eighth", 8),
        ("niende niande ninth", 9),
        ("tiende tiande tenth", 10),
    ]
    for word in words.split()
}
SCHOOL_LEVELS: dict[str, int] = {
    fold_letters(word): age
    for words, age in [
        ("baby babyen nyfødt nyfødte spedbarn newborn infant", 0),
        ("småbarn toddler", 2),
        ("barnehage barnehagen bhg kindergarten preschool", 4),
        ("småskoletrinnet småtrinnet", 7),
        ("barneskole barneskolen barneskoleelev", 9),
        ("mellomtrinnet", 11),
        ("ungdomsskole ungdomsskolen ungdomstrinnet ungdomsskoleelev", 14),
        ("videregående vgs", 17),
    ]
    for word in words.split()
}
# Article-like number words are too ambiguous after «på» («på en måte»).
_BARE_NUMBER_WORDS = [w for w, v in NUMBER_WORDS.items() if v > 1 and w not in {"to", "one"}]

_N = r"(?P<n>\d{1,2}|" + "|".join(NUMBER_WORDS) + ")"
_N_BARE = r"(?P<n>\d{1,2}|" + "|".join(_BARE_NUMBER_WORDS) + ")"
_MOD = r"(?:(?P<mod>nesten|snart|straks|nettopp|bare|kun|akkurat|only|just|almost|nearly) )?"
_YEARS = r"(?:aar|years?|yrs?|yo)"
_MONTHS = r"(?P<unit>mnd|maaned|maaneder|maaneders|months?|mos|uker|uke|ukers|weeks?|dager|days?)"
_NOT_AN_AGE = fold_letters(
    "timer|time|minutter|min|sekunder|dager|dag|uker|uke|mnd|måneder|måned|år|kr|kroner|nok|"
    "prosent|ganger|gang|sider|kg|cm|meter|km|personer|stykker|elever|barn|klasse|trinn|måter|"
    "tusen|millioner|øre|kilo|gram|grader|mil|av|plass|etasje|rad|tallet|nummer"
)
_ORD = "|".join(ORDINALS)
_ORD_NOT_ANDRE = "|".join(o for o in ORDINALS if o != "andre")
_SUBJECT = (
    r"(?:han|hun|jeg|gutten|jenta|soennen|datteren|barnet|babyen|ungen|he|she|hes|shes"
    r"|min|mi|mitt|vaar|vaart)"  # «sønnen min er 15», «jenta vår er 8»
)
_CHILD_WORD = fold_letters(
    r"(?:baby|babyen|babyer|nyfødt|sønn|sønnen|sønner|datter|datteren|barn|barnet|gutt|gutten|"
    r"jente|jenta|unge|ungen|min|mitt|mi|vår|vårt|minsten|lillebror|lillesøster|tvillinger|"
    r"tvillingene|en|ei|et)"
)
# A child named and then a bare number, as in «datteren vår (10)» or «my son, 15,».
_NAMED_CHILD = fold_letters(
    r"(?:sønn|sønnen|datter|datteren|dattera|dotter|dottera|gutt|gutten|jente|jenta|ungen|"
    r"barnet|eleven|eleva|son|daughter|kid|child|boy|girl|pupils?|students?)"
    r"(?: (?:min|mi|mitt|vår|vårt|my|our))?"
)
_WRITER_WORDS = frozenset({"jeg", "im", "am"})
_OTHER_SUBJECTS_TEXT = (
    "han hun soennen datteren barnet ungen gutten jenta babyen he she son daughter hes shes"
    " min mitt mine"
)
_OTHER_SUBJECTS = frozenset(_OTHER_SUBJECTS_TEXT.split())


@dataclass(frozen=True, slots=True)
class AgeCandidate:
    age: int
    strength: int
    position: int
    writer: bool  # the writer's own age («jeg er 15», «jeg går i 9.»)


def _number(match: re.Match[str]) -> int:
    raw = match["n"]
    value = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
    return (
        value - 1
        if match.groupdict().get("mod") in {"nesten", "snart", "straks", "almost", "nearly"}
        else value
    )


def _months(match: re.Match[str]) -> int:
    months = _number(match) if match["unit"].startswith(("m", "mo")) else 0
    return months // 12


def _school_class(match: re.Match[str]) -> int:
    raw = match["c"]
    return (int(raw) if raw.isdigit() else ORDINALS[raw]) + 5


def _level(match: re.Match[str]) -> int:
    return SCHOOL_LEVELS[match["level"]]


_Rule = tuple[re.Pattern[str], int, Callable[[re.Match[str]], int]]
_RULES: list[_Rule] = [
    (re.compile(rf"\b(?:{_CHILD_WORD} paa|er|is|of) {_MOD}{_N} {_MONTHS}\b"), 3, _months),
    (re.compile(rf"\b{_MOD}{_N} {_MONTHS} (?:gammel|gamle|old)\b"), 3, _months),
    (
        re.compile(
            rf"\b(?:paa|er|is|am|im|aged?|blitt|blir|fylt|fyller|fylte|ble|turned|turning|of)"
            rf" {_MOD}{_N} {_YEARS}\b"
        ),
        3,
        _number,
    ),
    (re.compile(rf"\b{_MOD}{_N} {_YEARS} (?:gammel|gamle|gml|old)\b"), 3, _number),
    (re.compile(rf"\b{_MOD}{_N} (?:year old|yo|aaring\w*|aars)\b"), 3, _number),
    # «tenåring» is a teenager, not a ten-year-old: English «ten» is left out of the compounds.
    (
        re.compile(rf"\b(?P<n>{'|'.join(w for w in NUMBER_WORDS if w != 'ten')})aaring\w*\b"),
        3,
        _number,
    ),
    (re.compile(r"\b(?P<n>fjortis\w*)\b"), 3, lambda _: 14),
    # A bare «16 år», unless it is a duration («i 2 år», «for 2 år siden», «om 3 år»).
    (
        re.compile(
            rf"(?<!\bfor )(?<!\bi )(?<!\bom )(?<!\better )(?<!\bhvert )\b{_N} aar\b"
            rf"(?! (?:siden|til|etter|tid|fram|frem|paa rad|igjen)\b)"
        ),
        2,
        _number,
    ),
    (re.compile(rf"\bpaa {_MOD}{_N_BARE}\b(?! (?:{_NOT_AN_AGE})\b)"), 3, _number),
    (re.compile(rf"\b(?:{_SUBJECT} er|is) {_MOD}{_N_BARE}\b(?! (?:{_NOT_AN_AGE})\b)"), 3, _number),
    (re.compile(rf"\b(?:im|i am) {_MOD}{_N_BARE}\b(?! (?:{_NOT_AN_AGE})\b)"), 3, _number),
    (re.compile(rf"\b{_NAMED_CHILD} (?P<n>\d{{1,2}})\b(?! (?:{_NOT_AN_AGE})\b)"), 3, _number),
    (
        re.compile(
            rf"\b(?P<c>\d{{1,2}}|{_ORD}) (?:st |nd |rd |th )?(?:klasse|kl|klassetrinn|trinn|"
            rf"grade|klassing)\b"
        ),
        2,
        _school_class,
    ),
    (re.compile(rf"\b(?P<c>{_ORD})(?:klasse|klassing|trinn)\w*\b"), 2, _school_class),
    (re.compile(r"\b(?:klasse|trinn|grade) (?P<c>\d{1,2})\b"), 2, _school_class),
    (re.compile(rf"\bgaar i (?P<c>\d{{1,2}}|{_ORD_NOT_ANDRE})\b"), 2, _school_class),
    (re.compile(r"\bvg (?P<c>[1-3])\b"), 2, lambda m: 15 + int(m["c"])),
    (re.compile(r"\b(?:middle school)\b"), 1, lambda _: 12),
    (re.compile(r"\b(?:high school)\b"), 1, lambda _: 16),
    (re.compile(r"\b(?:tenaaring\w*|teens?|teenagers?)\b"), 1, lambda _: 15),
    (re.compile(rf"\b(?P<level>{'|'.join(SCHOOL_LEVELS)})\b"), 1, _level),
]
_WRITER_RULES = [
    re.compile(
        rf"\b(?:jeg er|im|i am|jeg har blitt|jeg fyller|jeg fylte|jeg ble) {_MOD}{_N_BARE}"
        rf"\b(?! (?:{_NOT_AN_AGE})\b)"
    ),
]


def find_age_candidates(normalised: str) -> list[AgeCandidate]:
    found = list(_writer_candidates(normalised))
    claimed = {c.position for c in found}
    for pattern, strength, to_age in _RULES:
        for match in pattern.finditer(normalised):
            age = _safe_age(to_age, match)
            if age is None or match.start() in claimed:
                continue
            writer = _said_by_writer(normalised, match.start())
            found.append(AgeCandidate(age, strength, match.start(), writer))
    return found


def _writer_candidates(normalised: str) -> Iterator[AgeCandidate]:
    for pattern in _WRITER_RULES:
        for match in pattern.finditer(normalised):
            age = _safe_age(_number, match)
            if age is not None:
                yield AgeCandidate(age, 3, match.start(), writer=True)


def _safe_age(to_age: Callable[[re.Match[str]], int], match: re.Match[str]) -> int | None:
    try:
        age = to_age(match)
    except (KeyError, ValueError):
        return None
    return age if 0 <= age <= 99 else None


def _said_by_writer(normalised: str, start: int) -> bool:
    """True when the nearest subject before the age is the writer («jeg går i 9. klasse»)."""
    for token in reversed(normalised[:start].split()[-5:]):
        if token in _WRITER_WORDS:
            return True
        if token in _OTHER_SUBJECTS:
            return False
    return False
