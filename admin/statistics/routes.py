"""The statistics pages (every staff role): figures and charts for a period, CSV, dashboard card.

Periods are Oslo days given as `fra` and `til` (YYYY-MM-DD); the default is the last 30 days.
"""

from datetime import date, datetime
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from admin.catalogue.labels import LABELS
from admin.staff.dependencies import CurrentSession, CurrentStaff, DbSession, Now, staff_router
from admin.staff.pages import OSLO, render
from admin.statistics.charts import daily_chart, topic_chart
from admin.statistics.export import render_statistics_csv
from admin.statistics.figures import Period, Statistics, gather_statistics
from admin.statistics.labels import CHANNELS, CRISIS_LEVELS, OUTCOMES
from bot.models import Channel
from services_catalog.queries import list_services

router = staff_router()
STATISTICS_PATH = "/admin/statistics"
DEFAULT_DAYS = 30
CARD_DAYS = 7
MAX_DAYS = 731
TOP_TOPICS = 10
DateText = Annotated[str, Query(max_length=10)]


def today_in_oslo(now: datetime) -> date:
    return now.astimezone(OSLO).date()


def choose_period(first: str, last: str, today: date) -> tuple[Period, str]:
    """The period asked for, or the default with the reason the request could not be used."""
    default = Period.ending(today, DEFAULT_DAYS)
    if not first and not last:
        return default, ""
    try:
        chosen_last = date.fromisoformat(last) if last else today
        chosen_first = date.fromisoformat(first) if first else chosen_last
    except ValueError:
        return default, "Skriv datoene som åååå-mm-dd. Viser de siste 30 dagene."
    if chosen_first > chosen_last:
        return default, "Fra-datoen er etter til-datoen. Viser de siste 30 dagene."
    if (chosen_last - chosen_first).days >= MAX_DAYS:
        return default, "Velg høyst to år om gangen. Viser de siste 30 dagene."
    return Period(chosen_first, chosen_last), ""


def _channels(stats: Statistics) -> list[Channel]:
    return [channel for channel in Channel if channel in stats.per_channel]


async def _service_names(db: DbSession) -> dict[str, str]:
    return {service.slug: service.name_nb for service in await list_services(db)}


@router.get(STATISTICS_PATH)
async def statistics_page(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    staff: CurrentStaff,
    now: Now,
    fra: DateText = "",
    til: DateText = "",
) -> HTMLResponse:
    """Conversations, topics, unmet needs, handoffs, waiting times, outcomes and ratings."""
    period, problem = choose_period(fra, til, today_in_oslo(now))
    stats = await gather_statistics(db, period)
    channels = _channels(stats)
    topics = [(LABELS.topic(topic), count) for topic, count in stats.topics[:TOP_TOPICS]]
    return render(
        request,
        "statistics/page.html",
        active,
        status_code=400 if problem else 200,
        stats=stats,
        problem=problem,
        channels=channels,
        daily=daily_chart(stats.per_day, channels),
        topic_bars=topic_chart(topics),
        labels=LABELS,
        channel_labels=CHANNELS,
        crisis_labels=CRISIS_LEVELS,
        outcome_labels=OUTCOMES,
        service_names=await _service_names(db),
    )


@router.get(f"{STATISTICS_PATH}.csv")
async def statistics_csv(
    db: DbSession, staff: CurrentStaff, now: Now, fra: DateText = "", til: DateText = ""
) -> Response:
    """The figures of the period as CSV (the default period if the dates are unusable)."""
    period, _problem = choose_period(fra, til, today_in_oslo(now))
    stats = await gather_statistics(db, period)
    filename = f"statistikk-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    return Response(
        render_statistics_csv(stats),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(f"{STATISTICS_PATH}/card")
async def statistics_card(
    request: Request, db: DbSession, active: CurrentSession, staff: CurrentStaff, now: Now
) -> HTMLResponse:
    """The dashboard card: conversations in the last 7 days and how many asked for a person."""
    stats = await gather_statistics(db, Period.ending(today_in_oslo(now), CARD_DAYS))
    return render(request, "statistics/card.html", active, stats=stats, days=CARD_DAYS)
