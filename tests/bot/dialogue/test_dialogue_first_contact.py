"""First contact: what this is, who reads it, the emergency numbers — at most three bubbles."""

from dialogue_fakes import Chat, need, said

from bot.messages import ReplyKind
from nlu.interpretation import MetaIntent, Role


async def test_a_first_hello_gets_three_short_bubbles_with_the_truth_and_the_numbers() -> None:
    chat = Chat()

    bot = await chat.user(said("Hei", MetaIntent.GREETING))

    assert len(bot.replies) == 3
    assert all(reply.kind == ReplyKind.GREETING for reply in bot.replies)
    what, privacy, emergency = bot.texts
    assert "chat fra kommunen" in what
    assert "person fra kommunen" in what
    assert "lagres en begrenset tid" in privacy
    assert "barnevernet" in privacy and "ikke helt anonymt" in privacy
    assert emergency.startswith("Haster det? Ring 113 (medisinsk nødhjelp), 112 (politi)")
    assert "116 111 (Alarmtelefonen for barn og unge)" in emergency
    assert "116 123 (Mental Helse Hjelpetelefonen)" in emergency
    assert all(len(text) <= 300 for text in bot.texts)


async def test_a_second_hello_is_short() -> None:
    chat = Chat()
    await chat.user(said("Hei", MetaIntent.GREETING))

    bot = await chat.user(said("Hallo", MetaIntent.GREETING))

    assert bot.texts == ["Hei igjen! Hva kan jeg hjelpe deg med?"]


async def test_a_first_message_with_a_need_gets_a_brief_greeting_and_the_answer() -> None:
    chat = Chat()

    bot = await chat.user(
        need(
            "Datteren min på 2 år sover så dårlig om natta",
            "small-children",
            age=2,
            role=Role.PARENT,
        )
    )

    assert bot.replies[0].kind == ReplyKind.GREETING
    assert "Haster det, ring 113 (medisinsk nødhjelp)" in bot.texts[0]
    assert bot.texts[1] == "Dette kan hjelpe med små barn:"
    assert bot.cards[0] == "helsestasjon"
    assert bot.texts[-1] == "Hjalp dette?"
    assert len([reply for reply in bot.replies if reply.kind == ReplyKind.GREETING]) == 1


async def test_the_start_command_greets_like_a_first_hello() -> None:
    chat = Chat()

    bot = await chat.user("/start")

    assert len(bot.replies) == 3
    assert chat.state.greeted
