"""Logging in and out: sessions, cookies, one generic error, lockout with back-off, per-IP limit."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.app import create_app
from admin.database import create_session_factory, unit_of_work
from admin.settings import Environment, Settings
from admin.staff.dependencies import get_now
from admin.staff.login import LoginThrottle, lock_duration
from admin.staff.models import Role, StaffUser
from admin.staff.routes.auth import LOGIN_FAILED, TOO_MANY
from tests.admin.staff_factories import (
    BASE_URL,
    CHEAP_HASHER,
    PASSWORD,
    add_staff,
    log_in,
    post_login,
)

T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def set_clock(app: FastAPI, moment: datetime) -> None:
    app.dependency_overrides[get_now] = lambda: moment


async def test_right_password_starts_a_session_with_a_strict_cookie(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "kari")
    response = await post_login(client, "kari")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("fv_staff="))
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Path=/admin" in cookie
    page = await client.get("/admin/")
    assert page.status_code == 200
    assert "Hei, kari" in page.text


async def test_cookie_is_secure_in_production(engine: AsyncEngine, db_url: str) -> None:
    settings = Settings(
        _env_file=None,
        database_url=db_url,
        environment=Environment.PRODUCTION,
        secret_key="s" * 40,
        demo=False,
        public_base_url="https://chat.example.no",
    )
    await add_staff(engine, "kari")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://chat.example.no") as c:
            response = await post_login(c, "kari")
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("fv_staff="))
    assert "Secure" in cookie


@pytest.mark.parametrize("username", ["kari", "finnes-ikke"])
async def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: httpx.AsyncClient, engine: AsyncEngine, username: str
) -> None:
    await add_staff(engine, "kari")
    response = await post_login(client, username, "feil-passord-1234")
    assert response.status_code == 401
    assert LOGIN_FAILED in response.text
    assert "fv_staff=" not in response.headers.get("set-cookie", "")
    assert (await client.get("/admin/")).status_code == 303


async def test_login_form_without_its_token_is_refused(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "kari")
    response = await client.post("/admin/login", data={"username": "kari", "password": PASSWORD})
    assert response.status_code == 400
    assert (await client.get("/admin/")).status_code == 303


async def test_only_paths_inside_the_staff_app_are_followed_after_login(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "kari", Role.ADMIN)
    page = await client.get("/admin/login", params={"next": "https://evil.example/"})
    assert 'name="next" value="/admin/"' in page.text
    anonymous = await client.get("/admin/users")
    assert anonymous.headers["location"] == "/admin/login?next=/admin/users"
    login_page = await client.get(anonymous.headers["location"])
    assert 'name="next" value="/admin/users"' in login_page.text


async def test_five_failures_lock_the_account_even_for_the_right_password(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "kari")
    set_clock(app, T0)
    for _ in range(5):
        assert (await post_login(client, "kari", "feil-passord-1234")).status_code == 401
    locked = await post_login(client, "kari")
    assert locked.status_code == 401
    assert LOGIN_FAILED in locked.text  # same words: a locked account is not revealed
    set_clock(app, T0 + timedelta(seconds=59))
    assert (await post_login(client, "kari")).status_code == 401
    set_clock(app, T0 + timedelta(seconds=61))
    assert (await post_login(client, "kari")).status_code == 303


async def test_each_further_failure_doubles_the_lock(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "kari")
    set_clock(app, T0)
    for _ in range(5):
        await post_login(client, "kari", "feil-passord-1234")
    after_first_lock = T0 + timedelta(minutes=1, seconds=1)
    set_clock(app, after_first_lock)
    await post_login(client, "kari", "feil-passord-1234")  # sixth failure: two minutes
    set_clock(app, after_first_lock + timedelta(seconds=119))
    assert (await post_login(client, "kari")).status_code == 401
    set_clock(app, after_first_lock + timedelta(seconds=121))
    assert (await post_login(client, "kari")).status_code == 303


def test_back_off_grows_and_is_capped() -> None:
    assert lock_duration(4) == timedelta(0)
    assert lock_duration(5) == timedelta(minutes=1)
    assert lock_duration(6) == timedelta(minutes=2)
    assert lock_duration(8) == timedelta(minutes=8)
    assert lock_duration(50) == timedelta(hours=1)


async def test_one_address_with_many_failures_is_slowed_down(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "kari")
    app.state.login_throttle = LoginThrottle(limit=3, window=600)
    for name in ("a-bruker", "b-bruker", "c-bruker"):
        assert (await post_login(client, name, "feil-passord-1234")).status_code == 401
    refused = await post_login(client, "kari")
    assert refused.status_code == 429
    assert TOO_MANY in refused.text


def test_throttle_forgets_failures_after_the_window() -> None:
    throttle = LoginThrottle(limit=2, window=60)
    throttle.record_failure("10.0.0.1", at=0)
    throttle.record_failure("10.0.0.1", at=1)
    assert not throttle.allows("10.0.0.1", at=30)
    assert throttle.allows("10.0.0.2", at=30)
    assert throttle.allows("10.0.0.1", at=62)


async def test_logout_ends_only_this_session(app: FastAPI, engine: AsyncEngine) -> None:
    await add_staff(engine, "kari")
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url=BASE_URL) as laptop,
        httpx.AsyncClient(transport=transport, base_url=BASE_URL) as phone,
    ):
        laptop_token = await log_in(laptop, "kari")
        await log_in(phone, "kari")
        response = await laptop.post("/admin/logout", data={"csrf_token": laptop_token})
        assert response.status_code == 303
        assert (await laptop.get("/admin/")).status_code == 303
        assert (await phone.get("/admin/")).status_code == 200


async def test_logout_everywhere_ends_every_session(app: FastAPI, engine: AsyncEngine) -> None:
    await add_staff(engine, "kari")
    await add_staff(engine, "ola")
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url=BASE_URL) as laptop,
        httpx.AsyncClient(transport=transport, base_url=BASE_URL) as phone,
        httpx.AsyncClient(transport=transport, base_url=BASE_URL) as colleague,
    ):
        token = await log_in(laptop, "kari")
        await log_in(phone, "kari")
        await log_in(colleague, "ola")
        response = await laptop.post("/admin/logout-everywhere", data={"csrf_token": token})
        assert response.status_code == 303
        assert (await laptop.get("/admin/")).status_code == 303
        assert (await phone.get("/admin/")).status_code == 303
        assert (await colleague.get("/admin/")).status_code == 200


async def test_idle_session_expires(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "kari")
    set_clock(app, T0)
    await log_in(client, "kari")
    set_clock(app, T0 + timedelta(hours=1, minutes=59))
    assert (await client.get("/admin/")).status_code == 200
    set_clock(app, T0 + timedelta(hours=4, minutes=0))
    assert (await client.get("/admin/")).status_code == 303


async def test_a_hash_with_old_parameters_is_upgraded_at_login(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    user = await add_staff(engine, "kari")
    old_hash = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1).hash(PASSWORD)
    async with unit_of_work(create_session_factory(engine)) as session:
        await session.execute(
            update(StaffUser).where(StaffUser.id == user.id).values(password_hash=old_hash)
        )
    assert (await post_login(client, "kari")).status_code == 303
    async with create_session_factory(engine)() as session:
        stored = await session.scalar(
            select(StaffUser.password_hash).where(StaffUser.id == user.id)
        )
    assert stored != old_hash
    assert stored is not None and not CHEAP_HASHER.check_needs_rehash(stored)
