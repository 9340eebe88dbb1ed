"""The `familieveiviser` command line: serving, the database, the catalogue, the NLU.

Each group of commands lives in `admin/commands/`; this module only assembles them.
"""

import typer

from admin.commands import catalogue, database, server

app = typer.Typer(
    name="familieveiviser",
    help="Familieveiviser: a guidance line for families, children and youth.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(database.app, name="db", help="Database schema.")
app.add_typer(catalogue.app, name="catalogue", help="The services catalogue.")
app.command("serve")(server.serve)


def main() -> None:
    app()
