"""The terminal chat: `familieveiviser chat` as a real subprocess, and its rendering in-process."""

import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory
from bot.channels.context import ChannelContext
from bot.channels.terminal import TerminalChat
from bot.conversations import add_message, find_open
from bot.dialogue.texts import say
from bot.models import Channel, Sender
from bot.pseudonyms import user_key
from tests.bot.channels.telegram_setup import family_deps
from tests.bot.factories import SECRET

CLI = [sys.executable, "-c", "from admin.cli import main; main()", "chat", "--user", "test-user"]
GREETING = "Hei! Jeg er Familieveiviseren"


def run_chat(tmp_path: Path, lines: list[str]) -> str:
    """One run of `familieveiviser chat` with piped input; its standard output."""
    env = {
        **os.environ,
        "FAMILIEVEIVISER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/chat.sqlite3",
        "FAMILIEVEIVISER_DEMO": "true",
        "PYTHONPATH": str(Path(__file__).parents[3]),
    }
    done = subprocess.run(
        CLI,
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def embedded_nlu_missing() -> bool:
    from admin.app import build_nlu
    from admin.settings import Settings

    try:
        build_nlu(Settings())
    except NotImplementedError:
        return True
    return False


def test_a_piped_chat_greets_and_a_second_run_continues_the_conversation(tmp_path: Path) -> None:
    first = run_chat(tmp_path, ["hei", "/person"])

    assert first.startswith("> hei\n◆ ")
    assert GREETING in first
    assert "> /person" in first

    second = run_chat(tmp_path, ["/nynorsk", "/avslutt", "hei igjen"])

    assert GREETING not in second  # not greeted again: the same conversation goes on
    assert second.index("◆") < second.index("> /nynorsk")  # its last message is shown first
    assert say("nn", "language.changed") in second
    assert "hei igjen" not in second  # /avslutt ended the run


@pytest.mark.skipif(embedded_nlu_missing(), reason="the embedded NLU engine is not available yet")
def test_a_question_gets_a_routed_answer_with_cards(tmp_path: Path) -> None:
    out = run_chat(tmp_path, ["Datteren min på 2 år sover dårlig om natta"])

    assert "  ┌ " in out and "Helsestasjon" in out


# --- in-process: choices, cards, deletion and staff replies -----------------------------------


def chat_on(engine: AsyncEngine) -> tuple[TerminalChat, io.StringIO]:
    out = io.StringIO()
    context = ChannelContext(sessions=create_session_factory(engine), deps=family_deps())
    return TerminalChat(context, "tester", out), out


async def test_a_number_taps_the_choice_and_cards_are_compact(engine: AsyncEngine) -> None:
    chat, out = chat_on(engine)

    await chat.send("Sønnen min på 2 år sover dårlig")
    shown = out.getvalue()
    assert "  ┌ Hjelp Small Children\n  │ Hjelp fra hjelp-small-children\n" in shown
    assert "  │ Ring: 11611" in shown
    assert "[1] Ja   [2] Nei   [3] Snakk med en person" in shown

    await chat.send("2")  # "Nei": the payload helped:no
    assert out.getvalue()[len(shown) :].startswith("◆ Så synd.")


async def test_slett_deletes_after_confirming(engine: AsyncEngine) -> None:
    chat, out = chat_on(engine)
    await chat.send("hei")

    await chat.send("/slett")
    await chat.send("1")  # yes, delete

    async with create_session_factory(engine)() as session:
        key = user_key(SECRET, Channel.TERMINAL, "tester")
        assert await find_open(session, Channel.TERMINAL, key) is None
    assert say("nb", "delete.done") in out.getvalue()


async def test_a_staff_reply_shows_up_while_waiting(engine: AsyncEngine) -> None:
    chat, out = chat_on(engine)
    await chat.send("hei")
    async with create_session_factory(engine)() as session:
        key = user_key(SECRET, Channel.TERMINAL, "tester")
        conversation = await find_open(session, Channel.TERMINAL, key)
        assert conversation is not None
        await add_message(
            session, conversation, sender=Sender.STAFF, staff_id=1, text="Hei, jeg er Siri.",
            now=datetime.now(UTC),
        )  # fmt: skip
        await session.commit()

    await chat.check_new()

    assert out.getvalue().endswith("● Hei, jeg er Siri.\n")
