"""What happens to what the user writes, answered truthfully for the writer's age.

The age bands follow pasient- og brukerrettighetsloven § 3-4 (parents' right to health
information: under 12, 12-16, 16-18); the duty to inform barnevernet applies at every age.
"""

from bot.dialogue import commands
from bot.dialogue.exchange import Exchange
from bot.dialogue.state import Pending
from bot.messages import ReplyKind
from nlu.interpretation import Role

# Quick replies: (text key, payload value) -> the answer each band gets.
_BANDS = (
    ("anon_under_12", "under-12"),
    ("anon_12_15", "12-15"),
    ("anon_16_17", "16-17"),
    ("anon_adult", "adult"),
)
_ANSWERS = {
    "under-12": "anonymity.under_12",
    "12-15": "anonymity.from_12",
    "16-17": "anonymity.from_16",
    "adult": "anonymity.adult",
}


def explain_privacy(ex: Exchange) -> None:
    """Who can see what, when staff must involve others, and what parents can be told."""
    ex.add("anonymity.who")
    ex.add("anonymity.duty")
    band = _band_of_writer(ex)
    if band:
        ex.add(_ANSWERS[band])
        return
    ex.state.pending = Pending.ANONYMITY_AGE
    quick = [ex.button(key, commands.payload(commands.ANONYMITY, value)) for key, value in _BANDS]
    ex.add("anonymity.ask_age", ReplyKind.QUESTION, quick=quick)


def answer_age_band(ex: Exchange) -> bool:
    """The answer to "how old are you?" after a privacy question; False if it was not one."""
    ex.state.pending = None
    band = commands.read_payload(ex.text, commands.ANONYMITY)
    if band not in _ANSWERS:
        age = commands.read_age(ex.text)
        band = _band_of_age(age) if age is not None else None
    if band is None:
        return False
    ex.add(_ANSWERS[band])
    return True


def _band_of_writer(ex: Exchange) -> str | None:
    if ex.state.role in (Role.PARENT, Role.PROFESSIONAL):
        return "adult"
    if ex.state.role in (Role.YOUTH, Role.CHILD) and ex.state.age is not None:
        return _band_of_age(ex.state.age)
    return None


def _band_of_age(age: int) -> str:
    if age < 12:
        return "under-12"
    if age < 16:
        return "12-15"
    return "16-17" if age < 18 else "adult"
