"""The audit log: what is recorded, that it never holds message text or passwords, the viewer."""

import csv
import io
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from admin.database import create_session_factory
from admin.staff.audit import UnsafeAuditDetailError, record_event, render_csv
from admin.staff.models import AuditAction, AuditEvent, Role
from tests.admin.staff_factories import add_staff, log_in, post_login

WRONG_PASSWORD = "mitt-hemmelige-feilpassord"
MESSAGE = "Jeg er redd for pappa når han drikker"


async def all_events(engine: AsyncEngine) -> list[AuditEvent]:
    async with create_session_factory(engine)() as session:
        return list(await session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


async def test_logins_failures_and_role_changes_are_recorded_without_secrets(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    ola = await add_staff(engine, "ola", Role.VEILEDER)
    await post_login(client, "ola", WRONG_PASSWORD)
    await post_login(client, "ukjent.person", WRONG_PASSWORD)
    token = await log_in(client, "sjef")
    await client.post(f"/admin/users/{ola.id}/role", data={"role": "redaktor", "csrf_token": token})
    events = await all_events(engine)
    seen = [(event.actor, event.action) for event in events]
    assert ("ola", AuditAction.LOGIN_FAILED) in seen
    assert ("anonym", AuditAction.LOGIN_FAILED) in seen  # unknown names are not stored
    assert ("sjef", AuditAction.LOGIN) in seen
    role_change = next(e for e in events if e.action is AuditAction.ROLE_CHANGED)
    assert role_change.actor == "sjef"
    assert (role_change.target_type, role_change.target_id) == ("staff_user", str(ola.id))
    assert role_change.details == {"from": "veileder", "to": "redaktor"}
    stored = repr([(e.actor, e.target_id, e.details) for e in events])
    assert WRONG_PASSWORD not in stored
    assert "ukjent.person" not in stored


@pytest.mark.parametrize(
    "details",
    [
        {"text": MESSAGE},
        {"message": "hei"},
        {"summary": MESSAGE * 3},
        {"summary": "første linje\nandre linje"},
        {"transcript": "x"},
        {"nested": {"text": MESSAGE}},
    ],
)
async def test_free_text_is_refused_by_the_audit_log(
    session: AsyncSession, details: dict[str, object]
) -> None:
    with pytest.raises(UnsafeAuditDetailError):
        await record_event(
            session,
            "kari",
            AuditAction.CONVERSATION_VIEWED,
            "conversation",
            "c-1",
            details,  # type: ignore[arg-type]
        )


async def test_opening_a_conversation_is_recorded_by_id_only(session: AsyncSession) -> None:
    event = await record_event(
        session, "kari", AuditAction.CONVERSATION_VIEWED, "conversation", "c-42", {"mode": "queue"}
    )
    await session.commit()
    assert MESSAGE not in render_csv([event])
    assert (event.target_type, event.target_id) == ("conversation", "c-42")


async def test_admins_see_and_export_the_log(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await add_staff(engine, "sjef", Role.ADMIN)
    await post_login(client, "sjef", WRONG_PASSWORD)
    await log_in(client, "sjef")
    page = await client.get("/admin/audit", params={"action": "login_failed"})
    assert "Mislykket innlogging" in page.text
    export = await client.get("/admin/audit.csv")
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["tidspunkt", "aktør", "handling"]
    assert {"login", "login_failed", "user_created"} <= {row[2] for row in rows[1:]}
    assert AuditAction.AUDIT_EXPORTED in [e.action for e in await all_events(engine)]


def test_csv_cells_cannot_become_spreadsheet_formulas() -> None:
    event = AuditEvent(
        at=datetime(2026, 1, 1, tzinfo=UTC),
        actor='=HYPERLINK("http://x")',
        action=AuditAction.LOGIN,
        details={},
    )
    row = next(csv.reader(io.StringIO(render_csv([event]).splitlines()[1]), delimiter=";"))
    assert row[1].startswith("'=")
