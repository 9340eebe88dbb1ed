"""The audit log: recording who did what to which object, reading it back, exporting it as CSV.

The log must never hold what users wrote. `record_event` therefore takes only short scalar
details under keys that are not about text, and refuses anything else loudly, so a mistake in a
caller fails in tests instead of leaking a message into the log.
"""

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.models import AuditAction, AuditEvent, utc_now

MAX_DETAIL_LENGTH = 80
FORBIDDEN_DETAIL_KEYS = frozenset(
    {"text", "message", "messages", "body", "content", "comment", "note", "password", "transcript"}
)
CSV_COLUMNS = ("tidspunkt", "aktør", "handling", "objekttype", "objekt-id", "detaljer")

DetailValue = str | int | float | bool | None


class UnsafeAuditDetailError(ValueError):
    """A caller tried to put free text (possibly a message) into the audit log."""


def check_details(details: Mapping[str, DetailValue]) -> dict[str, DetailValue]:
    """The details as stored, or an error if any could carry free text."""
    checked: dict[str, DetailValue] = {}
    for key, value in details.items():
        if key.lower() in FORBIDDEN_DETAIL_KEYS:
            raise UnsafeAuditDetailError(f"audit detail {key!r} may carry free text")
        if not isinstance(value, str | int | float | bool | None):
            raise UnsafeAuditDetailError(f"audit detail {key!r} must be a scalar")
        if isinstance(value, str) and (len(value) > MAX_DETAIL_LENGTH or "\n" in value):
            raise UnsafeAuditDetailError(f"audit detail {key!r} is too long to be a label")
        checked[key] = value
    return checked


async def record_event(
    session: AsyncSession,
    actor: str,
    action: AuditAction,
    target_type: str | None = None,
    target_id: str | int | None = None,
    details: Mapping[str, DetailValue] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add one audit event; `actor` is a staff username, "system" or "anonym"."""
    event = AuditEvent(
        at=at or utc_now(),
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=check_details(details or {}),
    )
    session.add(event)
    await session.flush()
    return event


async def list_events(
    session: AsyncSession,
    action: AuditAction | None = None,
    actor: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEvent]:
    """The newest events first, optionally only one action or one actor."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    result = await session.scalars(query.limit(limit).offset(offset))
    return list(result)


async def count_events(session: AsyncSession, action: AuditAction | None = None) -> int:
    query = select(func.count()).select_from(AuditEvent)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return int(await session.scalar(query) or 0)


def _safe_cell(value: str) -> str:
    # Spreadsheets run cells that start with these characters as formulas.
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def render_csv(events: Iterable[AuditEvent]) -> str:
    """The events as CSV (semicolon-separated, as Norwegian spreadsheet programs expect)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        details = ", ".join(f"{key}={value}" for key, value in sorted(event.details.items()))
        row = [
            event.at.isoformat(timespec="seconds"),
            event.actor,
            event.action.value,
            event.target_type or "",
            event.target_id or "",
            details,
        ]
        writer.writerow([_safe_cell(cell) for cell in row])
    return buffer.getvalue()
