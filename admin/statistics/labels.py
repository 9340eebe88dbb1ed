"""Norwegian names for the categories the statistics count."""

from bot.models import Channel, Outcome
from nlu.interpretation import CrisisLevel

CHANNELS = {Channel.WEB: "Nettchat", Channel.TELEGRAM: "Telegram", Channel.TERMINAL: "Terminal"}
CRISIS_LEVELS = {CrisisLevel.CONCERN: "Bekymring", CrisisLevel.ACUTE: "Akutt"}
OUTCOMES = {
    Outcome.REFERRED: "Henvist til en tjeneste",
    Outcome.ADVICE_GIVEN: "Råd gitt",
    Outcome.EMERGENCY_CONTACTED: "Nødetater kontaktet",
    Outcome.NO_FURTHER_NEED: "Ikke behov for mer",
    Outcome.USER_LEFT: "Brukeren gikk",
}
