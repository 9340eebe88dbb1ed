"""Plain helpers for staff-app tests: accounts in the database and a logged-in HTTP client."""

import re

import httpx
from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory, unit_of_work
from admin.staff.accounts import create_user
from admin.staff.models import Role, StaffUser

BASE_URL = "http://127.0.0.1:8000"
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "riktig-hest-batteri-stift"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]*)"')


async def add_staff(
    engine: AsyncEngine, username: str, role: Role = Role.VEILEDER, password: str = PASSWORD
) -> StaffUser:
    async with unit_of_work(create_session_factory(engine)) as session:
        return await create_user(session, username, password, role, actor="system")


async def post_login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    """Fill in and send the login form as a browser would."""
    page = await client.get("/admin/login")
    match = LOGIN_TOKEN.search(page.text)
    assert match, "the login form carries its own CSRF token"
    return await client.post(
        "/admin/login",
        data={"username": username, "password": password, "login_token": match.group(1)},
    )


async def log_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> str:
    """Log in and return the session's CSRF token, read from the page like admin.js does."""
    response = await post_login(client, username, password)
    assert response.status_code == 303, response.text
    return csrf_token_of(await client.get("/admin/"))


def csrf_token_of(page: httpx.Response) -> str:
    match = CSRF_META.search(page.text)
    assert match and match.group(1), "the page carries the session's CSRF token"
    return match.group(1)
