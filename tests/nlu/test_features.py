"""The fast TF-IDF rows give sklearn's numbers, for the crisis model's and the classifier's
vectorisers, on the texts that tend to break shortcuts."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.crisis_model import CrisisModel, load_crisis_model
from nlu.embedded import EmbeddedEngine
from nlu.features import TfidfRows
from nlu.normalisation import normalise
from tests.nlu.awkward_texts import RAW, VARIED


def sklearn_rows(vectorisers: list[TfidfVectorizer], texts: list[str]) -> np.ndarray:
    return np.hstack([vectoriser.transform(texts).toarray() for vectoriser in vectorisers])


def fast_rows(vectorisers: list[TfidfVectorizer], texts: list[str]) -> np.ndarray:
    rows = TfidfRows(vectorisers)
    dense = np.zeros((len(texts), sum(len(v.vocabulary_) for v in vectorisers)))
    for dense_row, text in zip(dense, texts, strict=True):
        columns, weights = rows.row(text)
        assert len(set(columns.tolist())) == len(columns)
        dense_row[columns] = weights
    return dense


@pytest.fixture(scope="module")
def crisis_model() -> CrisisModel:
    return load_crisis_model()


def test_rows_equal_sklearns_for_the_crisis_model(crisis_model: CrisisModel) -> None:
    texts = [normalise(text) for text in VARIED] + RAW
    vectorisers = list(crisis_model.vectorisers)
    assert np.allclose(fast_rows(vectorisers, texts), sklearn_rows(vectorisers, texts))


def test_rows_equal_sklearns_for_the_classifier(embedded: EmbeddedEngine) -> None:
    union = embedded.model.pipeline.named_steps["features"]
    vectorisers = [vectoriser for _, vectoriser in union.transformer_list]
    texts = [normalise(text) for text in VARIED] + RAW
    expected = sklearn_rows(vectorisers, texts)
    assert np.allclose(fast_rows(vectorisers, texts), expected)
    assert expected.any(axis=1).sum() >= len(texts) - 4  # the texts do reach the vocabulary


def test_settings_it_cannot_reproduce_are_refused() -> None:
    binary = TfidfVectorizer(binary=True, sublinear_tf=True).fit(["hei du", "hei"])
    with pytest.raises(ValueError, match="sublinear tf"):
        TfidfRows([binary])


@pytest.mark.parametrize(
    "settings",
    [
        {"analyzer": "char", "ngram_range": (1, 3)},  # sklearn's analyser, not the own split
        {"analyzer": "char_wb", "ngram_range": (3, 6), "lowercase": True},
        {"analyzer": "word", "ngram_range": (1, 3), "token_pattern": r"(?u)\b\w+\b"},
        {"analyzer": "word", "ngram_range": (2, 2), "lowercase": False},
        {"analyzer": "word", "ngram_range": (1, 1), "stop_words": ["og", "i"]},
    ],
)
def test_rows_equal_sklearns_for_other_vectoriser_settings(settings: dict[str, object]) -> None:
    texts = [normalise(text) for text in VARIED] + RAW
    vectoriser = TfidfVectorizer(sublinear_tf=True, **settings).fit(texts[4:])  # type: ignore[arg-type]
    assert np.allclose(fast_rows([vectoriser], texts), sklearn_rows([vectoriser], texts))
