"""Talking to a person at any step: queued during duty hours; outside them, when it opens, the
24/7 lines and the offer to leave a message here."""

from dialogue_fakes import DUTY_STAFFED, Chat, need, said

from bot.dialogue.lookup import DutyStatus
from bot.dialogue.turn import EventKind, Priority
from nlu.interpretation import MetaIntent, Role


async def test_during_duty_hours_the_user_is_queued_and_the_caller_tells_the_place() -> None:
    chat = Chat(duty=DUTY_STAFFED)
    await chat.user(said("Hei", MetaIntent.GREETING))

    bot = await chat.user(said("Kan jeg snakke med et menneske?", MetaIntent.HUMAN))

    assert bot.texts == [
        "Jeg setter deg i kø til en person fra kommunen. Du får svar her i chatten."
    ]
    assert bot.event(EventKind.HANDOFF_REQUESTED).priority == Priority.NORMAL


async def test_outside_duty_hours_says_when_lists_24_7_lines_and_offers_a_message() -> None:
    chat = Chat()
    await chat.user(said("Hei", MetaIntent.GREETING))

    bot = await chat.user(said("Jeg vil snakke med en person", MetaIntent.HUMAN))

    assert bot.texts[0] == "Chatvakten er stengt nå. Den åpner i morgen kl. 08:00."
    assert bot.texts[1] == "Disse svarer hele døgnet:"
    assert bot.cards == ["alarmtelefonen", "mental-helse-hjelpetelefon", "legevakt"]
    assert bot.texts[2].startswith("Vil du legge igjen en melding?")
    assert bot.buttons == ["Ja, legg igjen melding", "Nei"]
    assert not any(event.kind == EventKind.HANDOFF_REQUESTED for event in bot.events)

    bot = await chat.user(bot.payload("Ja, legg igjen melding"))

    assert bot.texts == [
        "Skriv det du vil at vakten skal vite. Du trenger ikke skrive navnet ditt."
    ]

    bot = await chat.user(need("Sønnen min vil ikke gå på skolen", "learning-school"))

    assert bot.texts == ["Takk! Meldingen er lagret, og vakten svarer deg her i morgen kl. 08:00."]
    assert bot.event(EventKind.MESSAGE_LEFT_FOR_DUTY).priority == Priority.NORMAL


async def test_declining_to_leave_a_message() -> None:
    chat = Chat()
    await chat.user(said("Hei", MetaIntent.GREETING))
    await chat.user(said("person", MetaIntent.HUMAN))

    bot = await chat.user(said("nei"))

    assert bot.texts == ["Greit. Du kan skrive her når som helst."]
    assert chat.state.pending is None


async def test_opening_later_in_the_week_names_the_day() -> None:
    chat = Chat(
        duty=DutyStatus(
            staffed_now=False, next_opening=Chat().now.replace(day=17, hour=9, minute=0)
        )
    )
    await chat.user(said("Hei", MetaIntent.GREETING))

    bot = await chat.user("/person")

    assert bot.texts[0] == "Chatvakten er stengt nå. Den åpner mandag kl. 09:00."


async def test_the_person_button_after_services_works_at_any_step() -> None:
    chat = Chat(duty=DUTY_STAFFED)
    await chat.user(said("Hei", MetaIntent.GREETING))
    bot = await chat.user(need("Jeg er 15 og lei meg", "mental-health", age=15, role=Role.YOUTH))

    bot = await chat.user(bot.payload("Snakk med en person"))

    assert bot.event(EventKind.HANDOFF_REQUESTED)


async def test_asking_for_a_person_as_the_first_message_greets_briefly_first() -> None:
    chat = Chat(duty=DUTY_STAFFED)

    bot = await chat.user(said("Jeg vil snakke med et menneske", MetaIntent.HUMAN))

    assert len(bot.texts) == 2
    assert bot.texts[0].startswith("Hei! Jeg er en chat fra kommunen")
    assert bot.event(EventKind.HANDOFF_REQUESTED)
