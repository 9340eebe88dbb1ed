"""Stored messages as replies: the JSON payload of a bubble's kind, buttons and service cards.

The dialogue's `Reply` values are stored as message text plus this payload, and every channel
reads them back from the transcript as `Reply` values to render them; one format, both ways.
"""

from datetime import date, datetime
from typing import Any

from bot.messages import ContactAction, QuickReply, Reply, ReplyKind, ServiceCard
from bot.models import Message
from services_catalog.matching import ContactKind


def reply_payload(reply: Reply, **extra: Any) -> dict[str, Any]:
    """The JSON-ready payload of one reply (its text is stored apart)."""
    return {
        "kind": reply.kind.value,
        "quick_replies": [{"label": q.label, "payload": q.payload} for q in reply.quick_replies],
        "cards": [_card_payload(card) for card in reply.cards],
        **extra,
    }


def reply_of(message: Message) -> Reply:
    """A stored message as a reply a channel can render; unknown payload parts are ignored."""
    payload = message.payload or {}
    try:
        kind = ReplyKind(payload.get("kind", ReplyKind.INFO.value))
    except ValueError:
        kind = ReplyKind.INFO
    return Reply(
        text=message.text,
        kind=kind,
        quick_replies=tuple(
            QuickReply(label=str(q["label"]), payload=str(q["payload"]))
            for q in payload.get("quick_replies") or []
        ),
        cards=tuple(_card_of(card) for card in payload.get("cards") or []),
    )


def _card_payload(card: ServiceCard) -> dict[str, Any]:
    return {
        "slug": card.slug,
        "name": card.name,
        "summary": card.summary,
        "actions": [
            {
                "kind": action.kind.value,
                "label": action.label,
                "display": action.display,
                "url": action.url,
                "open_now": action.open_now,
            }
            for action in card.actions
        ],
        "open_now": card.open_now,
        "next_opening": card.next_opening.isoformat() if card.next_opening else None,
        "availability": card.availability,
        "badges": list(card.badges),
        "last_verified": card.last_verified.isoformat() if card.last_verified else None,
        "verified_note": card.verified_note,
    }


def _card_of(data: dict[str, Any]) -> ServiceCard:
    next_opening = data.get("next_opening")
    last_verified = data.get("last_verified")
    return ServiceCard(
        slug=str(data["slug"]),
        name=str(data["name"]),
        summary=str(data.get("summary", "")),
        actions=tuple(
            ContactAction(
                kind=ContactKind(action["kind"]),
                label=str(action["label"]),
                display=str(action["display"]),
                url=action.get("url"),
                open_now=bool(action.get("open_now")),
            )
            for action in data.get("actions") or []
        ),
        open_now=bool(data.get("open_now")),
        next_opening=datetime.fromisoformat(next_opening) if next_opening else None,
        availability=str(data.get("availability", "")),
        badges=tuple(str(badge) for badge in data.get("badges") or []),
        last_verified=date.fromisoformat(last_verified) if last_verified else None,
        verified_note=str(data.get("verified_note", "")),
    )
