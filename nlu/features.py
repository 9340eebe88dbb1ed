"""Sparse TF-IDF rows for one text without sklearn's per-call checks, and linear scores on them.

On a single short message `TfidfVectorizer.transform` spends about ten times the arithmetic on
input validation, sparse-matrix construction and generic normalisation. `TfidfRows` computes the
same row straight from the fitted `vocabulary_` and `idf_`: sublinear tf, idf, l2 per vectoriser,
the vectorisers' columns side by side as `FeatureUnion` and `scipy.sparse.hstack` lay them out.
`tests/nlu/test_features.py` holds it to `transform`. Training and cross-validation keep using
`transform`, where a whole matrix is worth its checks.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache, partial

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

Row = tuple[NDArray[np.intp], NDArray[np.float64]]  # columns and weights of one text's terms
_NO_COLUMNS: NDArray[np.intp] = np.zeros(0, dtype=np.intp)
REMEMBERED_WORDS = 8_192  # per char_wb vectoriser: at most ~4 MB, far above a message's words


class _Vocabulary:
    """One fitted vectoriser: how it splits a text into terms, and its columns for them."""

    def __init__(self, vectoriser: TfidfVectorizer, offset: int) -> None:
        settings = (vectoriser.sublinear_tf, vectoriser.use_idf, vectoriser.norm)
        if settings != (True, True, "l2") or vectoriser.binary:
            raise ValueError("TfidfRows computes sublinear tf, idf and l2 norm only")
        self.analyse = _analyser(vectoriser)
        self.columns: dict[str, int] = vectoriser.vocabulary_  # its own numbering, from 0
        self.idf: NDArray[np.float64] = vectoriser.idf_
        self.offset = offset  # where its columns start in the row
        # char_wb n-grams (low, high) of plain text never cross into the next word, so the text
        # is split into words here; None when `analyse` must see the whole text.
        self.word_ngrams = _char_wb_range(vectoriser)
        # Splitting a word into n-grams and looking them up is most of the work, and most
        # words of a message are common ones: the last few thousand words' columns are kept.
        self.word_columns = lru_cache(maxsize=REMEMBERED_WORDS)(self._word_columns)

    def counted_columns(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Columns of the text's known terms (each once) and how often each occurs."""
        if self.word_ngrams is not None:
            # A repeated word is looked up once; its n-grams count as often as it occurs.
            found: list[int] = []
            for word, times in Counter(text.split()).items():
                found.extend(self.word_columns(word) * times)
        else:
            found = self._known(self.analyse(text))
        if not found:
            return _NO_COLUMNS, np.zeros(0)
        # Counter rather than np.unique: a few hundred terms are counted faster than sorted.
        counted = Counter(found)
        columns = np.fromiter(counted.keys(), dtype=np.intp, count=len(counted))
        return columns, np.fromiter(counted.values(), dtype=np.float64, count=len(counted))

    def _word_columns(self, word: str) -> tuple[int, ...]:
        assert self.word_ngrams is not None
        return tuple(self._known(_char_wb_ngrams(word, *self.word_ngrams)))

    def _known(self, terms: list[str]) -> list[int]:
        get = self.columns.get
        return [column for column in map(get, terms) if column is not None]


class TfidfRows:
    """The TF-IDF row of one text, as fitted `vectorisers` side by side would give it."""

    def __init__(self, vectorisers: Sequence[TfidfVectorizer]) -> None:
        self._vocabularies: list[_Vocabulary] = []
        offset = 0
        for vectoriser in vectorisers:
            self._vocabularies.append(_Vocabulary(vectoriser, offset))
            offset += len(vectoriser.vocabulary_)

    def row(self, text: str) -> Row:
        columns: list[NDArray[np.intp]] = []
        weights: list[NDArray[np.float64]] = []
        for vocabulary in self._vocabularies:
            found, counts = vocabulary.counted_columns(text)
            if not len(found):
                continue
            weight = (np.log(counts) + 1.0) * vocabulary.idf[found]
            columns.append(found + vocabulary.offset)
            weights.append(weight / np.sqrt(weight @ weight))
        if not columns:
            return _NO_COLUMNS, np.zeros(0)
        return np.concatenate(columns), np.concatenate(weights)


def _reads_text_as_is(vectoriser: TfidfVectorizer) -> bool:
    as_is = not vectoriser.lowercase and vectoriser.strip_accents is None
    return as_is and vectoriser.preprocessor is None and vectoriser.input == "content"


def _char_wb_range(vectoriser: TfidfVectorizer) -> tuple[int, int] | None:
    """The n-gram range when the vectoriser reads text as it is, by `char_wb`; else None."""
    if vectoriser.analyzer != "char_wb" or not _reads_text_as_is(vectoriser):
        return None
    low, high = vectoriser.ngram_range
    return int(low), int(high)


def _analyser(vectoriser: TfidfVectorizer) -> Callable[[str], list[str]]:
    """sklearn's analyser; for plain word n-grams the same terms without its per-call steps."""
    own_steps = vectoriser.tokenizer is not None or vectoriser.stop_words is not None
    if vectoriser.analyzer != "word" or own_steps or not _reads_text_as_is(vectoriser):
        return vectoriser.build_analyzer()
    low, high = vectoriser.ngram_range
    return partial(_word_ngrams, tokens_of=vectoriser.build_tokenizer(), low=low, high=high)


def _word_ngrams(
    text: str, *, tokens_of: Callable[[str], list[str]], low: int, high: int
) -> list[str]:
    """sklearn's `_word_ngrams` without stop words: unigrams first, then longer n-grams."""
    tokens = tokens_of(text)
    terms = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        terms.extend([" ".join(tokens[start : start + n]) for start in range(len(tokens) - n + 1)])
    return terms


def _char_wb_ngrams(word: str, low: int, high: int) -> list[str]:
    """sklearn's `_char_wb_ngrams` for one word, in slices rather than a character loop."""
    padded = f" {word} "
    size = len(padded)
    ngrams: list[str] = []
    for n in range(low, high + 1):
        if n >= size:  # a short word counts once, whole, however many sizes remain
            ngrams.append(padded)
            break
        ngrams.extend([padded[start : start + n] for start in range(size - n + 1)])
    return ngrams


def linear_scores(
    coef: NDArray[np.float64], intercept: NDArray[np.float64], row: Row
) -> NDArray[np.float64]:
    """`decision_function` of a fitted linear model for one row: one score per row of `coef`."""
    columns, weights = row
    return np.asarray(coef[:, columns] @ weights + intercept, dtype=np.float64)
