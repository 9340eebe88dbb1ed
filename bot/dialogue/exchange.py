"""One message being answered: the inputs every step reads and the outputs it adds to.

Each step of the dialogue (crisis, guidance, person, courtesy) takes an `Exchange`, appends
replies and events and changes `state`; `respond` turns it into the finished `Turn`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.dialogue.cards import build_cards
from bot.dialogue.commands import payload
from bot.dialogue.lookup import DutyStatus, ServiceLookup
from bot.dialogue.state import DialogueState
from bot.dialogue.texts import say
from bot.dialogue.turn import Event, EventKind, Priority, Turn
from bot.messages import QuickReply, Reply, ReplyKind
from nlu.interpretation import Interpretation, Language
from services_catalog.matching import ServiceMatch


@dataclass(slots=True)
class Exchange:
    state: DialogueState
    heard: Interpretation
    services: ServiceLookup
    duty: DutyStatus
    now: datetime
    replies: list[Reply] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def language(self) -> Language:
        return self.state.language

    @property
    def text(self) -> str:
        return self.heard.text

    def text_for(self, key: str, **values: object) -> str:
        return say(self.language, key, **values)

    def add(
        self,
        key: str,
        kind: ReplyKind = ReplyKind.INFO,
        *,
        quick: Sequence[QuickReply] = (),
        cards: Sequence[ServiceMatch] = (),
        **values: object,
    ) -> None:
        """Add one bubble whose text is the sentence `key`."""
        self.add_text(self.text_for(key, **values), kind, quick=quick, cards=cards)

    def add_text(
        self,
        text: str,
        kind: ReplyKind = ReplyKind.INFO,
        *,
        quick: Sequence[QuickReply] = (),
        cards: Sequence[ServiceMatch] = (),
    ) -> None:
        self.replies.append(
            Reply(
                text=text,
                kind=kind,
                quick_replies=tuple(quick),
                cards=build_cards(cards, self.language, self.now),
            )
        )

    def button(self, key: str, answer: str) -> QuickReply:
        """A quick reply labelled with the sentence `quick.<key>` that sends `answer` back."""
        return QuickReply(label=self.text_for(f"quick.{key}"), payload=answer)

    def yes_no(self, prefix: str, yes_key: str = "yes") -> list[QuickReply]:
        return [
            self.button(yes_key, payload(prefix, "yes")),
            self.button("no", payload(prefix, "no")),
        ]

    def emit(self, kind: EventKind, **details: object) -> None:
        self.events.append(Event(kind, **details))  # type: ignore[arg-type]

    @property
    def priority(self) -> Priority:
        return Priority.for_crisis(self.state.crisis)

    def finish(self) -> Turn:
        return Turn(replies=self.replies, state=self.state, events=self.events)
