"""Bokmål by default; Nynorsk or English when the user writes so or asks; sticky once chosen."""

from dialogue_fakes import Chat, need, said

from bot.dialogue.turn import EventKind
from nlu.interpretation import Language, MetaIntent, Role

NN = Language.NYNORSK
EN = Language.ENGLISH


async def test_bokmaal_by_default() -> None:
    bot = await Chat().user(said("Hei", MetaIntent.GREETING))

    assert bot.texts[0].startswith("Hei! Jeg er Familieveiviseren")


async def test_a_user_writing_nynorsk_gets_nynorsk() -> None:
    chat = Chat()

    bot = await chat.user(
        need(
            "Eg er 14 år og kjenner meg so einsam",
            "loneliness-leisure",
            age=14,
            role=Role.YOUTH,
            language=NN,
        )
    )

    assert bot.texts[0].startswith("Hei! Eg er ein chat frå kommunen")
    assert bot.texts[1] == "Dette kan hjelpe med einsemd og fritid:"
    assert bot.texts[-1] == "Hjelpte dette?"
    assert bot.buttons == ["Ja", "Nei", "Snakk med ein person"]
    assert bot.event(EventKind.LANGUAGE_CHANGED).language == NN


async def test_a_user_writing_english_gets_english_and_it_sticks_on_short_replies() -> None:
    chat = Chat()
    await chat.user(
        need(
            "My son is 2 and does not sleep", "small-children", age=2, role=Role.PARENT, language=EN
        )
    )

    bot = await chat.user(said("nei", language=Language.BOKMAAL))

    assert bot.texts[0].startswith("Sorry about that.")


async def test_bokmaal_and_nynorsk_wavering_does_not_flip_the_language() -> None:
    chat = Chat()
    await chat.user(need("Eg lurer på kva eg skal gjere", "youth-rights", language=NN))

    bot = await chat.user(said("hmm vet ikke helt hva jeg skal si", language=Language.BOKMAAL))

    assert chat.state.language == NN
    assert bot.texts[0].startswith("Eg ")


async def test_commands_switch_and_lock_the_language() -> None:
    chat = Chat()
    await chat.user(said("Hei", MetaIntent.GREETING))

    bot = await chat.user("/english")

    assert bot.texts == ["I'll write in English now."]
    assert bot.event(EventKind.LANGUAGE_CHANGED).language == EN

    bot = await chat.user(said("Takk for hjelpa, det var fint", MetaIntent.THANKS, language=NN))

    assert bot.texts == ["You're welcome! Feel free to write again if there's anything else."]

    bot = await chat.user("/nynorsk")
    assert bot.texts == ["No skriv eg nynorsk."]
    bot = await chat.user("/bokmal")
    assert bot.texts == ["Nå skriver jeg bokmål."]


async def test_a_language_command_as_first_message_greets_in_that_language() -> None:
    bot = await Chat().user("/nynorsk")

    assert bot.texts[0] == "No skriv eg nynorsk."
    assert bot.texts[1].startswith("Hei! Eg er Familieveiviser")
    assert len(bot.texts) == 4


async def test_crisis_lines_come_in_the_users_language() -> None:
    from dialogue_fakes import crisis

    from nlu.interpretation import CrisisKind, CrisisLevel

    chat = Chat()
    await chat.user("/english")

    bot = await chat.user(crisis("I want to die", CrisisLevel.ACUTE, CrisisKind.SUICIDE))

    assert bot.texts[0].startswith("What you write sounds serious")
    assert "tomorrow at 08:00" in bot.texts[-1]
