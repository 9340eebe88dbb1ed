"""Routing: one interpretation plus the catalogue -> the ranked services to suggest.

This is the contract behind `familieveiviser route` and `nlu eval`, and the same order the dialogue
shows: for an acute crisis the emergency lines first; for a concern the best-fitting service first
and the fitting 24/7 line right after it; otherwise the catalogue's ranking for the topics, age and
role. Meta intents (greeting, a wish for a person, …) get no services unless a crisis is present.
"""

from dataclasses import dataclass
from typing import Any

from bot.dialogue.crisis import choose_lines
from bot.dialogue.lookup import ServiceLookup
from nlu.interpretation import CrisisLevel, Interpretation, MetaIntent

MAX_SERVICES = 5
_META = frozenset(MetaIntent)


@dataclass(frozen=True, slots=True)
class Route:
    interpretation: Interpretation
    services: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of `familieveiviser route`."""
        heard = self.interpretation
        return {
            "text": heard.text,
            "language": str(heard.language),
            "intent": heard.intent,
            "confidence": round(heard.confidence, 4),
            "topics": [{"name": t.name, "score": round(t.score, 4)} for t in heard.topics],
            "entities": {"age": heard.age, "role": str(heard.role) if heard.role else None},
            "crisis": str(heard.crisis.level),
            "services": list(self.services),
        }


async def route(heard: Interpretation, lookup: ServiceLookup, language: str = "nb") -> Route:
    """Rank the services for one interpreted message."""
    level = heard.crisis.level
    lines = choose_lines(level, heard.crisis.kinds) if level != CrisisLevel.NONE else []
    topical: list[str] = []
    if heard.topics and (heard.intent not in _META or level != CrisisLevel.NONE):
        matches = await lookup.find(
            [(topic.name, topic.score) for topic in heard.topics],
            heard.age,
            str(heard.role) if heard.role else None,
            language,
        )
        topical = [match.slug for match in matches]
    if level == CrisisLevel.ACUTE:
        ranked = [*lines, *topical]
    elif level == CrisisLevel.CONCERN:
        ranked = [*topical[:1], *lines, *topical[1:]]
    else:
        ranked = topical
    return Route(heard, tuple(dict.fromkeys(ranked))[:MAX_SERVICES])
