"""From a need to at most three services: ask who is writing or the child's age only when the
answer changes the result, at most twice per need, then show cards and ask "Hjalp dette?"."""

from collections.abc import Sequence

from bot.dialogue import commands
from bot.dialogue.commands import Command
from bot.dialogue.exchange import Exchange
from bot.dialogue.state import Pending
from bot.dialogue.turn import EventKind
from bot.messages import ReplyKind
from nlu.interpretation import Role
from services_catalog.topics import Topic

MAX_SERVICES = 3
# (quick-reply text key, the age the band stands for); the bands follow the catalogue's limits.
CHILD_AGE_BANDS = (("age_0_5", 3), ("age_6_12", 9), ("age_13_15", 14), ("age_16_18", 17))
OWN_AGE_BANDS = (("age_under_13", 11), ("age_13_15", 14), ("age_16_18", 17), ("age_over_18", 20))
YOUNGEST_WRITER = 8  # below this the age given is a child's, so the writer is an adult
_TOPICS = {topic.value for topic in Topic}


async def answer_need(ex: Exchange) -> None:
    """A message that names a need: remember it, then clarify or suggest services."""
    topics = [(topic.name, topic.score) for topic in ex.heard.topics]
    if not topics and ex.heard.intent in _TOPICS:
        topics = [(ex.heard.intent, ex.heard.confidence)]
    if {name for name, _ in topics} != {name for name, _ in ex.state.topics}:
        ex.state.start_need(topics)
    else:
        ex.state.topics = topics
    remember_person(ex)
    await continue_need(ex)


async def answer_unclear(ex: Exchange) -> None:
    """A message the NLU could not place: ask who is writing once, else ask to rephrase."""
    ex.state.topics, ex.state.suggested = [], []
    remember_person(ex)
    if ex.state.role is None and ex.state.may_ask():
        _ask(ex, Pending.ROLE, "question.unclear_role")
    else:
        ex.add("question.unclear", quick=[ex.button("person", Command.PERSON.value)])


async def continue_need(ex: Exchange) -> None:
    """Ask the one question that changes the result, or show the services."""
    if not ex.state.topics:
        ex.add("question.tell_more")
        return
    question = await _question_worth_asking(ex)
    if question is None:
        await suggest_services(ex)
    elif question == Pending.ROLE:
        _ask(ex, Pending.ROLE, "question.role")
    else:
        adult = ex.state.role in (None, Role.PARENT, Role.PROFESSIONAL)
        _ask(ex, Pending.AGE, "question.age_child" if adult else "question.age_self")


async def suggest_services(ex: Exchange) -> None:
    state = ex.state
    found = await ex.services.find(state.topics, state.age, state.role, ex.language)
    matches = found[:MAX_SERVICES]
    topic_names = tuple(name for name, _ in state.topics)
    person = ex.button("person", Command.PERSON.value)
    if not matches:
        ex.emit(EventKind.NO_SERVICE_FOUND, topics=topic_names)
        ex.add("services.none", quick=[person, ex.button("start_over", Command.START_OVER.value)])
        return
    state.suggested = [match.slug for match in matches]
    ex.emit(EventKind.SERVICES_SUGGESTED, topics=topic_names, slugs=tuple(state.suggested))
    main = topic_names[0] if topic_names and topic_names[0] in _TOPICS else None
    if main:
        topic = ex.text_for(f"topic.{main}")
        ex.add("services.intro", ReplyKind.SERVICES, cards=matches, topic=topic)
    else:
        ex.add("services.intro_plain", ReplyKind.SERVICES, cards=matches)
    state.pending = Pending.HELPED
    ex.add("services.helped", ReplyKind.QUESTION, quick=[*ex.yes_no(commands.HELPED), person])


def remember_person(ex: Exchange) -> None:
    """Keep the role and age the NLU found; a later message may correct them."""
    if ex.heard.role is not None:
        ex.state.role = ex.heard.role
    if ex.heard.age is not None:
        ex.state.age = ex.heard.age


async def _question_worth_asking(ex: Exchange) -> Pending | None:
    state = ex.state
    if not state.may_ask():
        return None
    if state.role is None:
        roles = list(Role)
        if state.age is not None and state.age < YOUNGEST_WRITER:
            roles = [Role.PARENT, Role.PROFESSIONAL]
        if await _answers_differ(ex, [(role, state.age) for role in roles]):
            return Pending.ROLE
    if state.age is None:
        ages = [age for _, age in _age_bands(state.role)]
        if await _answers_differ(ex, [(state.role, age) for age in ages]):
            return Pending.AGE
    return None


async def _answers_differ(
    ex: Exchange, candidates: Sequence[tuple[Role | None, int | None]]
) -> bool:
    # One query at a time: the caller's lookup may share one database session.
    results = set()
    for role, age in candidates:
        found = await ex.services.find(ex.state.topics, age, role, ex.language)
        results.add(frozenset(match.slug for match in found[:MAX_SERVICES]))
    return len(results) > 1


def _ask(ex: Exchange, question: Pending, key: str) -> None:
    ex.state.pending = question
    ex.state.questions_asked += 1
    if question == Pending.ROLE:
        quick = [
            ex.button(role.value, commands.payload(commands.ROLE, role.value)) for role in Role
        ]
    else:
        quick = [
            ex.button(label, commands.payload(commands.AGE, str(age)))
            for label, age in _age_bands(ex.state.role)
        ]
    ex.add(key, ReplyKind.QUESTION, quick=quick)


def _age_bands(role: Role | None) -> tuple[tuple[str, int], ...]:
    return OWN_AGE_BANDS if role in (Role.YOUTH, Role.CHILD) else CHILD_AGE_BANDS
