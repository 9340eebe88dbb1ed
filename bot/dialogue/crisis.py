"""Crisis first: the right emergency or 24/7 line from the catalogue, then a person.

Which line goes first depends on why the message is a crisis (`CrisisKind`): danger to life,
overdose, a medical emergency or violence now -> the emergency numbers (113/112); a child exposed
to abuse -> Alarmtelefonen; someone who needs to talk now -> Mental Helse. The numbers themselves
always come from the catalogue entries, never from the texts.
"""

from bot.dialogue.cards import describe_phones
from bot.dialogue.commands import Command
from bot.dialogue.exchange import Exchange
from bot.dialogue.lookup import CHILD_HELPLINE, EMERGENCY, LEGEVAKT, TALK_HELPLINE
from bot.dialogue.moments import describe_moment
from bot.dialogue.turn import EventKind
from bot.messages import ReplyKind
from nlu.interpretation import CrisisKind, CrisisLevel
from services_catalog.topics import Topic

# Most urgent kind first: a message with several kinds gets their lines merged in this order.
_ACUTE_LINES: dict[CrisisKind, tuple[str, ...]] = {
    CrisisKind.OVERDOSE: (EMERGENCY, LEGEVAKT),
    CrisisKind.MEDICAL: (EMERGENCY, LEGEVAKT),
    CrisisKind.SUICIDE: (EMERGENCY, TALK_HELPLINE),
    CrisisKind.VIOLENCE_NOW: (EMERGENCY, CHILD_HELPLINE),
    CrisisKind.CHILD_IN_DANGER: (EMERGENCY, CHILD_HELPLINE),
    CrisisKind.SELF_HARM: (EMERGENCY, TALK_HELPLINE),
    CrisisKind.ABUSE: (CHILD_HELPLINE, EMERGENCY),
    CrisisKind.DISTRESS: (TALK_HELPLINE, EMERGENCY),
}
_CONCERN_LINE: dict[CrisisKind, str] = {
    CrisisKind.OVERDOSE: LEGEVAKT,
    CrisisKind.MEDICAL: LEGEVAKT,
    CrisisKind.SUICIDE: TALK_HELPLINE,
    CrisisKind.VIOLENCE_NOW: CHILD_HELPLINE,
    CrisisKind.CHILD_IN_DANGER: CHILD_HELPLINE,
    CrisisKind.SELF_HARM: TALK_HELPLINE,
    CrisisKind.ABUSE: CHILD_HELPLINE,
    CrisisKind.DISTRESS: TALK_HELPLINE,
}
_KIND_TOPIC: dict[CrisisKind, Topic] = {
    CrisisKind.OVERDOSE: Topic.SUBSTANCES_GAMING,
    CrisisKind.MEDICAL: Topic.ACUTE_ILLNESS,
    CrisisKind.SUICIDE: Topic.MENTAL_HEALTH,
    CrisisKind.VIOLENCE_NOW: Topic.VIOLENCE_ABUSE,
    CrisisKind.CHILD_IN_DANGER: Topic.CHILD_CARE_CONCERN,
    CrisisKind.SELF_HARM: Topic.SELF_HARM,
    CrisisKind.ABUSE: Topic.VIOLENCE_ABUSE,
    CrisisKind.DISTRESS: Topic.MENTAL_HEALTH,
}
_FEELINGS = {CrisisKind.SUICIDE, CrisisKind.SELF_HARM, CrisisKind.DISTRESS}
_HEALTH = {CrisisKind.MEDICAL, CrisisKind.OVERDOSE}
MAX_LINES = 3


def choose_lines(level: CrisisLevel, kinds: tuple[CrisisKind, ...]) -> list[str]:
    """Catalogue slugs of the lines to give, the one to call first first."""
    ordered = [kind for kind in _ACUTE_LINES if kind in kinds]
    if level == CrisisLevel.ACUTE:
        slugs = [slug for kind in ordered for slug in _ACUTE_LINES[kind]]
        slugs = slugs or [EMERGENCY, TALK_HELPLINE]
    else:
        slugs = [_CONCERN_LINE[kind] for kind in ordered] or [TALK_HELPLINE]
    return list(dict.fromkeys(slugs))[:MAX_LINES]


async def answer_crisis(ex: Exchange) -> None:
    """Answer a message the NLU marked as acute or concern; nothing else runs this turn."""
    crisis = ex.heard.crisis
    ex.state.crisis = max(ex.state.crisis, crisis.level, key=_severity)
    ex.state.pending = None
    ex.state.greeted = True
    ex.state.start_need(_topics_of(ex))
    ex.emit(
        EventKind.CRISIS_DETECTED,
        crisis_level=crisis.level,
        crisis_kinds=crisis.kinds,
        priority=ex.priority,
    )
    if crisis.level == CrisisLevel.ACUTE:
        await _answer_acute(ex)
    else:
        await _answer_concern(ex)
    _offer_person(ex)


async def _answer_acute(ex: Exchange) -> None:
    lines = await ex.services.get(
        choose_lines(CrisisLevel.ACUTE, ex.heard.crisis.kinds), ex.language
    )
    phones = describe_phones(lines)
    if phones:
        listed = "\n".join(f"• {phone}" for phone in phones)
        ex.add("crisis.acute", ReplyKind.CRISIS, cards=lines, lines=listed)
    else:
        ex.add("crisis.acute_no_lines", ReplyKind.CRISIS)


async def _answer_concern(ex: Exchange) -> None:
    kinds = set(ex.heard.crisis.kinds)
    feeling = "crisis.concern_hurt" if kinds & _FEELINGS or not kinds else "crisis.concern_harm"
    ex.add("crisis.concern_health" if kinds and kinds <= _HEALTH else feeling, ReplyKind.CRISIS)
    slugs = choose_lines(CrisisLevel.CONCERN, ex.heard.crisis.kinds)
    lines = await ex.services.get(slugs[:1], ex.language)
    if lines:
        ex.add("crisis.line_24_7", ReplyKind.CRISIS, cards=lines)
    found = await ex.services.find(ex.state.topics, ex.state.age, ex.state.role, ex.language)
    local = [match for match in found if match.slug not in {*slugs, EMERGENCY}][:2]
    if local:
        ex.state.suggested = [match.slug for match in local]
        ex.add("crisis.local_help", ReplyKind.SERVICES, cards=local)


def _offer_person(ex: Exchange) -> None:
    person = [ex.button("person", Command.PERSON.value)]
    if ex.duty.staffed_now:
        ex.add("crisis.person_staffed", ReplyKind.QUESTION, quick=person)
    elif ex.duty.next_opening:
        when = describe_moment(ex.duty.next_opening, ex.now, ex.language)
        ex.add("crisis.person_closed", ReplyKind.INFO, quick=person, when=when)


def _topics_of(ex: Exchange) -> list[tuple[str, float]]:
    heard = [(topic.name, topic.score) for topic in ex.heard.topics]
    from_kinds = [(_KIND_TOPIC[kind].value, 1.0) for kind in ex.heard.crisis.kinds]
    return heard or list(dict.fromkeys(from_kinds))


def _severity(level: CrisisLevel) -> int:
    return [CrisisLevel.NONE, CrisisLevel.CONCERN, CrisisLevel.ACUTE].index(level)
