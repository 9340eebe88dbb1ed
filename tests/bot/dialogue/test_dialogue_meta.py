"""Small talk, privacy questions by age, out-of-scope, starting over and deleting."""

import pytest
from dialogue_fakes import Chat, need, said

from bot.dialogue.turn import EventKind
from nlu.interpretation import MetaIntent, Role


async def greeted_chat() -> Chat:
    chat = Chat()
    await chat.user(said("Hei", MetaIntent.GREETING))
    return chat


async def test_thanks_and_goodbye() -> None:
    chat = await greeted_chat()

    thanks = await chat.user(said("Tusen takk!", MetaIntent.THANKS))
    bye = await chat.user(said("ha det", MetaIntent.THANKS))

    assert thanks.texts == ["Bare hyggelig! Skriv gjerne igjen hvis du lurer på noe mer."]
    assert bye.texts == ["Ha det bra! Du er velkommen tilbake når som helst."]


async def test_out_of_scope_is_kind_and_points_to_the_municipality_without_numbers() -> None:
    chat = await greeted_chat()

    bot = await chat.user(said("Når tømmes søpla?", MetaIntent.OUT_OF_SCOPE))

    assert "familier, barn og unge" in bot.texts[0]
    assert "sentralbord eller nettside" in bot.texts[0]
    assert not any(character.isdigit() for character in bot.texts[0])


async def test_privacy_question_from_someone_of_unknown_age_asks_the_age() -> None:
    chat = await greeted_chat()

    bot = await chat.user(said("Er dette anonymt?", MetaIntent.ANONYMITY))

    who, duty, question = bot.texts
    assert "spør aldri om navn, telefonnummer eller adresse" in who
    assert "chatvakt" in who and "taushetsplikt" in who
    assert "barnevernet" in duty and "uansett alder" in duty and "ikke helt anonymt" in duty
    assert question == "Hva foreldre kan få vite, kommer an på alderen din. Hvor gammel er du?"
    assert bot.buttons == ["Under 12", "12–15", "16–17", "Jeg er voksen"]


@pytest.mark.parametrize(
    ("button", "expected"),
    [
        ("Under 12", "foreldrene dine som regel rett til å få vite om helsen din"),
        ("12–15", "kan du be om at foreldrene dine ikke får vite om helsen din"),
        ("16–17", "bestemmer du som regel selv over din egen helse"),
        ("Jeg er voksen", "For barn under 12 har foreldre som regel rett"),
    ],
)
async def test_what_parents_can_be_told_depends_on_the_age(button: str, expected: str) -> None:
    chat = await greeted_chat()
    bot = await chat.user(said("Får foreldrene mine vite om dette?", MetaIntent.ANONYMITY))

    bot = await chat.user(bot.payload(button))

    assert expected in bot.texts[0]


async def test_a_known_age_is_answered_at_once_and_nothing_is_promised_beyond_the_law() -> None:
    chat = await greeted_chat()
    await chat.user(need("Jeg er 13 og lei meg", "mental-health", age=13, role=Role.YOUTH))

    bot = await chat.user(said("Får mamma vite det jeg skriver?", MetaIntent.ANONYMITY))

    assert len(bot.texts) == 3
    assert "kan du be om at foreldrene dine ikke får vite" in bot.texts[2]
    assert "likevel få vite det de trenger for å ta vare på deg" in bot.texts[2]
    assert "helt anonymt" not in bot.all_text.replace("ikke helt anonymt", "")


async def test_a_parent_gets_the_parents_view() -> None:
    chat = await greeted_chat()
    await chat.user(need("Sønnen min er lei seg", "mental-health", role=Role.PARENT, age=9))

    bot = await chat.user(said("Hva får jeg vite?", MetaIntent.ANONYMITY))

    assert bot.texts[2].startswith("For barn under 12 har foreldre som regel rett")


async def test_start_over_forgets_role_age_and_need_but_not_the_greeting() -> None:
    chat = await greeted_chat()
    await chat.user(need("Jeg er 15 og ensom", "loneliness-leisure", age=15, role=Role.YOUTH))

    bot = await chat.user("/ny")

    assert bot.texts == ["Greit, vi begynner på nytt. Hva lurer du på?"]
    assert bot.event(EventKind.STARTED_OVER)
    state = chat.state
    assert (state.role, state.age, state.topics, state.pending) == (None, None, [], None)
    assert state.greeted


async def test_delete_asks_once_then_deletes() -> None:
    chat = await greeted_chat()
    await chat.user(need("Jeg er 15 og ensom", "loneliness-leisure", age=15, role=Role.YOUTH))

    bot = await chat.user("/slett")

    assert bot.texts == ["Vil du slette hele samtalen og alt du har skrevet? Det kan ikke angres."]
    assert bot.buttons == ["Ja, slett", "Nei"]
    assert not any(event.kind == EventKind.DELETE_CONFIRMED for event in bot.events)

    bot = await chat.user(bot.payload("Ja, slett"))

    assert bot.texts == ["Samtalen er slettet. Du kan begynne en ny når du vil."]
    assert bot.event(EventKind.DELETE_CONFIRMED)
    assert chat.state.role is None and not chat.state.greeted


async def test_delete_can_be_cancelled() -> None:
    chat = await greeted_chat()
    await chat.user("/slett")

    bot = await chat.user(said("nei"))

    assert bot.texts == ["Greit, ingenting er slettet."]
    assert not bot.events
