"""`familieveiviser admin …`: staff accounts from the command line, and the demo account.

Passwords are read from a hidden prompt or from standard input, never from an argument (which
would end up in the shell history and the process list) and never echoed.
"""

import asyncio
import sys
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from admin.database import create_engine, create_session_factory, unit_of_work
from admin.schema import upgrade_database
from admin.settings import get_settings
from admin.staff.accounts import AccountError, create_user, find_user, reset_password
from admin.staff.models import SYSTEM_ACTOR, Role
from admin.staff.passwords import MIN_PASSWORD_LENGTH, WeakPasswordError, generate_password

DEMO_USERNAME = "demo"

app = typer.Typer(no_args_is_help=True)


@app.callback()
def staff_accounts() -> None:
    """Staff accounts of the admin app."""


@app.command("create-user")
def create_user_command(
    username: Annotated[str, typer.Argument(help="Login name: lowercase letters, digits, . - _")],
    role: Annotated[Role, typer.Option(help="veileder, redaktor or admin")] = Role.VEILEDER,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Create a staff account (use --role admin for the first administrator)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(
            f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
            hide_input=True,
            confirmation_prompt=True,
        )
    try:
        asyncio.run(_create(username, password, role))
    except (AccountError, WeakPasswordError) as error:
        typer.echo(f"Not created: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"Created {role.value} account {username.strip().lower()!r}.")


async def _create(username: str, password: str, role: Role) -> None:
    url = get_settings().database_url
    await upgrade_database(url)
    engine = create_engine(url)
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            await create_user(session, username, password, role, SYSTEM_ACTOR)
    finally:
        await engine.dispose()


async def ensure_demo_account(session: AsyncSession) -> tuple[str, str] | None:
    """Give the local demo admin a fresh random password, creating it if needed.

    Call only in demo mode. Returns (username, password) for the run command to print once;
    None when the demo name belongs to a non-admin account, which is left untouched.
    """
    password = generate_password()
    user = await find_user(session, DEMO_USERNAME)
    if user is None:
        await create_user(session, DEMO_USERNAME, password, Role.ADMIN, SYSTEM_ACTOR)
    elif user.role is Role.ADMIN and user.active:
        await reset_password(session, user, password, SYSTEM_ACTOR)
    else:
        return None
    return DEMO_USERNAME, password
