"""What the holder does to end their part: transfer to a colleague, hand back to the assistant,
or close with an outcome. A conversation flagged acute or concern is only closed with an
outcome (`bot.handoff.close` refuses otherwise; the form asks for one too)."""

import uuid
from typing import Annotated

from fastapi import BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from admin.handoff.choices import available_colleagues, catalogue_choices
from admin.handoff.conversation_routes import conversation_page
from admin.handoff.live import wake_delivery
from admin.handoff.queue_routes import NOT_FOUND, QUEUE_PATH, conversation_path
from admin.staff.dependencies import CurrentSession, DbSession, Now, VeilederUser, staff_router
from admin.staff.models import Role, StaffUser
from bot import handoff
from bot.conversations import ConversationNotFound, get_conversation
from bot.models import ConversationMode, Outcome

router = staff_router()

NOT_HOLDER = "Bare den som har samtalen, kan overføre, gi den tilbake eller avslutte den."
NO_COLLEAGUE = "Velg en kollega som er tilgjengelig."
OUTCOME_NEEDED = "Samtalen er markert for krise eller bekymring. Velg et utfall før du avslutter."
SERVICE_NEEDED = "Velg hvilken tjeneste brukeren ble henvist til."
UNKNOWN_OUTCOME = "Velg et utfall fra listen."


async def _held_by(db: AsyncSession, conversation_id: uuid.UUID, user: StaffUser) -> bool:
    """Whether `user` may end this conversation: its holder, or an admin."""
    try:
        conversation = await get_conversation(db, conversation_id)
    except ConversationNotFound as gone:
        raise HTTPException(404, NOT_FOUND) from gone
    if conversation.mode is ConversationMode.CLOSED:
        return False
    holder = conversation.claimed_by_staff_id == user.id
    return holder or user.role is Role.ADMIN


@router.post("/admin/conversations/{conversation_id}/transfer", response_model=None)
async def transfer(
    request: Request,
    conversation_id: uuid.UUID,
    to_staff_id: Annotated[int, Form()],
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    now: Now,
) -> Response:
    """Give the conversation to an available colleague."""
    if not await _held_by(db, conversation_id, user):
        return await conversation_page(
            request, db, active, conversation_id, now, error=NOT_HOLDER, status_code=403
        )
    colleagues = {colleague.id for colleague in await available_colleagues(db, user.id)}
    if to_staff_id not in colleagues:
        return await conversation_page(
            request, db, active, conversation_id, now, error=NO_COLLEAGUE, status_code=422
        )
    try:
        await handoff.transfer(db, conversation_id, to_staff_id, now=now)
    except handoff.HandoffError:
        return await conversation_page(
            request, db, active, conversation_id, now, error=NOT_HOLDER, status_code=409
        )
    return RedirectResponse(QUEUE_PATH, status_code=303)


@router.post("/admin/conversations/{conversation_id}/hand-back", response_model=None)
async def hand_back(
    request: Request,
    conversation_id: uuid.UUID,
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    now: Now,
    background: BackgroundTasks,
) -> Response:
    """Give the conversation back to the assistant; the user is told."""
    if not await _held_by(db, conversation_id, user):
        return await conversation_page(
            request, db, active, conversation_id, now, error=NOT_HOLDER, status_code=403
        )
    try:
        await handoff.hand_back(db, conversation_id, now=now)
    except handoff.HandoffError:
        return await conversation_page(
            request, db, active, conversation_id, now, error=NOT_HOLDER, status_code=409
        )
    background.add_task(wake_delivery, request.app)
    return RedirectResponse(f"{conversation_path(conversation_id)}?ok=tilbake", status_code=303)


@router.post("/admin/conversations/{conversation_id}/close", response_model=None)
async def close(
    request: Request,
    conversation_id: uuid.UUID,
    db: DbSession,
    active: CurrentSession,
    user: VeilederUser,
    now: Now,
    background: BackgroundTasks,
    outcome: Annotated[str, Form()] = "",
    service_slug: Annotated[str, Form()] = "",
) -> Response:
    """Close with an outcome; the user gets a closing line and is asked for a rating."""
    if not await _held_by(db, conversation_id, user):
        return await conversation_page(
            request, db, active, conversation_id, now, error=NOT_HOLDER, status_code=403
        )
    problem, chosen, slug = await _read_outcome(db, outcome, service_slug)
    if problem:
        return await conversation_page(
            request, db, active, conversation_id, now, error=problem, status_code=422
        )
    try:
        await handoff.close(db, conversation_id, chosen, slug, now=now)
    except handoff.OutcomeRequired:
        message = SERVICE_NEEDED if chosen is Outcome.REFERRED else OUTCOME_NEEDED
        return await conversation_page(
            request, db, active, conversation_id, now, error=message, status_code=422
        )
    except handoff.IllegalTransition:
        return await conversation_page(
            request, db, active, conversation_id, now, error=NOT_HOLDER, status_code=409
        )
    background.add_task(wake_delivery, request.app)
    return RedirectResponse(f"{conversation_path(conversation_id)}?ok=avsluttet", status_code=303)


async def _read_outcome(
    db: AsyncSession, outcome: str, service_slug: str
) -> tuple[str, Outcome | None, str | None]:
    """(problem, outcome, slug): the form's choice checked against the outcomes and catalogue."""
    if not outcome:
        return "", None, None
    try:
        chosen = Outcome(outcome)
    except ValueError:
        return UNKNOWN_OUTCOME, None, None
    if chosen is not Outcome.REFERRED:
        return "", chosen, None
    slugs = {choice.slug for choice in await catalogue_choices(db)}
    if service_slug not in slugs:
        return SERVICE_NEEDED, chosen, None
    return "", chosen, service_slug
