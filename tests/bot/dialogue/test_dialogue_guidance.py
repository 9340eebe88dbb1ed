"""From a need to services: one question only when it changes the result, at most two per need,
at most three cards, then "Hjalp dette?"."""

from dialogue_fakes import Chat, FakeCatalogue, need, said

from bot.dialogue.turn import EventKind
from bot.messages import ReplyKind
from nlu.interpretation import MetaIntent, Role

SLEEP = ("small-children", "school-health")


async def greeted_chat(**kwargs: object) -> Chat:
    chat = Chat(**kwargs)  # type: ignore[arg-type]
    await chat.user(said("Hei", MetaIntent.GREETING))
    return chat


async def test_age_changes_the_result_for_the_same_sleep_worry() -> None:
    toddler = await (await greeted_chat()).user(
        need("Sønnen min på 2 år sover dårlig", *SLEEP, age=2, role=Role.PARENT)
    )
    teenager = await (await greeted_chat()).user(
        need("Sønnen min på 14 år sover dårlig", *SLEEP, age=14, role=Role.PARENT)
    )

    assert toddler.cards[0] == "helsestasjon"
    assert teenager.cards[0] == "skolehelsetjenesten"
    assert "helsestasjon" not in teenager.cards


async def test_unknown_age_is_asked_with_age_bands_and_the_band_decides() -> None:
    chat = await greeted_chat()

    bot = await chat.user(need("Barnet mitt sover dårlig", *SLEEP, role=Role.PARENT))

    assert bot.texts == ["Hvor gammel er barnet?"]
    assert bot.replies[0].kind == ReplyKind.QUESTION
    assert bot.buttons == ["0–5 år", "6–12 år", "13–15 år", "16–18 år"]

    bot = await chat.user(bot.payload("0–5 år"))

    assert bot.cards[0] == "helsestasjon"
    assert bot.texts[-1] == "Hjalp dette?"


async def test_a_typed_age_answers_the_age_question() -> None:
    chat = await greeted_chat()
    await chat.user(need("Barnet mitt sover dårlig", *SLEEP, role=Role.PARENT))

    bot = await chat.user(said("14 år"))

    assert bot.cards[0] == "skolehelsetjenesten"


async def test_no_role_question_when_every_role_would_get_the_same_services() -> None:
    chat = await greeted_chat()

    bot = await chat.user(need("Jeg er lei meg hele tiden", "mental-health", age=15))

    assert "Hvem er det som skriver?" not in bot.texts
    assert bot.cards[:2] == ["psykisk-helse-barn-unge", "mental-helse-hjelpetelefon"]


async def test_no_question_when_the_answer_would_not_change_the_result() -> None:
    catalogue = FakeCatalogue()
    chat = await greeted_chat(catalogue=catalogue)

    bot = await chat.user(need("Jeg trenger legevakt", "acute-illness"))

    assert bot.cards == ["legevakt"]
    assert chat.state.questions_asked == 0


async def test_who_is_writing_is_asked_first_with_four_choices() -> None:
    chat = await greeted_chat()

    bot = await chat.user(need("Jeg føler meg så alene", "loneliness-leisure"))

    assert bot.texts == ["Hvem er det som skriver?"]
    assert bot.buttons == ["Forelder", "Ungdom", "Barn", "Fagperson"]

    bot = await chat.user(bot.payload("Ungdom"))

    assert bot.texts == ["Hvor gammel er du?"]
    assert bot.buttons == ["Under 13", "13–15 år", "16–18 år", "Over 18"]

    bot = await chat.user(bot.payload("13–15 år"))

    assert bot.cards == ["kors-paa-halsen", "skolehelsetjenesten"]
    assert bot.texts == ["Dette kan hjelpe med ensomhet og fritid:", "Hjalp dette?"]
    assert bot.event(EventKind.SERVICES_SUGGESTED).slugs == tuple(bot.cards)


async def test_at_most_two_clarifying_questions_per_need() -> None:
    chat = await greeted_chat()

    first = await chat.user(need("Jeg er ensom", "loneliness-leisure"))
    second = await chat.user(need("Jeg er bare ensom, vet ikke", "loneliness-leisure"))
    third = await chat.user(need("Jeg er fortsatt ensom", "loneliness-leisure"))

    assert first.texts == ["Hvem er det som skriver?"]
    assert second.texts == ["Hvem er det som skriver?"]
    assert third.cards and third.texts[-1] == "Hjalp dette?"


async def test_a_new_need_gets_a_fresh_question_budget() -> None:
    chat = await greeted_chat()
    await chat.user(need("Jeg er ensom", "loneliness-leisure"))
    await chat.user(need("Jeg er bare ensom", "loneliness-leisure"))

    bot = await chat.user(need("Sønnen min sliter med lesing", "learning-school"))

    assert bot.texts == ["Hvem er det som skriver?"]


async def test_unclear_asks_who_is_writing_then_asks_what_it_is_about() -> None:
    chat = await greeted_chat()

    bot = await chat.user(said("hmm vet ikke helt", MetaIntent.UNCLEAR))

    assert bot.texts == ["Jeg vil gjerne forstå deg riktig. Hvem er det som skriver?"]

    bot = await chat.user(bot.payload("Forelder"))

    assert bot.texts == ["Takk! Fortell med egne ord hva du lurer på."]
    assert chat.state.role == Role.PARENT


async def test_unclear_when_the_role_is_known_asks_to_rephrase() -> None:
    chat = await greeted_chat()

    bot = await chat.user(said("asdf", MetaIntent.UNCLEAR, role=Role.YOUTH))

    assert bot.texts == [
        "Jeg er ikke sikker på at jeg forstod. Kan du fortelle litt mer, med egne ord?"
    ]
    assert bot.buttons == ["Snakk med en person"]


async def test_helped_yes_is_thanked_and_recorded() -> None:
    chat = await greeted_chat()
    bot = await chat.user(need("Datteren min på 3 sover dårlig", *SLEEP, age=3, role=Role.PARENT))
    assert bot.buttons == ["Ja", "Nei", "Snakk med en person"]

    bot = await chat.user(bot.payload("Ja"))

    assert bot.texts == ["Så bra! Skriv gjerne igjen hvis du lurer på noe mer."]
    assert bot.event(EventKind.FEEDBACK_GIVEN).helpful is True


async def test_helped_no_leads_to_a_rephrase_or_a_person() -> None:
    chat = await greeted_chat()
    await chat.user(need("Datteren min på 3 sover dårlig", *SLEEP, age=3, role=Role.PARENT))

    bot = await chat.user(said("nei"))

    assert bot.texts[0].startswith("Så synd. Prøv gjerne å si det på en annen måte")
    assert bot.buttons == ["Snakk med en person", "Start på nytt"]
    assert bot.event(EventKind.FEEDBACK_GIVEN).helpful is False


async def test_no_matching_service_offers_a_person_and_records_the_unmet_need() -> None:
    chat = await greeted_chat()

    bot = await chat.user(
        need("Hjelp med skatt for ungdom", "money-housing", age=17, role=Role.YOUTH)
    )

    assert bot.texts == [
        "Jeg fant ingen tjeneste som passer helt. En person fra kommunen kan hjelpe deg videre."
    ]
    assert bot.event(EventKind.NO_SERVICE_FOUND).topics == ("money-housing",)


async def test_cards_show_contacts_opening_and_badges() -> None:
    chat = await greeted_chat()

    bot = await chat.user(need("Jeg er 14 og lei meg", "mental-health", age=14, role=Role.YOUTH))

    cards = {card.slug: card for reply in bot.replies for card in reply.cards}
    nurse = cards["skolehelsetjenesten"]
    assert nurse.actions[0].url == "tel:+4799990002"
    assert nurse.actions[0].display == "99 99 00 02"
    assert nurse.availability == "Åpner i morgen kl. 08:00"
    assert nurse.badges == ("Gratis",)
    assert nurse.verified_note == "Sist kontrollert 15.01.2025"
