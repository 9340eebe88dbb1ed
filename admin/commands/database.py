"""`familieveiviser db …`: upgrading the schema by hand."""

import asyncio

import typer

from admin.schema import current_revision, head_revision, upgrade_database
from admin.settings import get_settings

app = typer.Typer(no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    url = get_settings().database_url
    typer.echo("Upgrading the database …", err=True)
    asyncio.run(upgrade_database(url, revision))
    typer.echo(f"Database at revision {asyncio.run(current_revision(url))}.")


@app.command("current")
def current() -> None:
    """Print the database's revision and the newest one."""
    url = get_settings().database_url
    typer.echo(f"current: {asyncio.run(current_revision(url))}\nhead:    {head_revision()}")
