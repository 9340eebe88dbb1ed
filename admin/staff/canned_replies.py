"""Canned replies: ready-made answers that staff insert while writing; admins maintain them."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.staff.audit import record_event
from admin.staff.models import AuditAction, CannedReply

MAX_TITLE = 120
MAX_TEXT = 4000


class CannedReplyError(ValueError):
    """Invalid title or text; the message is shown next to the form."""


def _checked(title: str, text: str) -> tuple[str, str]:
    title, text = title.strip(), text.strip()
    if not title or len(title) > MAX_TITLE:
        raise CannedReplyError(f"Tittelen må ha 1–{MAX_TITLE} tegn.")
    if not text or len(text) > MAX_TEXT:
        raise CannedReplyError(f"Teksten må ha 1–{MAX_TEXT} tegn.")
    return title, text


async def list_canned_replies(session: AsyncSession) -> list[CannedReply]:
    return list(await session.scalars(select(CannedReply).order_by(CannedReply.title)))


async def get_canned_reply(session: AsyncSession, reply_id: int) -> CannedReply | None:
    return await session.get(CannedReply, reply_id)


async def create_canned_reply(
    session: AsyncSession, title: str, text: str, actor: str
) -> CannedReply:
    title, text = _checked(title, text)
    reply = CannedReply(title=title, text=text)
    session.add(reply)
    await session.flush()
    await _record(session, actor, reply.id, "created")
    return reply


async def update_canned_reply(
    session: AsyncSession, reply: CannedReply, title: str, text: str, actor: str
) -> None:
    reply.title, reply.text = _checked(title, text)
    await session.flush()
    await _record(session, actor, reply.id, "updated")


async def delete_canned_reply(session: AsyncSession, reply: CannedReply, actor: str) -> None:
    reply_id = reply.id
    await session.delete(reply)
    await session.flush()
    await _record(session, actor, reply_id, "deleted")


async def _record(session: AsyncSession, actor: str, reply_id: int, change: str) -> None:
    await record_event(
        session,
        actor,
        AuditAction.CANNED_REPLY_CHANGED,
        "canned_reply",
        reply_id,
        {"change": change},
    )
