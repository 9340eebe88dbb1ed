"""Every /admin route, found by walking the app's route table, refuses anonymous visitors and
roles that lack the right; state-changing requests need the session's CSRF token."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.staff.models import Role
from admin.staff.routes.auth import LOGIN_PATH
from tests.admin.staff_factories import BASE_URL, add_staff, log_in

PUBLIC = {(LOGIN_PATH, "GET"), (LOGIN_PATH, "POST")}
# Pages whose role we know: if one ever loses its role check, the walk below would not notice.
EXPECTED_ROLES = {
    ("/admin/users", "GET"): Role.ADMIN,
    ("/admin/users/{user_id}/role", "POST"): Role.ADMIN,
    ("/admin/duty", "GET"): Role.ADMIN,
    ("/admin/duty/rules", "POST"): Role.ADMIN,
    ("/admin/audit", "GET"): Role.ADMIN,
    ("/admin/audit.csv", "GET"): Role.ADMIN,
    ("/admin/canned-replies", "POST"): Role.ADMIN,
    ("/admin/availability", "POST"): Role.VEILEDER,
}


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    roles: frozenset[Role]

    def url(self) -> str:
        return re.sub(r"\{[^}]+\}", "1", self.path)


def _flatten(routes: list[Any]) -> list[Any]:
    """The routes as served; FastAPI ≥ 0.160 keeps included routers as nested objects."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return routes
    return list(iter_route_contexts(routes))


def _required_roles(dependant: Any) -> Iterator[Role]:
    for dependency in dependant.dependencies:
        role = getattr(dependency.call, "required_role", None)
        if role is not None:
            yield role
        yield from _required_roles(dependency)


def admin_endpoints(app: FastAPI) -> list[Endpoint]:
    endpoints = []
    for route in _flatten(app.routes):
        path = getattr(route, "path", "") or ""
        if not (path == "/admin" or path.startswith("/admin/")) or path.startswith("/admin/static"):
            continue
        assert isinstance(getattr(route, "original_route", route), APIRoute), path
        roles = frozenset(_required_roles(route.dependant))
        for method in sorted(route.methods - {"HEAD"}):
            if (path, method) not in PUBLIC:
                endpoints.append(Endpoint(path, method, roles))
    return endpoints


def test_the_walk_finds_the_staff_pages(app: FastAPI) -> None:
    found = {(e.path, e.method): e for e in admin_endpoints(app)}
    assert len(found) >= 15
    for key, role in EXPECTED_ROLES.items():
        assert found[key].roles == {role}, key


async def test_anonymous_visitors_are_sent_to_the_login_page(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    for endpoint in admin_endpoints(app):
        response = await client.request(endpoint.method, endpoint.url())
        where = f"{endpoint.method} {endpoint.path}"
        assert response.status_code == 303, where
        assert response.headers["location"].startswith(LOGIN_PATH), where


async def test_anonymous_api_and_htmx_calls_get_401(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    for endpoint in admin_endpoints(app):
        response = await client.request(
            endpoint.method, endpoint.url(), headers={"HX-Request": "true"}
        )
        assert response.status_code == 401, f"{endpoint.method} {endpoint.path}"
        assert response.headers["HX-Redirect"] == LOGIN_PATH


async def test_a_forged_session_cookie_is_anonymous(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE_URL, cookies={"fv_staff": "guessed-token"}
    ) as forger:
        assert (await forger.get("/admin/")).status_code == 303


async def test_roles_without_the_right_are_refused(app: FastAPI, engine: AsyncEngine) -> None:
    transport = httpx.ASGITransport(app=app)
    checked = 0
    for role in (Role.VEILEDER, Role.REDAKTOR):
        await add_staff(engine, f"bruker-{role.value}", role)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as browser:
            token = await log_in(browser, f"bruker-{role.value}")
            for endpoint in admin_endpoints(app):
                if not endpoint.roles or all(role is required for required in endpoint.roles):
                    continue
                response = await browser.request(
                    endpoint.method, endpoint.url(), headers={"X-CSRF-Token": token}
                )
                assert response.status_code == 403, f"{role} {endpoint.method} {endpoint.path}"
                checked += 1
    assert checked >= 20


async def test_admins_may_open_every_page(app: FastAPI, engine: AsyncEngine) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as browser:
        await log_in(browser, "sjef")
        for endpoint in admin_endpoints(app):
            if endpoint.method == "GET" and "{" not in endpoint.path:
                response = await browser.get(endpoint.url(), follow_redirects=True)
                assert response.status_code == 200, endpoint.path


@pytest.mark.parametrize("token", [None, "wrong-token"])
async def test_state_changes_without_the_csrf_token_are_refused(
    app: FastAPI, engine: AsyncEngine, token: str | None
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as browser:
        await log_in(browser, "sjef")
        for endpoint in admin_endpoints(app):
            if endpoint.method == "GET":
                continue
            form = {} if token is None else {"csrf_token": token}
            as_form = await browser.request(endpoint.method, endpoint.url(), data=form)
            assert as_form.status_code == 403, endpoint.path
            headers = {"HX-Request": "true"} | ({} if token is None else {"X-CSRF-Token": token})
            as_htmx = await browser.request(endpoint.method, endpoint.url(), headers=headers)
            assert as_htmx.status_code == 403, endpoint.path
        assert (await browser.get("/admin/")).status_code == 200  # still logged in


async def test_the_right_csrf_token_is_accepted_from_form_and_header(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "kari", Role.VEILEDER)
    token = await log_in(client, "kari")
    by_form = await client.post(
        "/admin/availability", data={"available": "true", "csrf_token": token}
    )
    assert by_form.status_code == 303
    by_header = await client.post(
        "/admin/availability",
        data={"available": "false"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert by_header.status_code == 200
    assert "borte" in by_header.text
