"""`familieveiviser retention`: delete what the retention period says must go, now.

The server does the same every hour; this command is for cron-driven set-ups and for checking.
"""

import asyncio
from datetime import UTC, datetime

import typer

from admin.database import create_engine, create_session_factory
from admin.housekeeping import Housekeeping, tidy
from admin.schema import upgrade_database
from admin.settings import get_settings


def retention() -> None:
    """Delete conversations idle past the retention period and expired staff sessions."""
    settings = get_settings()

    async def run() -> Housekeeping:
        await upgrade_database(settings.database_url)
        engine = create_engine(settings.database_url)
        try:
            return await tidy(
                create_session_factory(engine), datetime.now(UTC), settings.retention_days
            )
        finally:
            await engine.dispose()

    done = asyncio.run(run())
    typer.echo(
        f"Retention {settings.retention_days} days: {done.conversations_deleted} conversations "
        f"deleted (anonymous statistics kept), {done.staff_sessions_purged} staff sessions purged."
    )
