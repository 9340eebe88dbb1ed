"""`familieveiviser serve`: prepare the database and run the web server (one process)."""

import asyncio
import logging

import typer
import uvicorn

from admin.app import create_app
from admin.database import create_engine, create_session_factory, unit_of_work
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
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


async def prepare(settings: Settings) -> None:
    """Migrations first, then the demo data; both safe to repeat on every start."""
    typer.echo("Upgrading the database …", err=True)
    await upgrade_database(settings.database_url)
    if not settings.demo:
        return
    engine = create_engine(settings.database_url)
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            result = await seed_demo(session)
        typer.echo(f"Demo catalogue: {result}", err=True)
    finally:
        await engine.dispose()
    logging.getLogger(__name__).info("prepared database")
