"""What the NLU says about one message: the value every engine returns and every caller reads."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Language(StrEnum):
    BOKMAAL = "nb"
    NYNORSK = "nn"
    ENGLISH = "en"
    OTHER = "other"


class CrisisLevel(StrEnum):
    NONE = "none"
    CONCERN = "concern"
    ACUTE = "acute"


class CrisisKind(StrEnum):
    """Why a message is a crisis; decides which emergency line goes first."""

    SUICIDE = "suicide"  # intent, plan or "orker ikke mer" -> 113 / 116 123
    SELF_HARM = "self-harm"
    VIOLENCE_NOW = "violence-now"  # violence or abuse happening now -> 112 / 116 111
    ABUSE = "abuse"  # abuse disclosed, not necessarily now -> 116 111
    CHILD_IN_DANGER = "child-in-danger"  # 112 / 116 111
    OVERDOSE = "overdose"  # 113
    MEDICAL = "medical"  # medical emergency -> 113
    DISTRESS = "distress"  # needs to talk now -> 116 123


class Role(StrEnum):
    PARENT = "parent"
    YOUTH = "youth"
    CHILD = "child"
    PROFESSIONAL = "professional"


class MetaIntent(StrEnum):
    GREETING = "meta-greeting"
    THANKS = "meta-thanks"
    HUMAN = "meta-human"
    ANONYMITY = "meta-anonymity"
    UNCLEAR = "meta-unclear"
    OUT_OF_SCOPE = "out-of-scope"


@dataclass(frozen=True, slots=True)
class TopicScore:
    name: str  # a value of services_catalog.topics.Topic
    score: float


@dataclass(frozen=True, slots=True)
class Crisis:
    level: CrisisLevel = CrisisLevel.NONE
    kinds: tuple[CrisisKind, ...] = ()


@dataclass(frozen=True, slots=True)
class Interpretation:
    """One message understood. `intent` is a topic name or a MetaIntent value."""

    text: str
    language: Language
    intent: str
    confidence: float
    topics: tuple[TopicScore, ...] = ()  # best first
    age: int | None = None
    role: Role | None = None
    crisis: Crisis = field(default_factory=Crisis)


class Engine(Protocol):
    """An NLU engine: the embedded default or a Rasa server behind HTTP."""

    name: str

    def interpret(self, text: str) -> Interpretation: ...

    def interpret_many(self, texts: list[str]) -> list[Interpretation]: ...
