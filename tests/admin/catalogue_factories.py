"""Plain helpers for catalogue-editor and statistics tests: a fixed clock, editor forms, rows."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory, unit_of_work
from admin.staff.dependencies import get_now
from admin.staff.models import AuditAction, AuditEvent
from services_catalog.editing import create_service
from services_catalog.models import Service, ServiceChange
from services_catalog.records import ServiceRecord

# 10 March 2026, 10:00 in Oslo: "today" for the editor and the statistics.
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)
ORGANIZATION = "Eksempel kommune"


@dataclass
class Clock:
    now: datetime = NOW


def fix_clock(app: FastAPI, now: datetime = NOW) -> Clock:
    """Fix the app's `Now` (before logging in: sessions are timed by the same clock)."""
    fixed = Clock(now)
    app.dependency_overrides[get_now] = lambda: fixed.now
    return fixed


def service_form(slug: str = "testtjeneste", **overrides: Any) -> dict[str, Any]:
    """The editor form as a browser sends it for a valid service; None drops a field."""
    form: dict[str, Any] = {
        "slug": slug,
        "organization": ORGANIZATION,
        "name_nb": "Testtjenesten",
        "summary_nb": "En tjeneste for tester.",
        "roles": ["parent", "youth"],
        "min_age": "6",
        "max_age": "18",
        "topics-0-topic": "mental-health",
        "contacts-0-kind": "phone",
        "contacts-0-value": "+47 21 23 45 99",
        "contacts-0-label_nb": "Ring oss",
        "contacts-0-hours-0-days": ["mon", "tue", "wed", "thu", "fri"],
        "contacts-0-hours-0-opens": "08:00",
        "contacts-0-hours-0-closes": "15:30",
        "free": "on",
        "urgency": "soon",
        "status": "active",
        "areas": "9999",
        "languages": "nb en",
        "verification": "confirmed",
        "verified_today": "on",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def service_record(slug: str, **overrides: Any) -> ServiceRecord:
    data: dict[str, Any] = {
        "slug": slug,
        "organization": ORGANIZATION,
        "name": {"nb": f"Tjeneste {slug}"},
        "summary": {"nb": "En tjeneste for tester."},
        "roles": ["parent"],
        "topics": ["mental-health"],
        "areas": ["9999"],
    }
    data.update(overrides)
    return ServiceRecord.model_validate(data)


async def add_services(engine: AsyncEngine, *records: ServiceRecord) -> None:
    async with unit_of_work(create_session_factory(engine)) as session:
        for record in records:
            await create_service(session, record, changed_by="seed")


async def catalogue_counts(engine: AsyncEngine) -> tuple[int, int, int]:
    """(services, history rows, catalogue audit events): to prove nothing was written."""
    async with create_session_factory(engine)() as session:
        services = await session.scalar(select(func.count()).select_from(Service))
        changes = await session.scalar(select(func.count()).select_from(ServiceChange))
        audits = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == AuditAction.CATALOGUE_CHANGED)
        )
    return services or 0, changes or 0, audits or 0
