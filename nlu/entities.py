"""Age and writer role from a message, by rules over the normalised text.

Ages come in many shapes («på 8», «8-åring», «åtteåring», «15 år gammel», «i 3. klasse», «går
på ungdomsskolen», «baby på 4 mnd», «nesten 13», «my 8 year old»); each rule in `nlu.age_rules`
yields a candidate with a strength and whether it is the writer's own age. The role comes from
who the message talks about («sønnen min» -> parent, «elev i klassen min» -> professional,
«jeg er 15» -> youth). For a parent or professional, the child's age wins over the writer's.
Chat writers often drop the «jeg»: «… er 17», «gutt 14, lurer på …». Normalisation removes the
punctuation that shows such a clause starts, so those forms are read from the original text.
"""

import re
from dataclasses import dataclass

from nlu.age_rules import AgeCandidate, find_age_candidates
from nlu.interpretation import Role
from nlu.normalisation import fold_letters, normalise

OLDEST_AGE_WE_SERVE = 25  # older "ages" are parents' own and say nothing about services
OLDEST_CHILD = 12
YOUNGEST_WRITER = 6


def _pattern(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(fold_letters(a) for a in alternatives) + r")\b")


_PROFESSIONAL = _pattern(
    r"(jeg er|jobber som|som|im a|i am a|as a) (en )?(kontakt)?(lærer|teacher)",
    r"(jeg er|jobber som|som|im a|i am a|as a) (en )?(barnehagelærer|rektor|trener|"
    r"helsesykepleier|miljøarbeider|miljøterapeut|assistent|fagarbeider|spesialpedagog|"
    r"barnevernspedagog|sosionom|fastlege|lege|sykepleier|coach|nurse|social worker)",
    r"barnehagelærer|barnehagelaerer|kontaktlærer for",
    r"(elev|gutt|jente|barn|en) i (klassen|gruppa|barnehagen|avdelingen|laget) (min|mitt|vår)",
    r"(eleven|elevene|elever) (min|mine|våre)|(mine|våre) elever|min elev|en av elevene",
    r"vi på (skolen|jobb|avdelingen|helsestasjonen)|vi i barnehagen",
    r"(skolen|barnehagen) der jeg jobber|jeg jobber (i|på|som|med)|på laget jeg trener",
    r"my (students?|pupils?)|i work (at|in|as|with)",
)
_PARENT = _pattern(
    r"(sønnen|sonnen|datteren|dattera|barnet|barna|ungen|ungene|gutten|jenta|babyen|"
    r"stesønnen|stedatteren|bonussønnen|bonusdatteren|fostersønnen|fosterdatteren|"
    r"fosterbarnet|barnebarnet|tenåringen|stebarnet|minsten|eldstemann|yngstemann) "
    r"(min|mitt|mine|vår|vårt|våre)",
    r"(min|mitt|mine|vår|vårt|våre) (sønn|datter|barn|gutt|jente|unge|unger|baby|tenåring)",
    r"(jeg er|som|jeg er en) (mamma|pappa|mor|far|forelder|alenemor|alenemamma|alenefar|"
    r"alenepappa|bonusmamma|bonuspappa|stemor|stefar|fostermor|fosterfar|fosterforelder|"
    r"bestemor|bestefar|mormor|farmor|morfar|farfar)",
    r"(mamma|pappa|mor|far|foreldre) til (en|ei|et|to|tre|fire|\d+)",
    r"har (en|ei|et|to|tre|fire) (sønn|sønner|datter|døtre|barn|gutt|gutter|jente|jenter|"
    r"unger|baby|tvillinger)",
    r"(my|our) (son|daughter|child|kid|kids|children|baby|boy|girl|teen|teenager|toddler)",
    r"(my|our) \d+ (year|yo)",
    r"(im|i am) a (mom|mum|dad|parent|father|mother|single mom|single dad)",
    r"i have a (son|daughter|child|kid|baby)",
    r"(i|we) have (a|an|two|three) (\d+ )?(year|yo|month|toddler|newborn|infant|teen)",
    r"har (en|ei|et|to|tre) (\d+ ?åring|\w+åring)",
)
_WRITERS_OWN_PARENTS = _pattern(
    r"(mamma|pappa|moren|stefaren|stemoren|foreldre) (min|mine)",
    r"(min|mine) (mamma|pappa|mor|far|foreldre|stefar|stemor)",
    r"my (mom|mum|dad|parents|stepdad|stepmom)",
)
# A parent doing something to «meg»: most often a child writing, as the examples have it.
_PARENT_TO_WRITER = _pattern(r"(mamma|pappa|mor|far|stefar|stemor) (\w+ ){0,6}(meg|oss)")
_YOUTH = _pattern(
    r"jeg er (en )?(ungdom|tenåring|elev|student)",
    r"jeg går på (ungdomsskolen|videregående|vgs)",
    r"(læreren|kontaktlæreren|rektoren|klassekameratene|klassen) (min|mine)",
    r"im a (teen|teenager|student)",
)


# «er 17» opening a clause (after a full stop, a comma or at the start) is the writer's own age;
# «gutt 14» / «jente 15» / «17f» opening the message too. Not «er 17 år siden», «er 15 minutter».
_AFTER_AGE = r"(?!\s*(?:år siden|years? ago|min|minutt|timer|time|kr|kroner|grader|dager|uker|%))"
_OWN_AGE_CLAUSE = re.compile(
    r"(?:^|[.!?,;:()\n]|\b(?:og|and|men|but))\s*(?:(?:jeg|eg|æ|e|i)\s+)?"
    r"(?:er|e|æ|am|is)\s+(?:nesten\s+|snart\s+)?(?P<n>1\d|[5-9])\b(?:\s*(?:år|years?|yo))?"
    + _AFTER_AGE,
    re.IGNORECASE,
)
_OWN_AGE_OPENING = re.compile(
    r"^\W*(?:gutt|jente|boy|girl|jeg|meg|me)\s*,?\s*(?:på\s+)?(?P<n>1\d|[5-9])\b"
    r"(?:\s*(?:år|years?|yo))?" + _AFTER_AGE,
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Entities:
    age: int | None = None
    role: Role | None = None


def extract_entities(text: str) -> Entities:
    return extract_from_normalised(normalise(text), text)


def extract_age(text: str) -> int | None:
    return extract_entities(text).age


def extract_role(text: str) -> Role | None:
    return extract_entities(text).role


def extract_from_normalised(normalised: str, original: str = "") -> Entities:
    """Entities from the normalised text, plus the forms only `original` shows (see above)."""
    candidates = [
        c
        for c in [*find_age_candidates(normalised), *_own_age_candidates(original)]
        if c.age <= OLDEST_AGE_WE_SERVE
    ]
    role = _role_from_words(normalised)
    if role in (Role.PARENT, Role.PROFESSIONAL):
        return Entities(_best_age([c for c in candidates if not c.writer] or candidates), role)
    writer_ages = [c for c in candidates if c.writer]
    if writer_ages:
        age = _best_age(writer_ages)
        return Entities(age, _role_for_own_age(age))
    age = _best_age(candidates)
    if role is None and _PARENT_TO_WRITER.search(normalised):
        role = Role.CHILD if age is None or age <= OLDEST_CHILD else Role.YOUTH
    elif role is None and _WRITERS_OWN_PARENTS.search(normalised):
        role = Role.YOUTH
    if role is Role.YOUTH and age is not None and age <= OLDEST_CHILD:
        role = Role.CHILD
    if role is None and age is not None and age < YOUNGEST_WRITER:
        role = Role.PARENT  # a preschooler does not write: someone writes about them
    return Entities(age, role)


def _own_age_candidates(original: str) -> list[AgeCandidate]:
    """Subject-less own ages; placed after the normalised text's own finds on equal strength."""
    found = []
    for pattern in (_OWN_AGE_OPENING, _OWN_AGE_CLAUSE):
        for match in pattern.finditer(original):
            found.append(AgeCandidate(int(match["n"]), 3, len(original) + match.start(), True))
    return found


def _role_from_words(normalised: str) -> Role | None:
    if _PROFESSIONAL.search(normalised):
        return Role.PROFESSIONAL
    if _PARENT.search(normalised):
        return Role.PARENT
    if _YOUTH.search(normalised):
        return Role.YOUTH
    return None


def _role_for_own_age(age: int | None) -> Role | None:
    if age is None:
        return None
    return Role.CHILD if age <= OLDEST_CHILD else Role.YOUTH


def _best_age(candidates: list[AgeCandidate]) -> int | None:
    if not candidates:
        return None
    strongest = max(c.strength for c in candidates)
    return min((c for c in candidates if c.strength == strongest), key=lambda c: c.position).age
