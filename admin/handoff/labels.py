"""Norwegian words for the handoff screens: priorities, channels, roles, outcomes, delivery.

The staff app is Norwegian only; these are labels for staff, never sentences to users (those
live in `bot/dialogue/texts`).
"""

from bot.models import Channel, DeliveryState, Outcome, Sender
from nlu.interpretation import CrisisLevel
from services_catalog.topics import Topic, topic_label

PRIORITY_LABELS = {"acute": "Akutt", "concern": "Bekymring", "normal": "Vanlig"}
CHANNEL_LABELS = {
    Channel.WEB: "Nettchat",
    Channel.TELEGRAM: "Telegram",
    Channel.TERMINAL: "Terminal",
}
USER_ROLE_LABELS = {
    "parent": "Forelder",
    "youth": "Ungdom",
    "child": "Barn",
    "professional": "Fagperson",
}
CRISIS_LABELS = {CrisisLevel.ACUTE: "Akutt krise", CrisisLevel.CONCERN: "Bekymring"}
OUTCOME_LABELS = {
    Outcome.REFERRED: "Henvist til tjeneste",
    Outcome.ADVICE_GIVEN: "Råd gitt",
    Outcome.EMERGENCY_CONTACTED: "Nødetater kontaktet",
    Outcome.NO_FURTHER_NEED: "Ikke behov for mer hjelp",
    Outcome.USER_LEFT: "Brukeren forlot samtalen",
}
SENDER_LABELS = {
    Sender.USER: "Bruker",
    Sender.BOT: "Chatbot",
    Sender.STAFF: "Veileder",
    Sender.SYSTEM: "System",
}
DELIVERY_LABELS = {
    DeliveryState.PENDING: "Venter på levering",
    DeliveryState.DELIVERED: "Levert",
    DeliveryState.FAILED: "Levering feilet",
    DeliveryState.RECEIVED: "",
    DeliveryState.INTERNAL: "Bare for ansatte",
}


def label_topic(slug: str) -> str:
    """The topic's Bokmål label; an unknown slug (an older model's) is shown as it is."""
    try:
        return topic_label(Topic(slug))
    except ValueError:
        return slug


def label_user_role(role: str | None) -> str:
    return USER_ROLE_LABELS.get(role or "", role or "")


def format_waiting(seconds: int) -> str:
    """`under 1 min`, `4 min`, `1 t 5 min`: short enough for a queue row."""
    if seconds < 60:
        return "under 1 min"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} t {rest} min" if rest else f"{hours} t"
