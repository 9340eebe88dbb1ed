"""How well one service fits one message: the scoring rules, pure and documented.

    score = (best + OTHER_TOPICS x the sum of the rest) over matched topics of
            topic score (from the NLU, 0-1)
          x centrality of the topic to the service (main topic 1.0, then 0.9, 0.8 ... >= 0.5)
            (a message about both bullying and loneliness fits a service covering both better
            than one covering only the likelier of the two; half weight keeps services with
            long topic lists from winning on many faint topics)
          x role fit (1.0 if the writer's role is served, ROLE_MISMATCH otherwise)
          x LOCAL_FIRST for national services (the line's job is to connect families with
            their own municipality; national lines come right after)
          x ALL_AGES when the age is known and the service is for every age (a service made
            for that age band fits better than one for everybody)
          x AGE_UNKNOWN when the age is not known and the service has an age band (it may not
            serve this writer; one open to every age is the safer first suggestion)
          x EMERGENCY_ONLY for emergency numbers (crises are routed by the bot before
            matching; here 113 should not outrank the legevakt for a fever)

Age is a filter, not a weight: a topic whose age range (the topic's own, else the service's)
does not include the age does not match at all. That is what sends a 2-year-old's sleep worry
to helsestasjon and a 14-year-old's to skolehelsetjenesten. Unknown age or role never filters.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from services_catalog.models import Service, ServiceTopic
from services_catalog.topics import Topic
from services_catalog.vocabulary import AudienceRole, Urgency

CENTRALITY_STEP = 0.1
CENTRALITY_FLOOR = 0.5
ROLE_MISMATCH = 0.5
LOCAL_FIRST = 0.9
ALL_AGES = 0.9
AGE_UNKNOWN = 0.95
OTHER_TOPICS = 0.5
EMERGENCY_ONLY = 0.5


@dataclass(frozen=True, slots=True)
class Fit:
    score: float
    topics: tuple[str, ...]  # matched topics, best first
    reason: str


def centrality(rank: int) -> float:
    """How central a topic is to a service by its position in the service's list."""
    return max(CENTRALITY_FLOOR, 1.0 - CENTRALITY_STEP * rank)


def age_range(service: Service, entry: ServiceTopic) -> tuple[int | None, int | None]:
    """The ages a topic of a service is for: the topic's own limits, else the service's."""
    if entry.any_age:
        return None, None
    low = entry.min_age if entry.min_age is not None else service.min_age
    high = entry.max_age if entry.max_age is not None else service.max_age
    return low, high


def _describe_range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "any age"
    if high is None:
        return f"{low}+"
    return f"{low or 0}-{high}"


def age_fits(
    service: Service, entry: ServiceTopic, age: int | None, role: AudienceRole | None
) -> bool:
    if age is None or (role is not None and role in service.age_exempt_roles):
        return True
    low, high = age_range(service, entry)
    return (low is None or age >= low) and (high is None or age <= high)


def _weights(service: Service, age: int | None, role: AudienceRole | None) -> tuple[float, str]:
    """The topic-independent factors and their part of the reason."""
    factor, notes = 1.0, []
    if role is not None:
        if role in service.roles:
            notes.append(f"for {role}")
        else:
            factor *= ROLE_MISMATCH
            notes.append(f"meant for {', '.join(service.roles)}, not {role}")
    if service.national:
        factor *= LOCAL_FIRST
    banded = service.min_age is not None or service.max_age is not None
    if age is not None and not banded:
        factor *= ALL_AGES
    elif age is None and banded:
        factor *= AGE_UNKNOWN
    if service.urgency is Urgency.EMERGENCY:
        factor *= EMERGENCY_ONLY
        notes.append("emergencies only")
    return factor, ", ".join(notes)


def score_service(
    service: Service,
    wanted: Mapping[Topic, float],
    age: int | None,
    role: AudienceRole | None,
) -> Fit | None:
    """The service's fit to the wanted topics, or None when no topic matches at this age."""
    scored = []
    for rank, entry in enumerate(service.topics):
        if entry.topic in wanted and age_fits(service, entry, age, role):
            scored.append((wanted[entry.topic] * centrality(rank), rank, entry))
    if not scored:
        return None
    scored.sort(key=lambda item: (-item[0], item[1]))
    best, rank, entry = scored[0]
    best += OTHER_TOPICS * sum(item[0] for item in scored[1:])
    factor, notes = _weights(service, age, role)
    place = "main topic" if rank == 0 else f"topic {rank + 1} of {len(service.topics)}"
    parts = [f"topic {entry.topic} ({place})"]
    if age is not None:
        parts.append(f"age {age} within {_describe_range(*age_range(service, entry))}")
    if notes:
        parts.append(notes)
    return Fit(
        score=round(best * factor, 4),
        topics=tuple(str(item[2].topic) for item in scored),
        reason=", ".join(parts),
    )
