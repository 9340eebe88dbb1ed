"""Greetings, thanks, goodbye, starting over and questions outside what this line is for."""

from bot.dialogue.cards import describe_phones
from bot.dialogue.exchange import Exchange
from bot.dialogue.lookup import CHILD_HELPLINE, EMERGENCY, TALK_HELPLINE
from bot.dialogue.turn import EventKind
from bot.messages import ReplyKind

GREETING_LINES = (EMERGENCY, CHILD_HELPLINE, TALK_HELPLINE)


async def greet_first(ex: Exchange, *, brief: bool) -> None:
    """First contact: three short bubbles, or one when the message already carries a need."""
    ex.state.greeted = True
    lines = await _emergency_lines(ex)
    if brief:
        ex.add("greeting.brief", ReplyKind.GREETING, lines=lines)
        return
    ex.add("greeting.intro", ReplyKind.GREETING)
    ex.add("greeting.privacy", ReplyKind.GREETING)
    ex.add("greeting.emergency", ReplyKind.GREETING, lines=lines)


def greet_again(ex: Exchange) -> None:
    ex.add("greeting.again", ReplyKind.GREETING)


def thank(ex: Exchange) -> None:
    ex.state.pending = None
    ex.add("courtesy.thanks")


def say_goodbye(ex: Exchange) -> None:
    ex.state.pending = None
    ex.add("courtesy.goodbye")


def start_over(ex: Exchange) -> None:
    ex.state.start_over()
    ex.emit(EventKind.STARTED_OVER)
    ex.add("courtesy.start_over")


def decline_out_of_scope(ex: Exchange) -> None:
    ex.add("courtesy.out_of_scope")


async def _emergency_lines(ex: Exchange) -> str:
    matches = await ex.services.get(GREETING_LINES, ex.language)
    return ", ".join(describe_phones(matches)) or ex.text_for("greeting.no_lines")
