"""Asking for a person (`meta-human`, `/person`, the button): queue for the duty when it is
staffed; otherwise say when it opens, list the 24/7 lines and offer to leave a message here."""

from bot.dialogue import commands
from bot.dialogue.exchange import Exchange
from bot.dialogue.lookup import CHILD_HELPLINE, LEGEVAKT, TALK_HELPLINE
from bot.dialogue.moments import describe_moment
from bot.dialogue.state import Pending
from bot.dialogue.turn import EventKind
from bot.messages import ReplyKind

ALWAYS_OPEN_LINES = (CHILD_HELPLINE, TALK_HELPLINE, LEGEVAKT)


async def ask_for_person(ex: Exchange) -> None:
    """The caller tells the user their place in the queue (`person.queue_position`)."""
    ex.state.pending = None
    if ex.duty.staffed_now:
        ex.emit(EventKind.HANDOFF_REQUESTED, priority=ex.priority)
        ex.add("person.queued", ReplyKind.HANDOFF)
        return
    if ex.duty.next_opening:
        when = describe_moment(ex.duty.next_opening, ex.now, ex.language)
        ex.add("person.duty_closed", ReplyKind.HANDOFF, when=when)
    else:
        ex.add("person.duty_closed_unknown", ReplyKind.HANDOFF)
    lines = await ex.services.get(ALWAYS_OPEN_LINES, ex.language)
    if lines:
        ex.add("person.lines_24_7", ReplyKind.SERVICES, cards=lines)
    ex.state.pending = Pending.LEAVE_MESSAGE
    ex.add("person.leave_offer", ReplyKind.QUESTION, quick=ex.yes_no(commands.LEAVE, "leave_yes"))


def answer_leave_offer(ex: Exchange) -> bool:
    """The answer to "leave a message?"; False when the user wrote about something else."""
    leave = commands.read_yes_no(ex.text, commands.LEAVE)
    if leave is None:
        ex.state.pending = None
        return False
    ex.state.pending = Pending.MESSAGE_FOR_DUTY if leave else None
    ex.add("person.write_message" if leave else "person.leave_declined")
    return True


def take_message_for_duty(ex: Exchange) -> None:
    """This message is the one left for the duty; the caller queues the conversation for it."""
    ex.state.pending = None
    ex.emit(EventKind.MESSAGE_LEFT_FOR_DUTY, priority=ex.priority)
    if ex.duty.next_opening:
        when = describe_moment(ex.duty.next_opening, ex.now, ex.language)
        ex.add("person.message_saved", ReplyKind.HANDOFF, when=when)
    else:
        ex.add("person.message_saved_unknown", ReplyKind.HANDOFF)
