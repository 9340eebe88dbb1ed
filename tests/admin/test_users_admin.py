"""User administration by admins, and the command-line account tools."""

import re

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from typer.testing import CliRunner

from admin.commands import staff as staff_commands
from admin.staff.accounts import AccountError, change_role, create_user, find_user
from admin.staff.models import Role, StaffUser
from tests.admin.staff_factories import BASE_URL, PASSWORD, add_staff, log_in, post_login

SHOWN_PASSWORD = re.compile(r"<code>([^<]+)</code>")


async def test_admin_creates_a_user_who_can_log_in_with_the_password_shown_once(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    token = await log_in(client, "sjef")
    created = await client.post(
        "/admin/users", data={"username": "Nina.Hansen", "role": "redaktor", "csrf_token": token}
    )
    assert created.status_code == 200
    match = SHOWN_PASSWORD.search(created.text)
    assert match
    listing = await client.get("/admin/users")
    assert "nina.hansen" in listing.text and match.group(1) not in listing.text
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as nina:
        assert (await post_login(nina, "nina.hansen", match.group(1))).status_code == 303


async def test_taken_or_malformed_usernames_are_explained(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    token = await log_in(client, "sjef")
    taken = await client.post(
        "/admin/users", data={"username": "sjef", "role": "admin", "csrf_token": token}
    )
    assert taken.status_code == 400 and "allerede i bruk" in taken.text
    odd = await client.post(
        "/admin/users", data={"username": "<b>x</b>", "role": "admin", "csrf_token": token}
    )
    assert odd.status_code == 400 and "Brukernavnet må ha" in odd.text


async def test_deactivating_a_user_ends_their_sessions(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    ola = await add_staff(engine, "ola")
    token = await log_in(client, "sjef")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL
    ) as olas_browser:
        await log_in(olas_browser, "ola")
        response = await client.post(
            f"/admin/users/{ola.id}/active", data={"enabled": "false", "csrf_token": token}
        )
        assert response.status_code == 303
        assert (await olas_browser.get("/admin/")).status_code == 303
        assert (await post_login(olas_browser, "ola")).status_code == 401


async def test_the_last_admin_cannot_be_demoted(session: AsyncSession) -> None:
    boss = await create_user(session, "sjef", PASSWORD, Role.ADMIN, "system")
    with pytest.raises(AccountError):
        await change_role(session, boss, Role.VEILEDER, "sjef")
    await create_user(session, "nestleder", PASSWORD, Role.ADMIN, "system")
    await change_role(session, boss, Role.VEILEDER, "nestleder")
    assert boss.role is Role.VEILEDER


async def test_demo_account_gets_a_fresh_password_each_start(session: AsyncSession) -> None:
    first = await staff_commands.ensure_demo_account(session)
    second = await staff_commands.ensure_demo_account(session)
    assert first and second and first[0] == second[0] == "demo"
    assert first[1] != second[1]
    demo = await find_user(session, "demo")
    assert demo is not None and demo.role is Role.ADMIN
    assert len(list(await session.scalars(select(StaffUser)))) == 1


def test_create_user_command_reads_the_password_from_stdin(
    engine: AsyncEngine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def tables_already_made(url: str, revision: str = "head") -> None:
        return None

    monkeypatch.setenv("FAMILIEVEIVISER_DATABASE_URL", db_url)
    monkeypatch.setattr(staff_commands, "upgrade_database", tables_already_made)
    staff_commands.get_settings.cache_clear()
    try:
        runner = CliRunner()
        result = runner.invoke(
            staff_commands.app,
            ["create-user", "Kari", "--role", "admin", "--password-stdin"],
            input="et-langt-og-godt-passord\n",
        )
        short = runner.invoke(
            staff_commands.app, ["create-user", "ola", "--password-stdin"], input="kort\n"
        )
    finally:
        staff_commands.get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "et-langt-og-godt-passord" not in result.output
    assert short.exit_code == 1 and "minst 12 tegn" in short.output
