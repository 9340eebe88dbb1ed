"""Replies as Telegram messages: escaped HTML, service cards as text blocks, inline keyboards.

Telegram refuses `tel:` links, so phone numbers are written out (every Telegram client makes a
number tappable); web and chat links become `<a>` links. Quick replies become an inline keyboard
whose callback data is the quick reply's payload, so a tap comes back as that payload.
"""

import html
import logging
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import ContactAction, QuickReply, Reply, ServiceCard
from services_catalog.matching import ContactKind

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4096  # Telegram's limit for one message's text
MAX_CALLBACK_BYTES = 64  # Telegram's limit for a button's callback data
BUTTONS_PER_ROW = 2
_ICONS = {
    ContactKind.PHONE: "📞",
    ContactKind.SMS: "💬",
    ContactKind.CHAT: "💬",
    ContactKind.WEB: "🌐",
    ContactKind.EMAIL: "✉️",
    ContactKind.ADDRESS: "📍",
}


@dataclass(frozen=True, slots=True)
class TelegramText:
    """One `sendMessage`: HTML text and, on the last part of a reply, its keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def render_reply(reply: Reply) -> list[TelegramText]:
    """One reply as one message (more when it is longer than Telegram allows)."""
    blocks = _escaped_pieces(reply.text)
    blocks.extend(render_card(card) for card in reply.cards)
    parts = _pack(blocks)
    keyboard = render_keyboard(reply.quick_replies)
    if not parts:
        return []
    return [TelegramText(p) for p in parts[:-1]] + [TelegramText(parts[-1], keyboard)]


def render_card(card: ServiceCard) -> str:
    """A service card as a short block: name, what it helps with, contacts, open now, badges."""
    lines = [f"<b>{html.escape(card.name)}</b>"]
    if card.summary:
        lines.append(html.escape(card.summary))
    lines.extend(_contact_line(action) for action in card.actions)
    status = " · ".join(part for part in (card.availability, *card.badges) if part)
    if status:
        lines.append(html.escape(status))
    if card.verified_note:
        lines.append(f"<i>{html.escape(card.verified_note)}</i>")
    return "\n".join(lines)


def _contact_line(action: ContactAction) -> str:
    icon = _ICONS.get(action.kind, "•")
    label = html.escape(action.label)
    display = html.escape(action.display)
    url = action.url or ""
    if url.startswith(("https://", "http://")):
        return f'{icon} {label}: <a href="{html.escape(url, quote=True)}">{display}</a>'
    return f"{icon} {label}: {display}"  # tel:, sms:, mailto: and addresses stay plain text


def render_keyboard(quick_replies: tuple[QuickReply, ...]) -> InlineKeyboardMarkup | None:
    """Quick replies as inline buttons, two to a row; the callback data is the payload."""
    buttons = []
    for quick in quick_replies:
        if len(quick.payload.encode()) > MAX_CALLBACK_BYTES:
            log.warning("quick reply payload too long for Telegram; button left out")
            continue
        buttons.append(InlineKeyboardButton(quick.label, callback_data=quick.payload))
    if not buttons:
        return None
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def _pack(blocks: list[str]) -> list[str]:
    """Blocks joined by blank lines into as few messages as Telegram's length limit allows."""
    parts: list[str] = []
    for block in blocks:  # text pieces fit by construction; a card is a few short lines
        if parts and len(parts[-1]) + 2 + len(block) <= MAX_MESSAGE_CHARS:
            parts[-1] = f"{parts[-1]}\n\n{block}"
        else:
            parts.append(block)
    return parts


def _escaped_pieces(text: str) -> list[str]:
    """Text escaped for HTML and cut so that no piece (and no entity) crosses the limit."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        escaped = html.escape(char)
        if size + len(escaped) > MAX_MESSAGE_CHARS:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(escaped)
        size += len(escaped)
    if current:
        pieces.append("".join(current))
    return pieces
