"""Saying when something opens, relative to now, in the user's language and Norwegian time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.dialogue.texts import say
from nlu.interpretation import Language

OSLO = ZoneInfo("Europe/Oslo")


def describe_moment(moment: datetime, now: datetime, language: Language) -> str:
    """ "i dag kl. 08:00", "i morgen kl. 08:00", "mandag kl. 08:00" or "14.04. kl. 08:00"."""
    local, today = _oslo(moment), _oslo(now).date()
    time = local.strftime("%H:%M")
    days = (local.date() - today).days
    if days <= 0:
        return say(language, "when.today", time=time)
    if days == 1:
        return say(language, "when.tomorrow", time=time)
    if days < 7:
        weekday = say(language, f"weekday.{local.weekday()}")
        return say(language, "when.weekday", weekday=weekday, time=time)
    return say(language, "when.date", date=local.strftime("%d.%m."), time=time)


def _oslo(moment: datetime) -> datetime:
    # A naive value is taken as Oslo time already; the catalogue and duty schedule use it.
    return moment.astimezone(OSLO) if moment.tzinfo else moment.replace(tzinfo=OSLO)
