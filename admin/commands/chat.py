"""`familieveiviser chat`: try the assistant in a terminal, on the same engine and database."""

import asyncio
import getpass

import typer

from admin.commands.server import prepare
from admin.database import create_engine, create_session_factory
from admin.settings import Settings, get_settings
from bot.channels.terminal import run_terminal


def chat(
    user: str = typer.Option(
        "",
        help="Who is chatting (kept only as a pseudonymous key); the same name continues the "
        "same conversation. Default: your login name.",
    ),
) -> None:
    """Chat with the assistant in this terminal. Numbers pick a choice; /avslutt or Ctrl-D quits."""
    settings = get_settings()
    try:
        asyncio.run(_chat(settings, user or f"terminal-{getpass.getuser()}"))
    except KeyboardInterrupt:
        typer.echo("", err=True)


async def _chat(settings: Settings, user: str) -> None:
    from admin.app import build_channel_context  # the app module is heavy; only this command

    await prepare(settings)  # migrations, and the demo catalogue in demo mode
    engine = create_engine(settings.database_url)
    try:
        context = build_channel_context(settings, create_session_factory(engine))
        await run_terminal(context, user_id=user)
    finally:
        await engine.dispose()
