"""The audit log viewer and its CSV export (admins only)."""

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from admin.staff.audit import count_events, list_events, record_event, render_csv
from admin.staff.dependencies import AdminUser, CurrentSession, DbSession, Now, staff_router
from admin.staff.models import AuditAction
from admin.staff.pages import render

router = staff_router()
PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


@router.get("/admin/audit")
async def audit_page(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    admin: AdminUser,
    action: AuditAction | None = None,
    page: int = 1,
) -> HTMLResponse:
    """The newest events first, fifty per page, optionally one kind of action."""
    page = max(page, 1)
    events = await list_events(db, action, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    total = await count_events(db, action)
    return render(
        request,
        "audit.html",
        active,
        events=events,
        actions=list(AuditAction),
        selected=action,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        total=total,
    )


@router.get("/admin/audit.csv")
async def export_audit(
    db: DbSession, admin: AdminUser, now: Now, action: AuditAction | None = None
) -> Response:
    """The log as CSV for the municipality's own archive or inspection."""
    events = await list_events(db, action, limit=EXPORT_LIMIT)
    await record_event(
        db, admin.username, AuditAction.AUDIT_EXPORTED, details={"events": len(events)}, at=now
    )
    filename = f"revisjonslogg-{now.date().isoformat()}.csv"
    return Response(
        "\ufeff" + render_csv(events),  # the BOM makes Excel read UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
