"""`familieveiviser catalogue …`: list, show, export and import the services catalogue."""

import asyncio
import sys
from pathlib import Path

import typer
import yaml

from admin.database import session_for
from admin.schema import upgrade_database
from admin.settings import get_settings
from services_catalog.formats import CatalogueFormat, read_catalogue, write_catalogue
from services_catalog.importing import ImportReport, export_catalogue, import_catalogue
from services_catalog.problems import CatalogueError
from services_catalog.queries import get_service, list_services
from services_catalog.rows import service_record

app = typer.Typer(no_args_is_help=True)
IMPORTED_BY = "cli:import"


async def _url() -> str:
    """The configured database, upgraded first so a fresh checkout works."""
    url = get_settings().database_url
    await upgrade_database(url)
    return url


@app.command("list")
def list_command() -> None:
    """One line per service: slug, status, last verified, name."""

    async def run() -> None:
        async with session_for(await _url()) as session:
            for service in await list_services(session):
                verified = service.last_verified_on or "never"
                typer.echo(
                    f"{service.slug:<28} {service.status:<19} {verified!s:<11} {service.name_nb}"
                )

    asyncio.run(run())


@app.command("show")
def show(slug: str) -> None:
    """Everything the catalogue says about one service, as YAML."""

    async def run() -> None:
        async with session_for(await _url()) as session:
            service = await get_service(session, slug)
            if service is None:
                typer.echo(f"No service with slug {slug!r}.", err=True)
                raise typer.Exit(1)
            record = service_record(service).model_dump(mode="json", exclude_none=True)
        typer.echo(yaml.safe_dump(record, allow_unicode=True, sort_keys=False))

    asyncio.run(run())


@app.command("export")
def export(
    file: Path | None = typer.Argument(None, help="Write here instead of standard output"),
    file_format: CatalogueFormat = typer.Option(
        CatalogueFormat.YAML, "--format", help="hsds (JSON) or yaml"
    ),
) -> None:
    """Export the whole catalogue (HSDS 3.0 JSON or the project's YAML data file)."""

    async def run() -> str:
        async with session_for(await _url()) as session:
            catalogue = await export_catalogue(session)
        return write_catalogue(catalogue, file_format)

    text = asyncio.run(run())
    if file is None:
        sys.stdout.write(text)
        return
    file.write_text(text, encoding="utf-8")
    typer.echo(f"Exported to {file}.", err=True)


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report, write nothing"),
) -> None:
    """Validate the whole file, then import all of it or nothing (HSDS JSON or YAML)."""
    try:
        catalogue = read_catalogue(file.read_text(encoding="utf-8"), CatalogueFormat.for_path(file))
    except CatalogueError as error:
        typer.echo(f"{file}: {error}", err=True)
        raise typer.Exit(1) from error
    except UnicodeDecodeError as error:
        typer.echo(f"{file}: not a UTF-8 text file ({error.reason})", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"{file}: {len(catalogue.services)} services valid.", err=True)

    async def run() -> ImportReport:
        async with session_for(await _url()) as session:
            return await import_catalogue(
                session, catalogue, changed_by=IMPORTED_BY, dry_run=dry_run
            )

    report = asyncio.run(run())
    for slug in report.created:
        typer.echo(f"  + {slug}")
    for slug, fields in report.updated.items():
        typer.echo(f"  ~ {slug}: {', '.join(fields)}")
    typer.echo(report.summary())
