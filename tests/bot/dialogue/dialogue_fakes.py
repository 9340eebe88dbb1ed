"""Plain factories for dialogue tests: messages as the NLU would read them, a small in-memory
catalogue shaped like the demo one, and a chat that plays a conversation turn by turn."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.dialogue.engine import respond
from bot.dialogue.lookup import DutyStatus
from bot.dialogue.state import DialogueState
from bot.dialogue.turn import Event, EventKind
from bot.messages import Reply
from nlu.interpretation import (
    Crisis,
    CrisisKind,
    CrisisLevel,
    Interpretation,
    Language,
    MetaIntent,
    Role,
    TopicScore,
)
from services_catalog.matching import ContactKind, ContactOpening, ServiceMatch, Urgency

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2025, 3, 12, 20, 30, tzinfo=OSLO)  # a Wednesday evening, after duty hours
DUTY_OPENS = datetime(2025, 3, 13, 8, 0, tzinfo=OSLO)
DUTY_CLOSED = DutyStatus(staffed_now=False, next_opening=DUTY_OPENS)
DUTY_STAFFED = DutyStatus(staffed_now=True, available_staff=2)


def said(
    text: str,
    intent: str = MetaIntent.UNCLEAR,
    *,
    topics: Sequence[str] = (),
    age: int | None = None,
    role: Role | None = None,
    language: Language = Language.BOKMAAL,
) -> Interpretation:
    """A message as the NLU reads it; topics best first."""
    scores = tuple(TopicScore(name, round(0.9 - 0.2 * i, 2)) for i, name in enumerate(topics))
    return Interpretation(
        text=text,
        language=language,
        intent=intent,
        confidence=0.9,
        topics=scores,
        age=age,
        role=role,
    )


def need(text: str, *topics: str, **details: object) -> Interpretation:
    """A message about a need: the intent is the first topic."""
    return said(text, topics[0], topics=topics, **details)  # type: ignore[arg-type]


def crisis(
    text: str, level: CrisisLevel, *kinds: CrisisKind, topics: Sequence[str] = ()
) -> Interpretation:
    base = said(text, topics[0] if topics else MetaIntent.UNCLEAR, topics=topics)
    return Interpretation(
        text=base.text,
        language=base.language,
        intent=base.intent,
        confidence=base.confidence,
        topics=base.topics,
        crisis=Crisis(level=level, kinds=kinds),
    )


# --- an in-memory catalogue ---------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    topics: tuple[str, ...]  # main first
    roles: tuple[Role, ...]
    ages: tuple[int, int]
    contacts: tuple[ContactOpening, ...]
    anonymous: bool = False
    referral: bool = False


def phone(
    number: str, label: str, *, always: bool = False, open_now: bool = False
) -> ContactOpening:
    return ContactOpening(
        kind=ContactKind.PHONE,
        value=number,
        label=label,
        open_now=always or open_now,
        always_open=always,
        next_opening=None if always or open_now else DUTY_OPENS,
    )


def web(url: str) -> ContactOpening:
    return ContactOpening(ContactKind.WEB, url, "Nettside", True, True, None)


EVERYONE = tuple(Role)
ALL_AGES = (0, 120)
ENTRIES = (
    Entry(
        "helsestasjon",
        "Helsestasjonen",
        ("small-children", "pregnancy", "family-conflict"),
        (Role.PARENT,),
        (0, 5),
        (phone("+4799990001", "Ring helsestasjonen"),),
    ),
    Entry(
        "skolehelsetjenesten",
        "Helsesykepleier på skolen",
        (
            "school-health",
            "mental-health",
            "eating",
            "sexual-health",
            "loneliness-leisure",
            "bullying",
        ),
        EVERYONE,
        (6, 19),
        (phone("+4799990002", "Ring helsesykepleier"),),
    ),
    Entry(
        "helsestasjon-for-ungdom",
        "Helsestasjon for ungdom",
        ("sexual-health", "pregnancy", "school-health", "mental-health", "youth-rights"),
        (Role.YOUTH,),
        (13, 24),
        (web("https://eksempel.kommune.no/hfu"),),
        anonymous=True,
    ),
    Entry(
        "ppt",
        "PPT",
        ("learning-school", "disability"),
        (Role.PARENT, Role.PROFESSIONAL),
        (0, 19),
        (phone("+4799990003", "Ring PPT"),),
    ),
    Entry(
        "barnevern",
        "Barneverntjenesten",
        ("child-care-concern", "violence-abuse", "family-conflict"),
        EVERYONE,
        (0, 18),
        (phone("+4799990004", "Ring barnevernet"),),
    ),
    Entry(
        "psykisk-helse-barn-unge",
        "Psykisk helsetjeneste for barn og unge",
        ("mental-health", "self-harm", "eating"),
        EVERYONE,
        (0, 18),
        (phone("+4799990005", "Ring psykisk helsetjeneste"),),
    ),
    Entry(
        "legevakt",
        "Legevakt",
        ("acute-illness",),
        EVERYONE,
        ALL_AGES,
        (phone("+47116117", "Ring legevakt", always=True),),
    ),
    Entry(
        "fastlege",
        "Fastlegen",
        ("school-health", "mental-health", "disability", "eating"),
        EVERYONE,
        ALL_AGES,
        (web("https://helsenorge.no"),),
        referral=False,
    ),
    Entry(
        "skole-og-mobbing",
        "Skolen og mobbeombudet",
        ("bullying", "learning-school"),
        (Role.CHILD, Role.YOUTH, Role.PARENT),
        (6, 19),
        (web("https://eksempel.kommune.no/mobbing"),),
    ),
    Entry(
        "alarmtelefonen",
        "Alarmtelefonen for barn og unge",
        ("violence-abuse", "child-care-concern", "family-conflict"),
        EVERYONE,
        (0, 18),
        (phone("+47116111", "Ring 116 111", always=True), web("https://116111.no")),
        anonymous=True,
    ),
    Entry(
        "mental-helse-hjelpetelefon",
        "Mental Helse Hjelpetelefonen",
        ("mental-health", "self-harm"),
        EVERYONE,
        ALL_AGES,
        (phone("+47116123", "Ring 116 123", always=True),),
        anonymous=True,
    ),
    Entry(
        "kors-paa-halsen",
        "Kors på halsen",
        ("loneliness-leisure", "mental-health", "family-conflict", "youth-rights", "bullying"),
        (Role.CHILD, Role.YOUTH),
        (0, 17),
        (phone("+4780033321", "Ring Kors på halsen"),),
        anonymous=True,
    ),
    Entry(
        "nodnummer",
        "Nødnumre",
        ("acute-illness", "violence-abuse"),
        EVERYONE,
        ALL_AGES,
        (
            phone("+47113", "Ring 113 – medisinsk nødhjelp", always=True),
            phone("+47112", "Ring 112 – politi", always=True),
        ),
    ),
)


@dataclass
class FakeCatalogue:
    """A ServiceLookup over hand-made entries: topic, role and age filtered, main topic first."""

    entries: tuple[Entry, ...] = ENTRIES
    finds: int = 0

    async def find(
        self, topics: Sequence[tuple[str, float]], age: int | None, role: str | None, language: str
    ) -> list[ServiceMatch]:
        self.finds += 1
        scored = []
        for entry in self.entries:
            if entry.slug == "nodnummer" or (role is not None and role not in entry.roles):
                continue
            if age is not None and not entry.ages[0] <= age <= entry.ages[1]:
                continue
            score = sum(
                weight * (1.0 if entry.topics.index(name) == 0 else 0.6)
                for name, weight in topics
                if name in entry.topics
            )
            if score > 0:
                scored.append((score, _match(entry, score)))
        return [match for _, match in sorted(scored, key=lambda pair: -pair[0])]

    async def get(self, slugs: Sequence[str], language: str) -> list[ServiceMatch]:
        by_slug = {entry.slug: entry for entry in self.entries}
        return [_match(by_slug[slug], 1.0) for slug in slugs if slug in by_slug]


def _match(entry: Entry, score: float) -> ServiceMatch:
    open_now = any(contact.open_now for contact in entry.contacts)
    return ServiceMatch(
        slug=entry.slug,
        name=entry.name,
        summary=f"{entry.name} hjelper med {entry.topics[0]}.",
        score=score,
        reason="test",
        topics=entry.topics,
        urgency=Urgency.INFORMATION,
        free=True,
        anonymous=entry.anonymous,
        referral_required=entry.referral,
        open_now=open_now,
        next_opening=None if open_now else DUTY_OPENS,
        contacts=entry.contacts,
        last_verified=date(2025, 1, 15),
    )


# --- a conversation played turn by turn --------------------------------------------------


@dataclass
class Chat:
    """One user's conversation: each `user` call is one message; the state is kept as JSON, the
    way the conversation row keeps it, so every turn also proves the state survives storage."""

    duty: DutyStatus = DUTY_CLOSED
    catalogue: FakeCatalogue = field(default_factory=FakeCatalogue)
    stored: dict[str, object] = field(default_factory=lambda: DialogueState().to_dict())
    events: list[Event] = field(default_factory=list)
    now: datetime = NOW

    async def user(self, message: Interpretation | str) -> "Bot":
        heard = message if isinstance(message, Interpretation) else said(message)
        turn = await respond(
            DialogueState.from_dict(self.stored),
            heard,
            services=self.catalogue,
            duty=self.duty,
            now=self.now,
        )
        self.stored = turn.state.to_dict()
        self.events.extend(turn.events)
        return Bot(turn.replies, turn.events)

    @property
    def state(self) -> DialogueState:
        return DialogueState.from_dict(self.stored)


@dataclass
class Bot:
    """What the bot said in one turn."""

    replies: list[Reply]
    events: list[Event]

    @property
    def texts(self) -> list[str]:
        return [reply.text for reply in self.replies]

    @property
    def cards(self) -> list[str]:
        return [card.slug for reply in self.replies for card in reply.cards]

    @property
    def buttons(self) -> list[str]:
        return [quick.label for reply in self.replies for quick in reply.quick_replies]

    def payload(self, label: str) -> str:
        """The payload of the button with this label, as the channel sends it back when tapped."""
        for reply in self.replies:
            for quick in reply.quick_replies:
                if quick.label == label:
                    return quick.payload
        raise AssertionError(f"no button {label!r} in {self.buttons}")

    def event(self, kind: EventKind) -> Event:
        found = [event for event in self.events if event.kind == kind]
        assert found, f"no {kind} in {[event.kind for event in self.events]}"
        return found[0]

    @property
    def all_text(self) -> str:
        return "\n".join(self.texts)
