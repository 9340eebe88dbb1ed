"""The web chat's own words and which language a browser gets them in.

Everything the web channel says around the conversation (the page's labels, buttons and dialogs,
what `chat.js` writes into the log, the API's own sentences) lives in one file per language,
`texts/webchat.{nb,nn,en}.yml`, with the same keys (`page.send`, `api.too_long`). They sit beside
the channel rather than in `bot/dialogue/texts` because they exist only on the web page: the
dialogue and Telegram never say them, and a translator of the page finds them here. What the bot
says in the conversation stays in `bot/dialogue/texts`; phone numbers are in neither.

The language is `?lang=` when the page asks for one, else the browser's `Accept-Language`
(Nynorsk, English, or Bokmål), else the deployment's default language.
"""

from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from fastapi import Depends, Header, Request

from bot.channels.context import ChannelContext
from bot.dialogue.texts import LANGUAGES
from nlu.interpretation import Language

TEXTS_DIR = Path(__file__).parent / "texts"

# Language tags as browsers and people write them; anything else is not a page language.
_TAGS = {
    "nb": Language.BOKMAAL,
    "no": Language.BOKMAAL,
    "nn": Language.NYNORSK,
    "nynorsk": Language.NYNORSK,
    "en": Language.ENGLISH,
}


def say(language: Language, key: str) -> str:
    """The web chat's sentence `key` (`api.empty_message`) in `language`."""
    return words(language)[key]


class Sentence:
    """One of the API's sentences in every language: `EMPTY_MESSAGE[language]`."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __getitem__(self, language: Language) -> str:
        return say(language, self.key)


EMPTY_MESSAGE = Sentence("api.empty_message")
TOO_LONG = Sentence("api.too_long")
UNKNOWN_KEY = Sentence("api.unknown_key")
NO_CONVERSATION = Sentence("api.no_conversation")
CONVERSATION_CLOSED = Sentence("api.conversation_closed")
CODE_NOT_FOUND = Sentence("api.code_not_found")
TOO_MANY_CODE_TRIES = Sentence("api.too_many_code_tries")
NOT_RATEABLE = Sentence("api.not_rateable")
NOTHING_TO_DELETE = Sentence("api.nothing_to_delete")


@cache
def words(language: Language) -> dict[str, str]:
    """All of one language's words, by `section.key`."""
    path = TEXTS_DIR / f"webchat.{Language(language).value}.yml"
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        f"{section}.{key}": str(text)
        for section, entries in tree.items()
        for key, text in entries.items()
    }


def language_of_tag(tag: str) -> Language | None:
    """`nn-NO` -> Nynorsk, `no-nyn` -> Nynorsk, `en-GB` -> English, `sv` -> None."""
    tag = tag.strip().lower().replace("_", "-")
    if tag == "no-nyn":  # the old registered tag for Nynorsk
        return Language.NYNORSK
    return _TAGS.get(tag.split("-", 1)[0])


def preferred_language(accept_language: str | None) -> Language | None:
    """The page language an `Accept-Language` header ranks highest; None when it names none."""
    best: Language | None = None
    best_quality = 0.0
    for part in (accept_language or "").split(","):
        tag, _, parameters = part.partition(";")
        language = language_of_tag(tag)
        quality = _quality(parameters)
        if language is not None and quality > best_quality:  # ties: the first named wins
            best, best_quality = language, quality
    return best


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def choose_language(asked: str | None, accept_language: str | None, default: Language) -> Language:
    """`?lang=` if it names a page language, else `Accept-Language`, else the default."""
    chosen = (language_of_tag(asked) if asked else None) or preferred_language(accept_language)
    if chosen is None:
        chosen = default if default in LANGUAGES else Language.BOKMAAL
    return chosen


def default_language(request: Request) -> Language:
    """The language a new conversation starts in (FAMILIEVEIVISER_DEFAULT_LANGUAGE)."""
    context: ChannelContext = request.app.state.channel_context
    return context.deps.default_language


async def request_language(  # async: FastAPI would run a plain def in a worker thread
    request: Request,
    accept_language: Annotated[
        str | None,
        Header(
            description="The language of the sentences the API writes itself (`detail`, "
            "`message`): `nb`, `nn` or `en`, as browsers send it (`nn-NO,nn;q=0.9`). Without "
            "it: the deployment's default language (Bokmål unless configured). The page sends "
            "its own language. The bot's replies follow the conversation's language instead."
        ),
    ] = None,
) -> Language:
    """The language the API's own sentences are written in for this request."""
    return choose_language(None, accept_language, default_language(request))


ChatLanguage = Annotated[Language, Depends(request_language)]
