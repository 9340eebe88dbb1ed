"""The state survives JSON storage: a restart mid-conversation continues where it was."""

import json

from dialogue_fakes import Chat, need, said

from bot.dialogue.state import DialogueState, Pending
from nlu.interpretation import CrisisLevel, Language, MetaIntent, Role


def test_a_full_state_round_trips_through_json() -> None:
    state = DialogueState(
        language=Language.NYNORSK,
        language_chosen=True,
        greeted=True,
        role=Role.PARENT,
        age=4,
        pending=Pending.HELPED,
        topics=[("small-children", 0.8)],
        suggested=["helsestasjon"],
        questions_asked=1,
        crisis=CrisisLevel.CONCERN,
    )

    assert DialogueState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_an_empty_or_odd_stored_state_falls_back_to_a_fresh_one() -> None:
    assert DialogueState.from_dict(None) == DialogueState()
    odd = DialogueState.from_dict({"language": "xx", "pending": "gone", "role": 3, "extra": 1})
    assert odd == DialogueState()


async def test_a_restart_between_question_and_answer_continues_where_it_was() -> None:
    chat = Chat()
    await chat.user(said("Hei", MetaIntent.GREETING))
    await chat.user(
        need("Barnet mitt sover dårlig", "small-children", "school-health", role=Role.PARENT)
    )
    stored_row = json.dumps(chat.stored)

    restarted = Chat(stored=json.loads(stored_row))
    bot = await restarted.user(said("age:14"))

    assert bot.cards[0] == "skolehelsetjenesten"
    assert bot.texts[-1] == "Hjalp dette?"


async def test_respond_does_not_change_the_state_it_was_given() -> None:
    from dialogue_fakes import DUTY_CLOSED, NOW, FakeCatalogue

    from bot.dialogue.engine import respond

    state = DialogueState()
    turn = await respond(
        state,
        said("Hei", MetaIntent.GREETING),
        services=FakeCatalogue(),
        duty=DUTY_CLOSED,
        now=NOW,
    )

    assert turn.state.greeted and not state.greeted
