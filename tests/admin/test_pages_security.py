"""Security headers on every response, and escaping of whatever staff or users typed."""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory, unit_of_work
from admin.staff.models import Role, StaffUser
from admin.staff.security_headers import HeaderPolicy, SecurityHeadersMiddleware
from tests.admin.staff_factories import add_staff, log_in

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SCRIPT = "<script>alert('hei')</script>"


@pytest.mark.parametrize(
    "path", ["/admin/login", "/admin/", "/admin/users", "/admin/static/admin.css", "/healthz"]
)
async def test_every_response_carries_the_security_headers(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.headers["content-security-policy"] == STRICT_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in response.headers["permissions-policy"]


async def test_staff_pages_are_never_cached_but_static_files_may_be(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/admin/login")).headers["cache-control"] == "no-store"
    assert "no-store" not in (await client.get("/admin/static/admin.css")).headers.get(
        "cache-control", ""
    )


def test_frame_ancestors_is_chosen_per_path_prefix() -> None:
    chat = HeaderPolicy(frame_ancestors="'self' https://www.kommune.no")
    middleware = SecurityHeadersMiddleware(
        app=lambda *_: None,  # type: ignore[arg-type]
        policies=[("/admin/", HeaderPolicy(no_store=True)), ("/chat/", chat)],
    )
    assert (
        "frame-ancestors 'none'"
        in middleware.policy_for("/admin/users").headers()["Content-Security-Policy"]
    )
    assert middleware.policy_for("/admin").no_store
    assert not middleware.policy_for("/").no_store
    embedded = middleware.policy_for("/chat/widget").headers()
    assert "frame-ancestors 'self' https://www.kommune.no" in embedded["Content-Security-Policy"]
    assert "X-Frame-Options" not in embedded


async def test_pages_have_no_inline_script_or_style(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    await log_in(client, "sjef")
    for path in ("/admin/login", "/admin/", "/admin/users", "/admin/duty", "/admin/audit"):
        page = (await client.get(path)).text
        assert "<script>" not in page and "style=" not in page and "onclick" not in page, path


async def test_markup_in_a_username_shows_as_text(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    async with unit_of_work(create_session_factory(engine)) as session:
        # Usernames are validated on creation; an imported or legacy account might not be.
        session.add(StaffUser(username=SCRIPT, password_hash="x", role=Role.VEILEDER))
    await log_in(client, "sjef")
    page = (await client.get("/admin/users")).text
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#39;hei&#39;)&lt;/script&gt;" in page


async def test_markup_in_a_canned_reply_shows_as_text(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    token = await log_in(client, "sjef")
    await client.post(
        "/admin/canned-replies",
        data={"title": SCRIPT, "text": f"Hei {SCRIPT}", "csrf_token": token},
    )
    page = (await client.get("/admin/canned-replies")).text
    assert SCRIPT not in page
    assert page.count("&lt;script&gt;") >= 3
