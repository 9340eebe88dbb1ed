"""`familieveiviser serve`: prepare the database and run the web server (one process)."""

import asyncio

import typer
import uvicorn

from admin.app import create_app
from admin.commands.staff import ensure_demo_account
from admin.database import session_for
from admin.schema import upgrade_database
from admin.settings import InsecureSettingsError, Settings, get_settings
from services_catalog.seeding import seed_demo


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
) -> None:
    """Upgrade the database, seed the demo data (demo mode) and serve the app."""
    settings = get_settings()
    try:
        settings.check_production_secrets()
    except InsecureSettingsError as error:
        typer.echo(f"Refusing to start: {error}", err=True)
        raise typer.Exit(2) from error
    asyncio.run(prepare(settings))
    typer.echo(f"Familieveiviser is running on http://{host}:{port}/ (Ctrl+C stops it)")
    # No access log: it would record every visitor's IP address and costs time per request.
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=False)


async def prepare(settings: Settings) -> None:
    """Migrations first, then the demo data; both safe to repeat on every start."""
    typer.echo("Upgrading the database …", err=True)
    await upgrade_database(settings.database_url)
    if not settings.demo:
        return
    async with session_for(settings.database_url) as session:
        result = await seed_demo(session)
        account = await ensure_demo_account(session)
    typer.echo(f"Demo catalogue: {result}.", err=True)
    if account is not None:
        username, password = account
        typer.echo(
            f"Demo staff account (demo mode only): {username} / {password}\n"
            "  log in at /admin/ on this server",
            err=True,
        )
