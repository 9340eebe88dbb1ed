"""The guidance dialogue: state + interpretation (+ injected lookups) -> replies + next state.

Pure: no database, no channel, no settings. Channels and the inbound use case call `respond`,
store the returned state on the conversation and act on the returned events.
"""

from bot.dialogue.engine import respond
from bot.dialogue.lookup import DutyStatus, ServiceLookup
from bot.dialogue.state import DialogueState, Pending
from bot.dialogue.texts import say
from bot.dialogue.turn import Event, EventKind, Priority, Turn

__all__ = [
    "DialogueState",
    "DutyStatus",
    "Event",
    "EventKind",
    "Pending",
    "Priority",
    "ServiceLookup",
    "Turn",
    "respond",
    "say",
]
