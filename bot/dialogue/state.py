"""What the dialogue remembers between two messages of one conversation.

The conversation stores this as JSON in the database (never only in memory), so a restart in the
middle of a conversation continues where it was. It holds no message text and nothing that names
the user: only the choices the dialogue needs (language, role, age, the open question, topics).
"""

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVar

from nlu.interpretation import CrisisLevel, Language, Role

STATE_VERSION = 1
MAX_QUESTIONS_PER_NEED = 2

E = TypeVar("E", bound=StrEnum)
D = TypeVar("D")


class Pending(StrEnum):
    """The question the bot asked last and is waiting for an answer to."""

    ROLE = "role"
    AGE = "age"
    HELPED = "helped"
    CONFIRM_DELETE = "confirm-delete"
    LEAVE_MESSAGE = "leave-message"  # offered to leave a message for the duty: yes / no
    MESSAGE_FOR_DUTY = "message-for-duty"  # the next message is the one left for the duty
    ANONYMITY_AGE = "anonymity-age"  # which age band the anonymity answer should cover


@dataclass(slots=True)
class DialogueState:
    """One conversation's dialogue state; small, JSON-serialisable, safe to store."""

    language: Language = Language.BOKMAAL
    language_chosen: bool = False  # set by the user's writing once, or by a command
    language_locked: bool = False  # set by a command; only another command changes it
    greeted: bool = False
    role: Role | None = None
    age: int | None = None  # the child's age when a parent writes, else the writer's own
    pending: Pending | None = None
    topics: list[tuple[str, float]] = field(default_factory=list)  # the current need
    suggested: list[str] = field(default_factory=list)  # slugs shown for the current need
    questions_asked: int = 0  # clarifying questions for the current need
    crisis: CrisisLevel = CrisisLevel.NONE  # the highest level seen in this conversation

    def may_ask(self) -> bool:
        """Whether one more clarifying question is allowed for the current need."""
        return self.questions_asked < MAX_QUESTIONS_PER_NEED

    def start_need(self, topics: list[tuple[str, float]]) -> None:
        """Begin a new need: its own topics, no suggestions yet, a fresh question budget."""
        self.topics = topics
        self.suggested = []
        self.questions_asked = 0

    def start_over(self) -> None:
        """Forget what was collected about the user and the need; keep language and greeting."""
        self.role = None
        self.age = None
        self.pending = None
        self.start_need([])

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for a JSON column."""
        return {
            "version": STATE_VERSION,
            "language": self.language.value,
            "language_chosen": self.language_chosen,
            "language_locked": self.language_locked,
            "greeted": self.greeted,
            "role": self.role.value if self.role else None,
            "age": self.age,
            "pending": self.pending.value if self.pending else None,
            "topics": [[name, score] for name, score in self.topics],
            "suggested": list(self.suggested),
            "questions_asked": self.questions_asked,
            "crisis": self.crisis.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "DialogueState":
        """Read a stored state; unknown keys and values are ignored so old rows still load."""
        state = cls()
        if not data:
            return state
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        state.language = _enum_or(Language, values.get("language"), Language.BOKMAAL)
        state.language_chosen = bool(values.get("language_chosen", False))
        state.language_locked = bool(values.get("language_locked", False))
        state.greeted = bool(values.get("greeted", False))
        state.role = _enum_or(Role, values.get("role"), None)
        age = values.get("age")
        state.age = age if isinstance(age, int) else None
        state.pending = _enum_or(Pending, values.get("pending"), None)
        state.topics = [(str(name), float(score)) for name, score in values.get("topics") or []]
        state.suggested = [str(slug) for slug in values.get("suggested") or []]
        state.questions_asked = int(values.get("questions_asked", 0))
        state.crisis = _enum_or(CrisisLevel, values.get("crisis"), CrisisLevel.NONE)
        return state


def _enum_or(kind: type[E], value: object, default: D) -> E | D:
    try:
        return kind(value) if isinstance(value, str) else default
    except ValueError:
        return default
