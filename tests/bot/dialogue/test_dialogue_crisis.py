"""Crisis first: the right line from the catalogue before anything else, then a person."""

import pytest
from dialogue_fakes import DUTY_STAFFED, Chat, FakeCatalogue, crisis, need, said

from bot.dialogue.turn import EventKind, Priority
from bot.messages import ReplyKind
from nlu.interpretation import CrisisKind, CrisisLevel, MetaIntent, Role

ACUTE = CrisisLevel.ACUTE
CONCERN = CrisisLevel.CONCERN


@pytest.mark.parametrize(
    ("kind", "first_line", "first_card"),
    [
        (CrisisKind.SUICIDE, "113 (medisinsk nødhjelp)", "nodnummer"),
        (CrisisKind.OVERDOSE, "113 (medisinsk nødhjelp)", "nodnummer"),
        (CrisisKind.MEDICAL, "113 (medisinsk nødhjelp)", "nodnummer"),
        (CrisisKind.VIOLENCE_NOW, "113 (medisinsk nødhjelp)", "nodnummer"),
        (CrisisKind.CHILD_IN_DANGER, "113 (medisinsk nødhjelp)", "nodnummer"),
        (CrisisKind.SELF_HARM, "113 (medisinsk nødhjelp)", "nodnummer"),
        (CrisisKind.ABUSE, "116 111 (Alarmtelefonen for barn og unge)", "alarmtelefonen"),
        (
            CrisisKind.DISTRESS,
            "116 123 (Mental Helse Hjelpetelefonen)",
            "mental-helse-hjelpetelefon",
        ),
    ],
)
async def test_acute_answers_at_once_with_the_right_line_first(
    kind: CrisisKind, first_line: str, first_card: str
) -> None:
    chat = Chat()

    bot = await chat.user(crisis("...", ACUTE, kind))

    first = bot.replies[0]
    assert first.kind == ReplyKind.CRISIS
    assert first.text.splitlines()[1] == f"• {first_line}"
    assert first.cards[0].slug == first_card
    assert first.cards[0].actions[0].url.startswith("tel:+47")


@pytest.mark.parametrize(
    ("kind", "second_card"),
    [
        (CrisisKind.SUICIDE, "mental-helse-hjelpetelefon"),
        (CrisisKind.VIOLENCE_NOW, "alarmtelefonen"),
        (CrisisKind.CHILD_IN_DANGER, "alarmtelefonen"),
        (CrisisKind.MEDICAL, "legevakt"),
        (CrisisKind.ABUSE, "nodnummer"),
    ],
)
async def test_acute_adds_the_fitting_second_line(kind: CrisisKind, second_card: str) -> None:
    bot = await Chat().user(crisis("...", ACUTE, kind))

    assert bot.replies[0].cards[1].slug == second_card


async def test_acute_violence_and_abuse_together_calls_police_first_then_alarmtelefonen() -> None:
    bot = await Chat().user(crisis("...", ACUTE, CrisisKind.ABUSE, CrisisKind.VIOLENCE_NOW))

    assert [card.slug for card in bot.replies[0].cards] == ["nodnummer", "alarmtelefonen"]


async def test_acute_comes_before_greeting_and_offers_a_person_first_in_the_queue() -> None:
    chat = Chat(duty=DUTY_STAFFED)

    user = crisis("Jeg orker ikke mer, jeg har tatt alle pillene", ACUTE, CrisisKind.OVERDOSE)
    bot = await chat.user(user)

    assert bot.replies[0].kind == ReplyKind.CRISIS
    assert all(reply.kind != ReplyKind.GREETING for reply in bot.replies)
    assert bot.texts[-1] == "Vil du skrive med en person fra kommunen nå? Du kommer først i køen."
    detected = bot.event(EventKind.CRISIS_DETECTED)
    assert detected.priority == Priority.ACUTE
    assert detected.crisis_kinds == (CrisisKind.OVERDOSE,)

    bot = await chat.user(bot.payload("Snakk med en person"))

    assert bot.event(EventKind.HANDOFF_REQUESTED).priority == Priority.ACUTE


async def test_acute_outside_duty_hours_says_when_the_duty_opens() -> None:
    bot = await Chat().user(crisis("...", ACUTE, CrisisKind.SUICIDE))

    assert bot.texts[-1] == (
        "Chatvakten i kommunen er stengt nå og åpner i morgen kl. 08:00. "
        "Linjene over svarer hele døgnet."
    )


async def test_the_emergency_numbers_come_from_the_catalogue_not_the_texts() -> None:
    catalogue = FakeCatalogue()
    catalogue.entries = tuple(
        entry for entry in catalogue.entries if entry.slug != "mental-helse-hjelpetelefon"
    )

    bot = await Chat(catalogue=catalogue).user(crisis("...", ACUTE, CrisisKind.DISTRESS))

    assert "116 123" not in bot.all_text
    assert "113 (medisinsk nødhjelp)" in bot.texts[0]


async def test_concern_is_empathic_gives_the_24_7_line_a_local_service_and_a_person() -> None:
    chat = Chat(duty=DUTY_STAFFED)

    bot = await chat.user(
        crisis("Jeg har begynt å skade meg selv igjen", CONCERN, CrisisKind.SELF_HARM)
    )

    assert bot.texts[0] == "Det høres tungt ut. Takk for at du forteller det til meg."
    assert bot.texts[1] == "Her kan du snakke med noen hele døgnet:"
    assert bot.replies[1].cards[0].slug == "mental-helse-hjelpetelefon"
    assert bot.texts[2] == "Disse kan også hjelpe deg videre:"
    assert "psykisk-helse-barn-unge" in [card.slug for card in bot.replies[2].cards]
    assert "Snakk med en person" in bot.buttons
    assert bot.event(EventKind.CRISIS_DETECTED).priority == Priority.CONCERN


async def test_concern_about_a_child_at_home_points_to_alarmtelefonen() -> None:
    bot = await Chat().user(
        crisis(
            "Pappa slår mamma når han drikker",
            CONCERN,
            CrisisKind.ABUSE,
            topics=("violence-abuse",),
        )
    )

    assert bot.texts[0] == "Takk for at du sier fra. Det du forteller, er viktig å ta på alvor."
    assert bot.replies[1].cards[0].slug == "alarmtelefonen"
    assert "barnevern" in bot.cards


async def test_crisis_interrupts_a_pending_question_and_a_later_person_gets_its_priority() -> None:
    chat = Chat(duty=DUTY_STAFFED)
    await chat.user(need("Hei, jeg lurer på noe om mobbing", "bullying"))
    assert chat.state.pending is not None

    await chat.user(crisis("han sier han skal drepe meg", ACUTE, CrisisKind.VIOLENCE_NOW))
    bot = await chat.user(said("kan jeg snakke med noen", MetaIntent.HUMAN, role=Role.YOUTH))

    assert bot.event(EventKind.HANDOFF_REQUESTED).priority == Priority.ACUTE
