"""The `familieveiviser` command line: serving, the database, the catalogue, the NLU.

Each group of commands lives in `admin/commands/`; this module only assembles them.
"""

import typer

from admin.commands import bench, catalogue, chat, database, nlu, rasa, retention, server, staff

app = typer.Typer(
    name="familieveiviser",
    help="Familieveiviser: a guidance line for families, children and youth.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(database.app, name="db", help="Database schema.")
app.add_typer(catalogue.app, name="catalogue", help="The services catalogue.")
app.add_typer(staff.app, name="admin", help="Staff accounts.")
app.add_typer(rasa.app, name="rasa", help="A real Rasa server as the optional NLU engine.")
app.add_typer(nlu.app, name="nlu", help="Evaluate and benchmark the NLU.")
app.add_typer(bench.app, name="bench", help="Load tests against a server on this machine.")
app.command("route")(nlu.route_command)
app.command("serve")(server.serve)
app.command("retention")(retention.retention)
app.command("chat")(chat.chat)


def main() -> None:
    app()
