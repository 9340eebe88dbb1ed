"""The web chat's page and widget: `/` (a page a municipality can link to), `/chat/embed` (the same
page inside the widget's iframe), `/widget.js` (the one `<script>` a municipality adds to its
site) and the page's static files under `/chat/static/`.

The page is one Jinja2 template (`templates/chat.html`) filled with the words of the chosen
language (`webchat_texts`) and the emergency numbers of the catalogue; CSS and one small vanilla
JS file are plain files. No build step, no inline script or style (a strict CSP applies), no
third-party anything and no cookies.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.context import ChannelContext
from bot.channels.webchat import Context
from bot.channels.webchat import router as api_router
from bot.channels.webchat_texts import choose_language, words
from bot.dialogue.cards import build_cards, describe_phones
from bot.dialogue.courtesy import GREETING_LINES
from bot.dialogue.texts import LANGUAGES, say
from nlu.interpretation import Language
from services_catalog.matching import ContactKind, ServiceMatch

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PATH = "/chat/static"
EMBED_PATH = "/chat/embed"

log = logging.getLogger(__name__)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
page_router = APIRouter(tags=["web chat page"], include_in_schema=False)
AskedLanguage = Annotated[str | None, Query(alias="lang", max_length=20)]


@dataclass(frozen=True, slots=True)
class EmergencyLine:
    """One number on the welcome: «113» linked to `tel:113`, then « (medisinsk nødhjelp)»."""

    number: str
    url: str
    note: str


@page_router.get("/")
async def chat_page(
    request: Request, context: Context, asked: AskedLanguage = None
) -> HTMLResponse:
    """The chat as a page of its own."""
    return await render_page(request, context, asked, embedded=False)


@page_router.get(EMBED_PATH)
async def embedded_chat_page(
    request: Request, context: Context, asked: AskedLanguage = None
) -> HTMLResponse:
    """The same page, framed by the widget on the municipality's site."""
    return await render_page(request, context, asked, embedded=True)


@page_router.get("/widget.js")
async def widget_script() -> FileResponse:
    return FileResponse(
        STATIC_DIR / "widget.js",
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )


async def render_page(
    request: Request, context: ChannelContext, asked: str | None, *, embedded: bool
) -> HTMLResponse:
    """The page in the asked or accepted language, with every language's words for `chat.js`.

    All three languages go into the page (a few kilobytes) so the labels can follow the
    conversation's language without another request and without inline script.
    """
    default = context.deps.default_language
    language = choose_language(asked, request.headers.get("accept-language"), default)
    lines = await emergency_lines(context)
    page_words = {code: _words_for_page(code, lines.get(code, [])) for code in LANGUAGES}
    return templates.TemplateResponse(
        request,
        "chat.html",
        {
            "lang": language.value,
            "default_lang": default.value,
            "t": words(language),
            "urgent": page_words[language]["urgent"],
            "languages": [(code.value, words(code)["page.language_name"]) for code in LANGUAGES],
            "page_words": {code.value: value for code, value in page_words.items()},
            "embedded": embedded,
        },
        headers={"Cache-Control": "no-cache", "Vary": "Accept-Language"},
    )


def _words_for_page(language: Language, lines: list[EmergencyLine]) -> dict[str, Any]:
    """One language's words and its «Haster det? Ring …» line, as `chat.js` reads them."""
    sentence = say(language, "greeting.emergency")  # the bot's own sentence: «… Ring {lines}.»
    if lines:
        before, _, after = sentence.partition("{lines}")
    else:  # never a made-up number: the bot's own words for «the emergency number»
        before, after = sentence.format(lines=say(language, "greeting.no_lines")), ""
    urgent = {"before": before, "after": after, "lines": [asdict(line) for line in lines]}
    return {"words": words(language), "urgent": urgent}


async def emergency_lines(context: ChannelContext) -> dict[Language, list[EmergencyLine]]:
    """The numbers the bot's greeting gives, from the catalogue, in every page language.

    The same catalogue entries, lookup and wording as the bot's greeting (`GREETING_LINES`,
    `describe_phones`), so an editor's correction reaches the page too. Empty when the catalogue
    cannot be read: the page must still open, and it names no number rather than a made-up one.
    """
    now = context.deps.clock()
    try:
        async with context.sessions() as session:
            lookup = context.deps.services(session, now)
            found = {code: await lookup.get(GREETING_LINES, code) for code in LANGUAGES}
    except (SQLAlchemyError, OSError) as error:
        log.warning("the welcome names no numbers, the catalogue was not readable: %r", error)
        return {}
    return {code: _phone_lines(matches, code, now) for code, matches in found.items()}


def _phone_lines(
    matches: list[ServiceMatch], language: Language, now: datetime
) -> list[EmergencyLine]:
    # The cards give each phone's tap-ready link and number, the greeting's phrases what it is
    # («113 (medisinsk nødhjelp)»); both list the phone contacts in catalogue order.
    phones = [
        action
        for card in build_cards(matches, language, now)
        for action in card.actions
        if action.kind == ContactKind.PHONE
    ]
    return [
        EmergencyLine(number=phone.display, url=phone.url, note=phrase.removeprefix(phone.display))
        for phone, phrase in zip(phones, describe_phones(matches), strict=True)
        if phone.url
    ]


def install_webchat(app: FastAPI) -> None:
    """Mount the page, the widget, the static files and the JSON API on the app."""
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="chat-static")
    app.include_router(page_router)
    app.include_router(api_router)
