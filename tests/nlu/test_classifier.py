"""The intent classifier's fast single-message path gives the sklearn pipeline's probabilities."""

import numpy as np

from nlu.classifier import IntentScorer, softmax
from nlu.embedded import EmbeddedEngine
from nlu.normalisation import normalise
from tests.nlu.awkward_texts import RAW, VARIED


def test_fast_probabilities_equal_the_pipelines(embedded: EmbeddedEngine) -> None:
    pipeline, temperature = embedded.model.pipeline, embedded.model.temperature
    scorer = IntentScorer(pipeline, temperature)
    texts = [normalise(text) for text in VARIED] + RAW
    expected = softmax(np.asarray(pipeline.decision_function(texts)), temperature)
    got = np.array([scorer.probabilities(text) for text in texts])
    assert np.allclose(got, expected, rtol=0, atol=1e-12)
    assert np.allclose(got.sum(axis=1), 1.0)
    # The set is varied: several different best intents, not one answer for everything.
    assert len(set(got.argmax(axis=1).tolist())) >= 3
