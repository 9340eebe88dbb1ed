"""The learned second opinion on crisis: a small text model trained from `nlu/data/crisis`.

The rules in `crisis_patterns.yml` stay the first, explainable layer; they miss fresh, indirect
phrasings they were never written for. This model reads the same normalised text with TF-IDF
char_wb 2-5-grams (typos, dialect, compounds) and word 1-2-grams. Two logistic regressions:
P(risk), concern or acute against none, and P(acute | risk) among the risky examples only, so
«nå» or «i kveld» count towards acute only in a risky message; P(acute) is their product (one
three-class model on the same data reached 0.29 acute recall at the same budget, this 0.41).
Thresholds are not guesses: they come from 5-fold cross-validated probabilities on the examples,
as the lowest that keep false alarms on the `none` examples within `MAX_FALSE_ACUTE` (acute)
and `MAX_FALSE_RISK` (concern). A third regression, trained on the risky examples grouped by
kind, names the kind. Rules and model are combined in one place, `nlu.crisis.with_second_opinion`.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse
import sklearn
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from nlu.crisis_examples import CrisisExample, load_crisis_examples
from nlu.features import Row, TfidfRows, linear_scores
from nlu.interpretation import CrisisKind, CrisisLevel
from nlu.model_store import read_artifact, write_artifact
from nlu.normalisation import normalise

EXAMPLES_FILE = Path(__file__).parent / "data" / "crisis" / "examples.yml"
# Bump when features, normalisation or the model change in a way cached files would not reflect.
CRISIS_MODEL_VERSION = "2"
MAX_FALSE_ACUTE = 0.01  # share of out-of-fold `none` examples the model may call acute
MAX_FALSE_RISK = 0.04  # ... and call concern or acute: concern only adds a gentle offer
FOLDS = 5
# Inverse regularisation: the best out-of-fold acute recall within the budget, over {1, 3, 10}.
C_RISK, C_ACUTE, C_KIND = 3.0, 1.0, 3.0
LEVELS: tuple[CrisisLevel, ...] = (CrisisLevel.NONE, CrisisLevel.CONCERN, CrisisLevel.ACUTE)
WHOLE_CHARS = 400  # a message up to this long is read as a whole, like the examples
WINDOW_CHARS = 160  # a longer one in windows of a sentence or two, so one line is not drowned out
MAX_WINDOWS = 50  # of a longer text the first and last 25 (~8,000 characters); rules read all
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")


@dataclass(frozen=True, slots=True)
class CrisisOpinion:
    level: CrisisLevel = CrisisLevel.NONE
    kind: CrisisKind | None = None  # set when level is not none
    acute_probability: float = 0.0
    risk_probability: float = 0.0  # P(concern) + P(acute)


@dataclass(frozen=True)
class CrossValidated:
    """Out-of-fold results on the examples at the chosen thresholds, for reports and tests."""

    acute_recall: float  # acute examples the model alone calls acute
    risk_recall: float  # acute and concern examples it calls concern or acute
    false_acute: float  # none examples it calls acute
    false_risk: float  # none examples it calls concern or acute


@dataclass(frozen=True)
class CrisisModel:
    vectorisers: tuple[TfidfVectorizer, ...]
    risk: LogisticRegression  # concern or acute (True) versus none
    acute: LogisticRegression  # among risky messages: acute (True) versus concern
    kinds: LogisticRegression
    acute_threshold: float
    risk_threshold: float
    cross_validated: CrossValidated
    data_hash: str
    # Derived from the fields above for speed; not cached on disk but rebuilt on load.
    _rows: TfidfRows = field(init=False, repr=False, compare=False)
    _stages: tuple[NDArray[np.float64], NDArray[np.float64]] = field(
        init=False, repr=False, compare=False
    )  # the risk and acute models' coefficients and intercepts, one row each

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rows", TfidfRows(self.vectorisers))
        coef = np.vstack([self.risk.coef_, self.acute.coef_])
        object.__setattr__(
            self, "_stages", (coef, np.hstack([self.risk.intercept_, self.acute.intercept_]))
        )

    def __getstate__(self) -> dict[str, object]:
        derived = {"_rows", "_stages"}
        return {name: value for name, value in self.__dict__.items() if name not in derived}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def assess(self, texts: Sequence[str]) -> list[CrisisOpinion]:
        """One opinion per text; a long text counts as its most worrying window."""
        return [self._assess_one(text) for text in texts]

    def _assess_one(self, text: str) -> CrisisOpinion:
        rows = [self._rows.row(normalise(window)) for window in _windows(text)]
        if not rows:
            return CrisisOpinion()
        # Per window P(concern or acute) and P(acute); the most worrying window of each counts.
        scores = np.array([linear_scores(*self._stages, row) for row in rows])
        risk = _positive(scores[:, 0])
        acute = risk * _positive(scores[:, 1])
        most_acute, most_risky = int(acute.argmax()), int(risk.argmax())
        p_acute, p_risk = float(acute[most_acute]), float(risk[most_risky])
        if p_acute >= self.acute_threshold:
            level, row_of_kind = CrisisLevel.ACUTE, rows[most_acute]
        elif p_risk >= self.risk_threshold:
            level, row_of_kind = CrisisLevel.CONCERN, rows[most_risky]
        else:
            return CrisisOpinion(acute_probability=p_acute, risk_probability=p_risk)
        kinds = _softmax(self.kinds, row_of_kind)
        kind = CrisisKind(str(self.kinds.classes_[int(kinds.argmax())]))
        return CrisisOpinion(level, kind, p_acute, p_risk)


def _positive(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(classes_[1]) of a two-class model per window: the softmax of (0, score), as below."""
    pairs = np.column_stack([np.zeros_like(scores), scores])
    exp = np.exp(pairs - pairs.max(axis=1, keepdims=True))
    return np.asarray(exp[:, 1] / exp.sum(axis=1), dtype=np.float64)


def _softmax(model: LogisticRegression, row: Row) -> NDArray[np.float64]:
    scores = linear_scores(model.coef_, model.intercept_, row)
    if len(scores) == 1:  # two classes: one score, for classes_[1]
        scores = np.array([0.0, scores[0]])
    exp = np.exp(scores - scores.max())
    return np.asarray(exp / exp.sum(), dtype=np.float64)


def _windows(text: str) -> list[str]:
    if len(text) <= WHOLE_CHARS:
        return [text] if text.strip() else []
    pieces = [
        sentence[start : start + WINDOW_CHARS]
        for sentence in _SENTENCE_END.split(text)
        for start in range(0, len(sentence), WINDOW_CHARS)
    ]
    windows, current = [], ""
    for piece in pieces:
        if current and len(current) + len(piece) > WINDOW_CHARS:
            windows.append(current)
            current = ""
        current = f"{current} {piece}"
    windows.append(current)
    half = MAX_WINDOWS // 2
    return windows if len(windows) <= MAX_WINDOWS else windows[:half] + windows[-half:]


@lru_cache(maxsize=2)
def load_crisis_model(path: Path = EXAMPLES_FILE, cache_dir: Path | None = None) -> CrisisModel:
    """The model for these examples: from the cache when it holds this data, else trained."""
    data_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    target = _cache_path(cache_dir, data_hash) if cache_dir else None
    if target is not None:
        cached = read_artifact(target)
        if isinstance(cached, CrisisModel) and cached.data_hash == data_hash:
            return cached
    model = train_crisis_model(load_crisis_examples(path), data_hash)
    if target is not None:
        write_artifact(target, model)
    return model


def _cache_path(cache_dir: Path, data_hash: str) -> Path:
    version = f"v{CRISIS_MODEL_VERSION}-sk{sklearn.__version__}"
    return cache_dir / f"crisis-{data_hash[:20]}-{version}.joblib"


def train_crisis_model(examples: Sequence[CrisisExample], data_hash: str = "") -> CrisisModel:
    # One BLAS thread: on a small shared machine more threads make training 10x slower, not faster.
    with threadpool_limits(limits=1):
        return _train(examples, data_hash)


def _train(examples: Sequence[CrisisExample], data_hash: str) -> CrisisModel:
    texts = np.array([normalise(example.text) for example in examples], dtype=object)
    levels = np.array([LEVELS.index(example.level) for example in examples])
    acute, risk = np.zeros(len(examples)), np.zeros(len(examples))
    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=0)
    for train, test in splitter.split(texts, levels):
        # The vocabulary is refitted per fold too: fitted on all texts it made held-out scores
        # milder than a truly new message's, and the thresholds lower than they should be.
        vectorisers = _fit_vectorisers(texts[train])
        risk_model, acute_model = _fit_stages(_transform(vectorisers, texts[train]), levels[train])
        held_out = _transform(vectorisers, texts[test])
        risk[test] = risk_model.predict_proba(held_out)[:, 1]
        acute[test] = risk[test] * acute_model.predict_proba(held_out)[:, 1]
    vectorisers = _fit_vectorisers(texts)
    features = _transform(vectorisers, texts)
    calm, risky = levels == 0, levels > 0
    acute_threshold = _threshold(acute[calm], MAX_FALSE_ACUTE)
    risk_threshold = _threshold(risk[calm], MAX_FALSE_RISK)
    risk_model, acute_model = _fit_stages(features, levels)
    kind_labels = [str(example.kind) for example in examples if example.kind is not None]
    kinds = _logistic(C_KIND).fit(features[risky], kind_labels)
    flagged = (acute >= acute_threshold) | (risk >= risk_threshold)
    checked = CrossValidated(
        acute_recall=float(np.mean(acute[levels == 2] >= acute_threshold)),
        risk_recall=float(np.mean(flagged[risky])),
        false_acute=float(np.mean(acute[calm] >= acute_threshold)),
        false_risk=float(np.mean(flagged[calm])),
    )
    return CrisisModel(
        vectorisers,
        risk_model,
        acute_model,
        kinds,
        acute_threshold,
        risk_threshold,
        checked,
        data_hash,
    )


def _threshold(calm_scores: NDArray, false_alarm_budget: float) -> float:
    """The lowest threshold that at most `budget` of the calm examples reach."""
    allowed = int(false_alarm_budget * len(calm_scores))
    ranked = np.sort(calm_scores)[::-1]
    return float(np.nextafter(ranked[allowed], 1.0)) if allowed < len(ranked) else 0.0


def _fit_vectorisers(texts: NDArray) -> tuple[TfidfVectorizer, ...]:
    vectorisers = (
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=False, min_df=2
        ),
        TfidfVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            token_pattern=r"(?u)\b\w+\b",
            sublinear_tf=True,
            lowercase=False,
        ),
    )
    for vectoriser in vectorisers:
        vectoriser.fit(texts)
    return vectorisers


def _fit_stages(
    features: scipy.sparse.csr_matrix, levels: NDArray
) -> tuple[LogisticRegression, LogisticRegression]:
    risky = levels > 0
    risk = _logistic(C_RISK).fit(features, risky)
    acute = _logistic(C_ACUTE).fit(features[risky], levels[risky] == 2)
    return risk, acute


def _logistic(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=2000, class_weight="balanced", solver="newton-cg")


def _transform(vectorisers: Sequence[TfidfVectorizer], texts: NDArray) -> scipy.sparse.csr_matrix:
    return scipy.sparse.hstack([v.transform(texts) for v in vectorisers], format="csr")
