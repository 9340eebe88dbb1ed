"""The embedded NLU engine, the default: in-process, trained from `nlu/data` in seconds.

Every message goes through the same steps: crisis detection on the full text first, then
language, entities and intent on its first `MAX_CLASSIFIED_CHARS` characters. The intent is
`meta-unclear` whenever the classifier is not confident enough — the conversation then asks —
rather than a guess.
"""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from nlu.classifier import ClassifierSettings, IntentScorer, train_classifier
from nlu.crisis import detect_crises
from nlu.crisis_model import CrisisModel, load_crisis_model
from nlu.crisis_topics import topic_for_crisis
from nlu.entities import extract_from_normalised
from nlu.interpretation import Crisis, CrisisLevel, Interpretation, MetaIntent, TopicScore
from nlu.language import detect_language
from nlu.model_store import TrainedModel, read_cached, write_cached
from nlu.normalisation import normalise
from nlu.training_data import find_training_files, hash_training_files, load_training_data

MAX_CLASSIFIED_CHARS = 1_000
MIN_CONFIDENCE = 0.25  # below this the out-of-fold accuracy is under 40 %: ask instead
MIN_MARGIN = 0.02  # two intents this close are a coin toss: ask instead
TOPIC_FLOOR = 0.05
MAX_TOPICS = 3
MIN_KNOWN_WORD_SHARE = 0.34
META_INTENTS = frozenset(MetaIntent)


class EmbeddedEngine:
    name = "embedded"

    def __init__(self, model: TrainedModel, crisis_model: CrisisModel | None = None) -> None:
        self.model = model
        # The learned second opinion on crisis is always on; `load` passes the cached one.
        self.crisis_model = crisis_model or load_crisis_model()
        self.classes: list[str] = [str(c) for c in model.pipeline.classes_]
        self._scorer = IntentScorer(model.pipeline, model.temperature)
        self._topic_columns = [i for i, c in enumerate(self.classes) if c not in META_INTENTS]
        words = dict(model.pipeline.named_steps["features"].transformer_list)["words"]
        self._known_words = frozenset(w for w in words.vocabulary_ if " " not in w)

    @classmethod
    def load(cls, data_dir: Path, cache_dir: Path | None = None) -> "EmbeddedEngine":
        """Load the cached model for this data and code version, or train (and cache) it."""
        files = find_training_files(data_dir)
        data_hash = hash_training_files(files)
        crisis_model = load_crisis_model(cache_dir=cache_dir)
        cached = read_cached(cache_dir, data_hash) if cache_dir else None
        if cached is not None:
            return cls(cached, crisis_model)
        engine = cls.train(data_dir, data_hash, crisis_model)
        if cache_dir is not None:
            write_cached(cache_dir, engine.model)
        return engine

    @classmethod
    def train(
        cls, data_dir: Path, data_hash: str = "", crisis_model: CrisisModel | None = None
    ) -> "EmbeddedEngine":
        texts, labels = load_training_data(data_dir).texts_and_labels()
        settings = ClassifierSettings()
        pipeline = train_classifier(texts, labels, settings)
        data_hash = data_hash or hash_training_files(find_training_files(data_dir))
        return cls(TrainedModel(pipeline, settings.temperature, data_hash), crisis_model)

    def interpret(self, text: str) -> Interpretation:
        return self.interpret_many([text])[0]

    def interpret_many(self, texts: list[str]) -> list[Interpretation]:
        crises = detect_crises(texts, model=self.crisis_model)  # first, and on the full text
        heads = [text[:MAX_CLASSIFIED_CHARS] for text in texts]
        normalised = [normalise(head) for head in heads]
        probabilities = self._probabilities(normalised)
        return [
            self._interpretation(text, head, norm, row, crisis)
            for text, head, norm, row, crisis in zip(
                texts, heads, normalised, probabilities, crises, strict=True
            )
        ]

    def _probabilities(self, normalised: Sequence[str]) -> NDArray[np.float64]:
        rows = np.zeros((len(normalised), len(self.classes)))
        for i, text in enumerate(normalised):
            if self._has_known_words(text):
                rows[i] = self._scorer.probabilities(text)
        return rows

    def _has_known_words(self, normalised: str) -> bool:
        """Text in words the training data never used is guessed at wildly: ask instead."""
        tokens = normalised.split()
        known = sum(token in self._known_words for token in tokens)
        return known > 0 and known >= len(tokens) * MIN_KNOWN_WORD_SHARE

    def _interpretation(
        self, text: str, head: str, normalised: str, row: NDArray[np.float64], crisis: Crisis
    ) -> Interpretation:
        entities = extract_from_normalised(normalised, head)
        intent, confidence = self._intent(row)
        topics = self._topics(row)
        if crisis.level is not CrisisLevel.NONE:
            intent, topics = self._with_crisis_topic(crisis, intent, row, topics)
        return Interpretation(
            text=text,
            language=detect_language(head),
            intent=intent,
            confidence=confidence,
            topics=topics,
            age=entities.age,
            role=entities.role,
            crisis=crisis,
        )

    def _intent(self, row: NDArray[np.float64]) -> tuple[str, float]:
        if not row.any():
            return MetaIntent.UNCLEAR, 0.0
        order = np.argsort(row)[::-1]
        best, second = float(row[order[0]]), float(row[order[1]])
        if best < MIN_CONFIDENCE or best - second < MIN_MARGIN:
            return MetaIntent.UNCLEAR, best
        return self.classes[order[0]], best

    def _topics(self, row: NDArray[np.float64]) -> tuple[TopicScore, ...]:
        ranked = sorted(self._topic_columns, key=lambda i: row[i], reverse=True)[:MAX_TOPICS]
        return tuple(
            TopicScore(self.classes[i], round(float(row[i]), 4))
            for i in ranked
            if row[i] >= TOPIC_FLOOR
        )

    def _with_crisis_topic(
        self, crisis: Crisis, intent: str, row: NDArray[np.float64], topics: tuple[TopicScore, ...]
    ) -> tuple[str, tuple[TopicScore, ...]]:
        """A crisis is strong evidence of its topic when the classifier found none."""
        topic = topic_for_crisis(crisis)
        if topic is None or topic not in self.classes or intent not in META_INTENTS:
            return intent, topics
        if all(t.name != topic for t in topics):
            score = round(float(row[self.classes.index(topic)]), 4)
            topics = (*topics, TopicScore(topic, score))
        return topic, tuple(sorted(topics, key=lambda t: t.name != topic))
