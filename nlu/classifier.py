"""The intent classifier: TF-IDF features over normalised text and a linear model.

Word 1-2-grams catch phrases («blir mobbet»); char_wb 2-5-grams catch typos, compounds and
inflections the training data never spelled out («mobbeproblemer», «selvskadinga»). A linear SVM
trains in about a second (multinomial logistic regression took over 30 s on this data for the
same accuracy); its scores become probabilities by a softmax with a temperature fitted for the
lowest out-of-fold log-loss, so a threshold on them means something. All settings were chosen
by 5-fold stratified cross-validation on the training data (`cross_validate`), not on a test
set: C in {0.1, 0.3, 1}, char n-grams (1-4, 2-5, 3-6), word 1- or 1-2-grams, class weights.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from nlu.features import TfidfRows, linear_scores
from nlu.normalisation import normalise


@dataclass(frozen=True, slots=True)
class ClassifierSettings:
    c: float = 1.0
    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    temperature: float = 6.0  # softmax(scores * temperature); fitted by cross-validation


def build_pipeline(settings: ClassifierSettings = ClassifierSettings()) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=settings.word_ngrams,
                    token_pattern=r"(?u)\b\w+\b",
                    sublinear_tf=True,
                    lowercase=False,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=settings.char_ngrams,
                    sublinear_tf=True,
                    lowercase=False,
                    min_df=2,
                ),
            ),
        ]
    )
    return Pipeline([("features", features), ("model", LinearSVC(C=settings.c))])


def train_classifier(
    texts: Sequence[str], labels: Sequence[str], settings: ClassifierSettings = ClassifierSettings()
) -> Pipeline:
    pipeline = build_pipeline(settings)
    pipeline.fit([normalise(t) for t in texts], list(labels))
    return pipeline


class IntentScorer:
    """Class probabilities for one normalised text: the pipeline's numbers, without its checks.

    The pipeline's own `decision_function` costs ~3 ms a message, nearly all of it sklearn's
    per-call validation; the same TF-IDF row (`nlu.features`) times the model's coefficients
    costs a tenth of that. `tests/nlu/test_classifier.py` holds the two to the same numbers.
    """

    def __init__(self, pipeline: Pipeline, temperature: float) -> None:
        union = pipeline.named_steps["features"]
        if union.transformer_weights is not None:
            raise ValueError("IntentScorer expects an unweighted FeatureUnion")
        self._rows = TfidfRows([vectoriser for _, vectoriser in union.transformer_list])
        model = pipeline.named_steps["model"]
        self._coef: NDArray[np.float64] = model.coef_
        self._intercept: NDArray[np.float64] = model.intercept_
        self.temperature = temperature

    def probabilities(self, normalised: str) -> NDArray[np.float64]:
        """One probability per class, in `pipeline.classes_` order."""
        scores = linear_scores(self._coef, self._intercept, self._rows.row(normalised))
        if len(scores) == 1:  # two classes: one score, positive for classes_[1]
            scores = np.array([-scores[0] / 2, scores[0] / 2])
        return softmax(scores[np.newaxis, :], self.temperature)[0]


def softmax(scores: NDArray[np.float64], temperature: float) -> NDArray[np.float64]:
    scaled = scores * temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class CrossValidation:
    accuracy: float
    temperature: float  # the one with the lowest out-of-fold log-loss
    log_loss: float
    probabilities: NDArray[np.float64]  # out-of-fold, at that temperature
    classes: list[str]


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    settings: ClassifierSettings = ClassifierSettings(),
    folds: int = 5,
) -> CrossValidation:
    """Out-of-fold accuracy and calibration, to compare settings and to set the threshold."""
    normalised = np.array([normalise(t) for t in texts], dtype=object)
    targets = np.array(labels)
    classes = sorted(set(labels))
    scores = np.zeros((len(targets), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train, test in splitter.split(normalised, targets):
        pipeline = build_pipeline(settings).fit(normalised[train], targets[train])
        scores[test] = pipeline.decision_function(normalised[test])
    truth = np.array([classes.index(label) for label in labels])
    accuracy = float(np.mean(scores.argmax(axis=1) == truth))
    fits = []
    for temperature in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 15.0):
        probabilities = softmax(scores, temperature)
        loss = float(-np.mean(np.log(probabilities[np.arange(len(truth)), truth] + 1e-12)))
        fits.append((loss, temperature, probabilities))
    loss, temperature, probabilities = min(fits, key=lambda fit: fit[0])
    return CrossValidation(accuracy, temperature, loss, probabilities, classes)
