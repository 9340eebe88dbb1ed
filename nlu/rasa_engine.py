"""The `rasa` engine: a Rasa server's `POST /model/parse` answer, turned into our Interpretation.

Rasa only classifies intents. Crisis detection, language detection and the age and writer-role
rules are ours and run in-process on every message, crisis first, so swapping engines never
weakens the safety net and both engines extract entities the same way.
"""

import math
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any, Self

import httpx

from nlu.crisis import detect_crisis
from nlu.crisis_model import CrisisModel, load_crisis_model
from nlu.entities import extract_entities
from nlu.interpretation import Crisis, Interpretation, Language, MetaIntent, TopicScore
from nlu.language import detect_language

RASA_FALLBACK_INTENT = "nlu_fallback"
MAX_CLASSIFIED_CHARS = 2_000  # long messages are classified by their start, crisis-checked in full
MAX_TOPICS = 3
MIN_TOPIC_SCORE = 0.05

_META_INTENTS = frozenset(MetaIntent) | {RASA_FALLBACK_INTENT}
_WORD = re.compile(r"\w")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class RasaUnavailableError(RuntimeError):
    """The Rasa server did not answer, or answered something we cannot read."""


class RasaEngine:
    """An Engine backed by a running Rasa server (`familieveiviser rasa serve`)."""

    name = "rasa"

    def __init__(
        self,
        url: str = "http://127.0.0.1:5005",
        timeout: float = 10.0,
        workers: int = 4,
        transport: httpx.BaseTransport | None = None,
        crisis_model: CrisisModel | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        # Same safety net as the embedded engine: rules plus the learned second opinion.
        self._crisis_model = crisis_model or load_crisis_model()
        self._workers = workers
        self._client = httpx.Client(base_url=self.url, timeout=timeout, transport=transport)

    def interpret(self, text: str) -> Interpretation:
        crisis = detect_crisis(text, model=self._crisis_model)
        classified = _CONTROL.sub(" ", text[:MAX_CLASSIFIED_CHARS]).strip()
        language = detect_language(classified)
        if not _WORD.search(classified):
            return _unclear(text, language, crisis)
        answer = self._parse(classified)
        return interpretation_from_parse(text, answer, language, crisis)

    def interpret_many(self, texts: list[str]) -> list[Interpretation]:
        if len(texts) <= 1:
            return [self.interpret(text) for text in texts]
        with ThreadPoolExecutor(max_workers=self._workers) as pool:
            return list(pool.map(self.interpret, texts))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _parse(self, text: str) -> Mapping[str, Any]:
        try:
            response = self._client.post("/model/parse", json={"text": text})
        except httpx.TransportError as error:
            raise RasaUnavailableError(
                f"Rasa server not reachable at {self.url} ({type(error).__name__}); "
                "start it with `familieveiviser rasa serve`"
            ) from error
        if response.status_code != 200:
            raise RasaUnavailableError(
                f"Rasa server at {self.url} answered {response.status_code} to /model/parse"
            )
        try:
            answer = response.json()
        except ValueError as error:
            raise RasaUnavailableError(f"Rasa server at {self.url} answered non-JSON") from error
        if not isinstance(answer, dict):
            raise RasaUnavailableError(f"Rasa server at {self.url} answered {type(answer)}")
        return answer


def interpretation_from_parse(
    text: str, answer: Mapping[str, Any], language: Language, crisis: Crisis
) -> Interpretation:
    """Map one `/model/parse` answer. Age and role come from our rules: DIET runs intents only."""
    intent, confidence = _intent(answer.get("intent"))
    ours = extract_entities(text)
    return Interpretation(
        text=text,
        language=language,
        intent=intent,
        confidence=confidence,
        topics=_topics(answer.get("intent_ranking")),
        age=ours.age,
        role=ours.role,
        crisis=crisis,
    )


def _intent(raw: object) -> tuple[str, float]:
    if not isinstance(raw, Mapping):
        return MetaIntent.UNCLEAR, 0.0
    name = raw.get("name")
    confidence = _score(raw.get("confidence"))
    if not isinstance(name, str) or not name or name == RASA_FALLBACK_INTENT:
        return MetaIntent.UNCLEAR, confidence
    return name, confidence


def _topics(ranking: object) -> tuple[TopicScore, ...]:
    if not isinstance(ranking, Sequence):
        return ()
    scores = [
        TopicScore(name=entry["name"], score=_score(entry.get("confidence")))
        for entry in ranking
        if isinstance(entry, Mapping)
        and isinstance(entry.get("name"), str)
        and entry["name"] not in _META_INTENTS
    ]
    scores.sort(key=lambda topic: topic.score, reverse=True)
    return tuple(topic for topic in scores[:MAX_TOPICS] if topic.score >= MIN_TOPIC_SCORE)


def _score(raw: object) -> float:
    if isinstance(raw, int | float) and math.isfinite(raw):
        return min(max(float(raw), 0.0), 1.0)
    return 0.0


def _unclear(text: str, language: Language, crisis: Crisis) -> Interpretation:
    ours = extract_entities(text)
    return Interpretation(
        text=text,
        language=language,
        intent=MetaIntent.UNCLEAR,
        confidence=0.0,
        crisis=crisis,
        age=ours.age,
        role=ours.role,
    )
