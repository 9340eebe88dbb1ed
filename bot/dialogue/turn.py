"""The result of one user message: replies to send, the next state, and events to act on.

Events are facts the caller turns into effects the dialogue must not do itself: queue a handoff,
delete the conversation, record statistics, remember the language on the conversation.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from bot.dialogue.state import DialogueState
from bot.messages import Reply
from nlu.interpretation import CrisisKind, CrisisLevel, Language


class EventKind(StrEnum):
    CRISIS_DETECTED = "crisis-detected"  # flag the conversation for staff (level, kinds)
    HANDOFF_REQUESTED = "handoff-requested"  # queue for a person now (priority)
    MESSAGE_LEFT_FOR_DUTY = "message-left-for-duty"  # this message waits for the duty to open
    DELETE_CONFIRMED = "delete-confirmed"  # delete the conversation and its messages now
    LANGUAGE_CHANGED = "language-changed"  # (language)
    SERVICES_SUGGESTED = "services-suggested"  # anonymous statistics (topics, slugs)
    NO_SERVICE_FOUND = "no-service-found"  # an unmet need, for statistics (topics)
    FEEDBACK_GIVEN = "feedback-given"  # answer to "Hjalp dette?" (helpful)
    STARTED_OVER = "started-over"


class Priority(StrEnum):
    """How urgently a person should answer; the handoff queue orders acute, concern, normal."""

    ACUTE = "acute"
    CONCERN = "concern"
    NORMAL = "normal"

    @classmethod
    def for_crisis(cls, level: CrisisLevel) -> "Priority":
        return {CrisisLevel.ACUTE: cls.ACUTE, CrisisLevel.CONCERN: cls.CONCERN}.get(
            level, cls.NORMAL
        )


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    priority: Priority | None = None
    crisis_level: CrisisLevel | None = None
    crisis_kinds: tuple[CrisisKind, ...] = ()
    language: Language | None = None
    topics: tuple[str, ...] = ()
    slugs: tuple[str, ...] = ()
    helpful: bool | None = None


@dataclass(slots=True)
class Turn:
    replies: list[Reply] = field(default_factory=list)
    state: DialogueState = field(default_factory=DialogueState)
    events: list[Event] = field(default_factory=list)

    def has(self, kind: EventKind) -> bool:
        return any(event.kind == kind for event in self.events)
