"""Logging for the whole process: our own records at INFO, and library loggers held at levels
where they cannot carry a user's message text, a Telegram name or the bot token.

PTB logs API parameters and updates (text, names) at DEBUG, httpx logs URLs with the bot token at
INFO, and aiosqlite / SQLAlchemy log SQL parameters (message text) at DEBUG / INFO. Whatever level
an operator sets for the root logger, these stay where they are.
"""

import logging

from bot.channels.telegram_application import quiet_library_logs

# On top of what the Telegram channel already holds back (telegram, httpx, httpcore, aiosqlite):
# the database drivers, for every channel, stricter where both name a logger.
_HELD_BACK = {
    "aiosqlite": logging.WARNING,
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
    "asyncpg": logging.WARNING,
}


def configure_logging(level: int = logging.INFO) -> None:
    """Set up the root logger once and hold the talkative libraries back."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    hold_back_library_logs()


def hold_back_library_logs() -> None:
    quiet_library_logs()
    for name, level in _HELD_BACK.items():
        logging.getLogger(name).setLevel(level)
