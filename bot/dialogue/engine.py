"""`respond`: one user message in, the bot's replies, the next state and events out.

The order on every message: crisis first (already detected by the NLU), then commands and tapped
buttons, then the answer to the question the bot asked last, then first-contact greeting, then
what the message is about (a need, a question about privacy, a wish for a person, small talk).
"""

from dataclasses import replace
from datetime import datetime

from bot.dialogue import anonymity, commands, courtesy, guidance, person
from bot.dialogue.commands import Command
from bot.dialogue.crisis import answer_crisis
from bot.dialogue.exchange import Exchange
from bot.dialogue.lookup import DutyStatus, ServiceLookup
from bot.dialogue.state import DialogueState, Pending
from bot.dialogue.texts import LANGUAGES
from bot.dialogue.turn import EventKind, Turn
from bot.messages import ReplyKind
from nlu.interpretation import CrisisLevel, Interpretation, Language, MetaIntent

_COMMAND_LANGUAGES = {
    Command.BOKMAAL: Language.BOKMAAL,
    Command.NYNORSK: Language.NYNORSK,
    Command.ENGLISH: Language.ENGLISH,
}
_SMALL_TALK = {MetaIntent.GREETING, MetaIntent.UNCLEAR, MetaIntent.THANKS}
MIN_WORDS_FOR_LANGUAGE = 3  # "ok", "ja", "takk" say little about the language


async def respond(
    state: DialogueState,
    interpretation: Interpretation,
    *,
    services: ServiceLookup,
    duty: DutyStatus,
    now: datetime,
) -> Turn:
    """Answer one message. The given state is not changed; the next one is in the Turn."""
    ex = Exchange(
        state=DialogueState.from_dict(state.to_dict()),
        heard=interpretation,
        services=services,
        duty=duty,
        now=now,
    )
    command = commands.read_command(interpretation.text)
    if command is None:
        _follow_language(ex)
    if interpretation.crisis.level != CrisisLevel.NONE:
        await answer_crisis(ex)
    elif command is not None:
        await _obey(ex, command)
    elif not await _answer_pending(ex):
        await _understand(ex)
    return ex.finish()


async def _obey(ex: Exchange, command: Command) -> None:
    if command in _COMMAND_LANGUAGES:
        _switch_language(ex, _COMMAND_LANGUAGES[command], locked=True)
        ex.add("language.changed")
        if not ex.state.greeted:
            await courtesy.greet_first(ex, brief=False)
    elif command == Command.START:
        await _greet(ex)
    elif command == Command.DELETE:
        ex.state.pending = Pending.CONFIRM_DELETE
        quick = ex.yes_no(commands.DELETE, "delete_yes")
        ex.add("delete.confirm", ReplyKind.QUESTION, quick=quick)
    elif command == Command.PERSON:
        if not ex.state.greeted:
            await courtesy.greet_first(ex, brief=True)
        await person.ask_for_person(ex)
    else:
        courtesy.start_over(ex)


async def _answer_pending(ex: Exchange) -> bool:
    """Handle the answer to the bot's last question; False when the message is about else."""
    pending, ex.state.pending = ex.state.pending, None
    if pending == Pending.CONFIRM_DELETE:
        return _confirm_delete(ex)
    if pending == Pending.HELPED:
        return _take_feedback(ex)
    if pending == Pending.ROLE:
        role = commands.read_role(ex.text) or (None if ex.heard.topics else ex.heard.role)
        if role is None:
            return False
        ex.state.role = role
        guidance.remember_person(ex)
        await guidance.continue_need(ex)
        return True
    if pending == Pending.AGE:
        age = commands.read_age(ex.text) or (None if ex.heard.topics else ex.heard.age)
        if age is None:
            return False
        ex.state.age = age
        await guidance.continue_need(ex)
        return True
    if pending == Pending.ANONYMITY_AGE:
        return anonymity.answer_age_band(ex)
    if pending == Pending.LEAVE_MESSAGE:
        return person.answer_leave_offer(ex)
    if pending == Pending.MESSAGE_FOR_DUTY:
        person.take_message_for_duty(ex)
        return True
    return False


def _confirm_delete(ex: Exchange) -> bool:
    confirmed = commands.read_yes_no(ex.text, commands.DELETE)
    if confirmed is None:
        return False
    if confirmed:
        old = ex.state
        ex.state = DialogueState(
            language=old.language,
            language_chosen=old.language_chosen,
            language_locked=old.language_locked,
        )
        ex.emit(EventKind.DELETE_CONFIRMED)
        ex.add("delete.done")
    else:
        ex.add("delete.cancelled")
    return True


def _take_feedback(ex: Exchange) -> bool:
    helpful = commands.read_yes_no(ex.text, commands.HELPED)
    if helpful is None:
        return False
    ex.emit(EventKind.FEEDBACK_GIVEN, helpful=helpful, slugs=tuple(ex.state.suggested))
    if helpful:
        ex.add("feedback.yes")
    else:
        quick = [
            ex.button("person", Command.PERSON.value),
            ex.button("start_over", Command.START_OVER.value),
        ]
        ex.add("feedback.no", ReplyKind.QUESTION, quick=quick)
    return True


async def _understand(ex: Exchange) -> None:
    intent = ex.heard.intent
    if not ex.state.greeted:
        await courtesy.greet_first(ex, brief=intent not in _SMALL_TALK)
        if intent in _SMALL_TALK:
            return
    if commands.is_goodbye(ex.text):
        courtesy.say_goodbye(ex)
    elif intent == MetaIntent.GREETING:
        courtesy.greet_again(ex)
    elif intent == MetaIntent.THANKS:
        courtesy.thank(ex)
    elif intent == MetaIntent.HUMAN:
        await person.ask_for_person(ex)
    elif intent == MetaIntent.ANONYMITY:
        anonymity.explain_privacy(ex)
    elif intent == MetaIntent.OUT_OF_SCOPE:
        courtesy.decline_out_of_scope(ex)
    elif intent == MetaIntent.UNCLEAR and not ex.heard.topics:
        await guidance.answer_unclear(ex)
    else:
        await guidance.answer_need(ex)


async def _greet(ex: Exchange) -> None:
    if ex.state.greeted:
        courtesy.greet_again(ex)
    else:
        await courtesy.greet_first(ex, brief=False)


def _follow_language(ex: Exchange) -> None:
    """Answer in the language the user writes, but do not flip on short or borderline messages.

    Once a language is chosen, Bokmål and Nynorsk count as the same (dialect spellings make the
    NLU waver between them); only a switch to or from English changes it, or a command.
    """
    heard, state = ex.heard.language, ex.state
    if state.language_locked or heard not in LANGUAGES:
        return
    if len(ex.text.split()) < MIN_WORDS_FOR_LANGUAGE:
        return
    norwegian = {Language.BOKMAAL, Language.NYNORSK}
    if state.language_chosen and {heard, state.language} <= norwegian:
        return
    state.language_chosen = True
    if heard != state.language:
        _switch_language(ex, heard, locked=False)


def _switch_language(ex: Exchange, language: Language, *, locked: bool) -> None:
    ex.state = replace(
        ex.state, language_chosen=True, language_locked=locked or ex.state.language_locked
    )
    if language != ex.state.language:
        ex.state.language = language
        ex.emit(EventKind.LANGUAGE_CHANGED, language=language)
