"""Small stand-ins for the NLU engine and the catalogue, used until the real ones are wired in.

The fake engine reads a few keywords the way the real one would label them; the fake catalogue
returns one service per topic and the emergency lines by slug.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogue.lookup import DutyStatus, ServiceLookup
from bot.inbound import InboundDeps, InboundMessage
from bot.models import Channel
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
from tests.bot.factories import NOON, SECRET

DUTY_STAFFED = DutyStatus(staffed_now=True, available_staff=1)


class KeywordEngine:
    """Reads: "selvmord" -> acute, "lei meg" -> concern, "mobbet" -> bullying, "person" -> human."""

    name = "keywords"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def interpret(self, text: str) -> Interpretation:
        self.seen.append(text)
        lowered = text.lower()
        crisis = Crisis()
        if "selvmord" in lowered:
            crisis = Crisis(CrisisLevel.ACUTE, (CrisisKind.SUICIDE,))
        elif "lei meg" in lowered:
            crisis = Crisis(CrisisLevel.CONCERN, (CrisisKind.DISTRESS,))
        topics: tuple[TopicScore, ...] = ()
        intent: str = MetaIntent.UNCLEAR
        if "mobbet" in lowered:
            topics, intent = (TopicScore("bullying", 0.9),), "bullying"
        elif "person" in lowered:
            intent = MetaIntent.HUMAN
        elif lowered.startswith("hei"):
            intent = MetaIntent.GREETING
        role = Role.PARENT if "sønnen min" in lowered else None
        return Interpretation(
            text=text,
            language=Language.BOKMAAL,
            intent=intent,
            confidence=0.9,
            topics=topics,
            role=role,
            age=13 if "13" in lowered else None,
            crisis=crisis,
        )

    def interpret_many(self, texts: list[str]) -> list[Interpretation]:
        return [self.interpret(text) for text in texts]


def service(slug: str, topics: Sequence[str] = ()) -> ServiceMatch:
    phone = ContactOpening(
        kind=ContactKind.PHONE,
        value="+4711611",
        label="Ring",
        open_now=True,
        always_open=True,
        next_opening=None,
    )
    return ServiceMatch(
        slug=slug,
        name=slug.replace("-", " ").title(),
        summary=f"Hjelp fra {slug}",
        score=0.9,
        reason="fake",
        topics=tuple(topics),
        urgency=Urgency.SOON,
        free=True,
        anonymous=True,
        referral_required=False,
        open_now=True,
        next_opening=None,
        contacts=(phone,),
        last_verified=None,
    )


@dataclass
class FakeCatalogue:
    """One service per topic; any slug asked for by name exists."""

    calls: list[str] = field(default_factory=list)

    async def find(
        self,
        topics: Sequence[tuple[str, float]],
        age: int | None,
        role: str | None,
        language: str,
    ) -> list[ServiceMatch]:
        self.calls.append("find")
        return [service(f"hjelp-{name}", [name]) for name, _ in topics]

    async def get(self, slugs: Sequence[str], language: str) -> list[ServiceMatch]:
        self.calls.append("get")
        return [service(slug) for slug in slugs]


def deps(
    *,
    engine: KeywordEngine | None = None,
    lookup: Callable[[AsyncSession, datetime], ServiceLookup] | None = None,
    duty: DutyStatus = DUTY_STAFFED,
    now: datetime = NOON,
) -> InboundDeps:
    catalogue = FakeCatalogue()
    return InboundDeps(
        nlu=engine or KeywordEngine(),
        services=lookup or (lambda _session, _now: catalogue),
        duty_status=lambda _session, _now: duty,
        secret=SECRET,
        clock=lambda: now,
    )


def web(text: str | bytes | None, user: str = "browser-key-1") -> InboundMessage:
    return InboundMessage(channel=Channel.WEB, channel_user_id=user, text=text)


def telegram(text: str, user_id: str = "987654321") -> InboundMessage:
    return InboundMessage(
        channel=Channel.TELEGRAM, channel_user_id=user_id, text=text, delivery_address=user_id
    )
