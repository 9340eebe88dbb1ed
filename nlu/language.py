"""Which language a message is written in: Bokmål, Nynorsk, English or something we don't serve.

Cheap on purpose: marker-word counts over folded tokens plus a script check. Swedish and Danish
count as Bokmål (our Bokmål replies are understood); other Latin-script languages and other
scripts are `other`. When there is no evidence at all the answer is Bokmål, the default.
"""

import unicodedata

from nlu.interpretation import Language
from nlu.normalisation import fold, fold_letters


def _words(text: str) -> frozenset[str]:
    return frozenset(fold_letters(text).split())


NYNORSK_MARKERS = _words(
    "eg ikkje kva korleis heime berre noko nokon nokre kven kvifor ho dei eit ein frå mykje meir"
    " sjølv vere vore gjer kjem treng hjå skule skulen born borna dotter vert fekk trur heile"
    # Not «òg»: it folds to «og», which every Bokmål message has.
    " aleine saman einsam dykk kor ikkj eigen eigentleg no berre veit seier høyrer"
)
BOKMAAL_MARKERS = _words(
    "jeg ikke hva hvordan hjemme bare noe noen hvem hvorfor hun de et en fra mye mer selv være"
    " vært gjør kommer trenger hvor hos skole skolen barn barna datter ble fikk tror hele alene"
    " sammen ensom egentlig vet sier hører jag inte"
)
SHARED_NORWEGIAN_WORDS = _words(
    "og er det på har til som med min mitt mine meg seg han av om å at så men kan vil skal"
    " sønn sønnen dattera datteren mamma pappa sitt blir går gutt jente hei takk hjelp"
)
ENGLISH_MARKERS = _words(
    "the and is my im you what how to of it with he she they we are was have has not dont can"
    " do does about need this that be me am your our because child kid kids son daughter when"
    " where who why hello hi thanks thank please want know feel school help mom dad mum parents"
    " anyone someone get go being bullied there"
)
OTHER_LATIN_MARKERS = _words(
    "ich nicht und ist das mein meine sie wie bin habe kind sohn tochter"  # German
    " nie jest mam jak sie moj moja dziecko czy syn corka"  # Polish
    " waa iyo aan waxaan ku ma wiilkayga"  # Somali
    " que el la es mi hijo hija estoy tengo por"  # Spanish
    " je le suis mon pas est les une ma fils fille"  # French
)
_LATIN_SHARE_FOR_SERVED = 0.5


def detect_language(text: str) -> Language:
    letters = [ch for ch in text if ch.isalpha()]
    if letters and _latin_share(letters) < _LATIN_SHARE_FOR_SERVED:
        return Language.OTHER
    tokens = fold(text)
    nynorsk = sum(token in NYNORSK_MARKERS for token in tokens)
    bokmaal = sum(token in BOKMAAL_MARKERS for token in tokens)
    shared = sum(token in SHARED_NORWEGIAN_WORDS for token in tokens)
    english = sum(token in ENGLISH_MARKERS for token in tokens)
    other = sum(token in OTHER_LATIN_MARKERS for token in tokens)
    norwegian = nynorsk + bokmaal + shared
    if english > norwegian:
        return Language.ENGLISH if english >= other else Language.OTHER
    if other > norwegian and other >= 2:
        return Language.OTHER
    return Language.NYNORSK if nynorsk > bokmaal else Language.BOKMAAL


def _latin_share(letters: list[str]) -> float:
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    return latin / len(letters)
