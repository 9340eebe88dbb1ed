"""The terminal chat: the same dialogue, database and texts as every other channel, in a terminal.

Quick replies are numbered choices (typing the number taps the button); service cards are compact
text blocks. Replies are read back from the stored transcript, as the web chat does, so a staff
reply shows up too (checked every few seconds while waiting for input). Reads one message per
line from any stream, so it works interactively (Ctrl-D or `/avslutt` quits) and with piped input.
"""

import asyncio
import contextlib
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from bot.channels.context import ChannelContext
from bot.conversations import find_open, transcript
from bot.delivery import read_for_user
from bot.inbound import InboundMessage, handle_message
from bot.messages import QuickReply, Reply, ServiceCard
from bot.models import Channel, DeliveryState, Message, Sender
from bot.pseudonyms import user_key
from bot.transcript import reply_of

QUIT_COMMANDS = frozenset({"/avslutt", "/quit", "/exit"})
WIDTH = 78
_MARKS = {Sender.BOT: "◆", Sender.STAFF: "●", Sender.SYSTEM: "·"}


@dataclass
class TerminalChat:
    """One terminal user's chat: sends lines, prints what the bot and staff say."""

    context: ChannelContext
    user_id: str
    out: TextIO = field(default_factory=lambda: sys.stdout)
    choices: tuple[QuickReply, ...] = ()
    last_seen: int = 0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def resume(self) -> None:
        """Continue an open conversation: show its last bot message (and its choices)."""
        key = user_key(self.context.deps.secret, Channel.TERMINAL, self.user_id)
        async with self.context.sessions() as session:
            conversation = await find_open(session, Channel.TERMINAL, key)
            if conversation is None:
                return
            messages = await transcript(session, conversation.id)
        said = [
            m for m in messages if m.sender in _MARKS and m.delivery is not DeliveryState.INTERNAL
        ]
        if said:
            self._show_message(said[-1])
        self.last_seen = messages[-1].id if messages else 0

    async def send(self, line: str) -> None:
        """One typed line (or the payload of a numbered choice) through the inbound use case."""
        text = self._chosen_payload(line) or line
        inbound = InboundMessage(channel=Channel.TERMINAL, channel_user_id=self.user_id, text=text)
        async with self._lock, self.context.sessions() as session:
            result = await handle_message(session, inbound, self.context.deps)
            if result.deleted or result.conversation_id is None:
                await session.commit()
                self.choices, self.last_seen = (), 0
                for reply in result.replies:
                    self._show(Sender.BOT, reply)
                return
            messages = await read_for_user(
                session, result.conversation_id, self.context.deps.clock(), after_id=self.last_seen
            )
            await session.commit()
            self._show_all(messages)

    async def check_new(self) -> None:
        """Print what arrived since the last message (a staff reply while the user waits)."""
        key = user_key(self.context.deps.secret, Channel.TERMINAL, self.user_id)
        async with self._lock, self.context.sessions() as session:
            conversation = await find_open(session, Channel.TERMINAL, key)
            if conversation is None or self.last_seen == 0:
                return
            messages = await read_for_user(
                session, conversation.id, datetime.now(UTC), after_id=self.last_seen
            )
            await session.commit()
        self._show_all(messages)

    def _show_all(self, messages: list[Message]) -> None:
        for message in messages:
            self.last_seen = max(self.last_seen, message.id)
            if message.sender is not Sender.USER:
                self._show_message(message)

    def _show_message(self, message: Message) -> None:
        self._show(message.sender, reply_of(message))

    def _show(self, sender: Sender, reply: Reply) -> None:
        self.out.write(render_reply(reply, mark=_MARKS.get(sender, "◆")))
        self.out.flush()
        if reply.quick_replies or sender is not Sender.SYSTEM:
            self.choices = reply.quick_replies

    def _chosen_payload(self, line: str) -> str | None:
        number = line.strip()
        if number.isdigit() and 1 <= int(number) <= len(self.choices):
            return self.choices[int(number) - 1].payload
        return None


def render_reply(reply: Reply, mark: str = "◆") -> str:
    """A reply as terminal text: the bubble, its cards, its numbered choices."""
    lines = _wrapped(reply.text, f"{mark} ", "  ") if reply.text else []
    for card in reply.cards:
        lines.extend(render_card(card))
    if reply.quick_replies:
        numbered = "   ".join(f"[{n}] {q.label}" for n, q in enumerate(reply.quick_replies, 1))
        lines.extend(_wrapped(numbered, "  ", "  "))
    return "\n".join(lines) + "\n"


def render_card(card: ServiceCard) -> list[str]:
    """A service card in a few short lines, numbers and links written out."""
    lines = [f"  ┌ {card.name}"]
    if card.summary:
        lines.extend(_wrapped(card.summary, "  │ ", "  │ "))
    for action in card.actions:
        where = action.display
        if action.url and action.url.startswith("tel:"):
            where = f"{action.display} ({action.url})"
        elif action.url and action.url.startswith("http"):
            where = action.url
        lines.append(f"  │ {action.label}: {where}")
    status = " · ".join(part for part in (card.availability, *card.badges) if part)
    if status:
        lines.append(f"  │ {status}")
    lines.append(f"  └ {card.verified_note}" if card.verified_note else "  └")
    return lines


def _wrapped(text: str, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        indent = first if not lines else rest
        lines.extend(
            textwrap.wrap(paragraph, WIDTH, initial_indent=indent, subsequent_indent=rest)
            or [indent.rstrip()]
        )
    return lines


async def run_terminal(
    context: ChannelContext,
    *,
    user_id: str,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    poll_seconds: float = 3.0,
) -> None:
    """Chat until end of input or `/avslutt`; a prompt and staff replies when interactive."""
    source = stdin or sys.stdin
    chat = TerminalChat(context, user_id, out or sys.stdout)
    interactive = source.isatty()
    await chat.resume()
    watcher = asyncio.create_task(_watch(chat, poll_seconds)) if interactive else None
    try:
        while True:
            if interactive:
                chat.out.write("> ")
                chat.out.flush()
            line = await asyncio.to_thread(source.readline)
            if not line:  # end of input (Ctrl-D)
                break
            line = line.rstrip("\n")
            if not interactive:
                chat.out.write(f"> {line}\n")  # a piped transcript reads like a chat
            if line.strip().lower() in QUIT_COMMANDS:
                break
            if line.strip():
                await chat.send(line)
    finally:
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher


async def _watch(chat: TerminalChat, poll_seconds: float) -> None:
    while True:
        await asyncio.sleep(poll_seconds)
        with contextlib.suppress(Exception):  # a busy database: try again at the next tick
            await chat.check_new()
