"""Norwegian text normalisation: one canonical spelling for classification, entities and crisis.

Steps, in order: Unicode NFKC, control and zero-width characters removed, case folded, HTML
tags removed, links, e-mail addresses and long numbers replaced by a placeholder word, emoji
mapped to a word or removed, letters repeated for emphasis collapsed («heeeei» -> «hei»,
«mobbbing» -> «mobbing»), æ/ø/å and their ASCII spellings folded to one form (ae/oe/aa),
punctuation removed, and finally every word looked up in the spelling tables (Nynorsk,
dialect, typos -> Bokmål).

The canonical form is ASCII for Norwegian letters: «Jeg får» and «jeg faar» both become
`jeg faar`. Code that writes patterns against normalised text folds its patterns with
`fold_letters` first, so patterns can be written in ordinary Norwegian.
"""

import re
import unicodedata
from functools import lru_cache

from nlu.spelling import ALL_TABLES, EMOJI_WORDS

SENTENCE_BREAK = "."  # the token `normalise(..., keep_sentences=True)` puts between sentences

_LETTER_FOLDS = str.maketrans(
    {
        "æ": "ae",
        "ø": "oe",
        "å": "aa",
        "ä": "ae",
        "ö": "oe",
        "ü": "u",
        "é": "e",
        "è": "e",
        "ê": "e",
        "ë": "e",
        "á": "a",
        "à": "a",
        "â": "a",
        "í": "i",
        "ì": "i",
        "î": "i",
        "ï": "i",
        "ó": "o",
        "ò": "o",
        "ô": "o",
        "ú": "u",
        "ù": "u",
        "û": "u",
        "ý": "y",
        "ç": "c",
        "ñ": "n",
    }
)
_LETTER_FOLD_PAIRS = tuple((chr(letter), str(folded)) for letter, folded in _LETTER_FOLDS.items())
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")
# Invisible characters inside a word (soft hyphen, zero-width, direction marks) join it back up:
# «selv\u200bmord» is still «selvmord».
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_HTML_TAG = re.compile(r"<[^<>]{0,200}>")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_LONG_NUMBER = re.compile(r"\+?\d[\d ]{6,}\d")  # phone numbers, account numbers
_DECIMAL = re.compile(r"(\d)[.,]\d+")  # «2,5 år» -> «2 år»: ages and amounts round down
_APOSTROPHE = re.compile(r"['’`´]")
_SENTENCE_END = re.compile(r"[.!?;:\n]+(?!\d)")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3\U000e0020-\U000e007f]"
)
_EMOJI_WORD = re.compile("|".join(re.escape(emoji) for emoji in EMOJI_WORDS))
_REPEATED_VOWEL = re.compile(r"([aeiouyæøå])\1{2,}")
_REPEATED_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1{2,}")
# Not the space: it would be replaced by itself, and replacing costs more than matching.
_NON_WORD = re.compile(r"[^\w ]|_")
_DIGIT = re.compile(r"\d")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_MAX_TOKEN = 40  # longer "words" are keyboard mashing or base64; they only slow things down
# One message is normalised by the crisis model and the classifier, and folded by those, the
# crisis rules and language detection; remembering the last few texts makes the repeats free.
_RECENT_TEXTS = 64


def fold_letters(text: str) -> str:
    """Case and Norwegian letters only: what patterns need to match normalised text."""
    return text.casefold().translate(_LETTER_FOLDS)


@lru_cache(maxsize=1)
def spelling_table() -> dict[str, str]:
    """Folded variant -> folded canonical word, from the tables in `nlu.spelling`."""
    table: dict[str, str] = {}
    for source in ALL_TABLES:
        for canonical, variants in source.items():
            for variant in variants.split():
                table[fold_letters(variant)] = fold_letters(canonical)
    return table


def fold(text: str, *, keep_sentences: bool = False) -> list[str]:
    """Tokens after every step except the spelling tables (language detection reads these)."""
    text = _fold_characters(text)
    if not keep_sentences:
        return _words(_SENTENCE_END.sub(" ", text))
    tokens: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        words = _words(sentence)
        if words:
            tokens.extend([*words, SENTENCE_BREAK])
    return tokens[:-1]


def normalise(text: str, *, keep_sentences: bool = False) -> str:
    """The canonical form: space-separated Bokmål-spelled, folded tokens."""
    return _normalised(text, keep_sentences)


@lru_cache(maxsize=_RECENT_TEXTS)
def _normalised(text: str, keep_sentences: bool) -> str:
    table = spelling_table()
    return " ".join([table.get(t, t) for t in fold(text, keep_sentences=keep_sentences)])


@lru_cache(maxsize=_RECENT_TEXTS)
def _fold_characters(text: str) -> str:
    # Steps that cannot match are skipped on a cheap test first (`isascii` is free: Python
    # stores it with the string); each skipped step would have scanned the whole text.
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    text = text.casefold()
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "http" in text or "www." in text:
        text = _URL.sub(" lenke ", text)
    if "@" in text:
        text = _EMAIL.sub(" epost ", text)
    text = text.replace("e-post", "epost").replace("e-mail", "epost")
    if _DIGIT.search(text):
        text = _DECIMAL.sub(r"\1", _LONG_NUMBER.sub(" nummer ", text))
    text = _APOSTROPHE.sub("", text)
    if not text.isascii():
        text = _EMOJI_WORD.sub(lambda m: f" {EMOJI_WORDS[m.group()]} ", text)
        text = _EMOJI.sub(" ", text)
    text = _REPEATED_VOWEL.sub(r"\1", text)
    text = _REPEATED_CONSONANT.sub(r"\1\1", text)
    return text if text.isascii() else _fold_norwegian_letters(text)


def _fold_norwegian_letters(text: str) -> str:
    """`text.translate(_LETTER_FOLDS)`, 10x faster: most of the letters never occur."""
    for letter, folded in _LETTER_FOLD_PAIRS:
        if letter in text:
            text = text.replace(letter, folded)
    return text


def _words(text: str) -> list[str]:
    text = _NON_WORD.sub(" ", text)
    if _DIGIT.search(text):
        text = _DIGIT_LETTER.sub(" ", text)
    return [token for token in text.split() if len(token) <= _MAX_TOKEN]
