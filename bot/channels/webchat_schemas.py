"""The web chat's JSON shapes: what the browser sends and what it gets back, for OpenAPI.

Every message comes back render-ready: the text is already in the user's language and service
cards carry tap-ready links. Nothing here names the user; the only credential is the random
conversation key the browser keeps, sent as `Authorization: Bearer <key>`.
"""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

MAX_CLIENT_ID_CHARS = 64


class ChatSender(StrEnum):
    USER = "user"
    BOT = "bot"
    STAFF = "staff"
    SYSTEM = "system"


class ChatMode(StrEnum):
    """Who answers now; `none` before the first message (or after deletion)."""

    NONE = "none"
    BOT = "bot"
    WAITING_FOR_STAFF = "waiting_for_staff"
    WITH_STAFF = "with_staff"
    CLOSED = "closed"


class ChatAction(BaseModel):
    kind: str = Field(description="phone, sms, chat, web, email or address")
    label: str = Field(description="Short button text, e.g. «Ring»")
    display: str = Field(description="What to show, e.g. «116 111»")
    url: str | None = Field(description="tel:, sms:, mailto: or https: link; null for an address")
    open_now: bool


class ChatCard(BaseModel):
    slug: str
    name: str
    summary: str = Field(description="One line on what the service helps with")
    actions: list[ChatAction]
    open_now: bool
    availability: str = Field(description="«Åpen nå», «Åpner i morgen kl. 08:00», «Døgnåpen»")
    badges: list[str] = Field(description="«Gratis», «Anonymt», «Krever henvisning»")
    last_verified: date | None
    verified_note: str = Field(description="«Sist kontrollert 12.03.2025», empty if never")


class ChatQuickReply(BaseModel):
    label: str = Field(description="Shown on the button")
    payload: str = Field(description="Sent back as the message text when the button is tapped")


class ChatMessage(BaseModel):
    id: int | None = Field(description="Stored message id; null for a reply that was not stored")
    sender: ChatSender
    text: str
    kind: str = Field(description="greeting, crisis, services, question, info or handoff")
    quick_replies: list[ChatQuickReply] = []
    cards: list[ChatCard] = []
    event: str | None = Field(
        default=None, description="For system messages: staff-joined, closed, rating-invited, …"
    )
    created_at: datetime | None = None


class QueueInfo(BaseModel):
    position: int = Field(description="1 = next to be answered")
    of: int
    estimated_minutes: int
    text: str = Field(description="The same, as a sentence in the user's language")


class ChatStatus(BaseModel):
    mode: ChatMode
    language: str = Field(description="nb, nn or en: the language the bot answers in")
    queue: QueueInfo | None = Field(default=None, description="Set while waiting for a person")
    can_rate: bool = Field(default=False, description="Closed by staff and not rated yet")


class NewKey(BaseModel):
    key: str = Field(description="The conversation key; keep it in localStorage, never share it")


class Transcript(BaseModel):
    status: ChatStatus
    messages: list[ChatMessage]


class SendMessage(BaseModel):
    text: str = Field(
        description="What the user wrote, or a quick reply's payload. Must not be empty; "
        "more than 20,000 characters is refused (413), more than 4,000 is stored cut."
    )
    client_message_id: str | None = Field(
        default=None,
        max_length=MAX_CLIENT_ID_CHARS,
        description="Random id per message from the browser: a repeat with the same id "
        "(a double click, a retry) stores nothing new and gets the first answer again",
    )


class SendResult(BaseModel):
    user_message_id: int | None
    duplicate: bool = Field(description="True when this client_message_id was already handled")
    deleted: bool = Field(
        default=False, description="The user confirmed /slett: everything is gone"
    )
    failed: bool = Field(
        default=False,
        description="The message is stored but no answer could be made; try again later",
    )
    replies: list[ChatMessage]
    status: ChatStatus


class Samtalekode(BaseModel):
    code: str = Field(description="A short code such as «K7QF-MX3A», shown once")


class ContinueRequest(BaseModel):
    code: str = Field(max_length=64, description="The samtalekode, as the user typed it")


class ContinueResult(BaseModel):
    key: str = Field(
        description="A new conversation key for this device; the old device's key stops working"
    )
    status: ChatStatus
    messages: list[ChatMessage]


class RatingRequest(BaseModel):
    rating: int = Field(ge=1, le=5, description="1 (poor) to 5 (very good)")
    comment: str | None = Field(default=None, max_length=2000, description="Optional, free text")


class Notice(BaseModel):
    message: str = Field(
        description="A sentence to show the user, in the conversation's language, or in the "
        "request's Accept-Language (nb, nn, en) when there was no conversation"
    )


class Problem(BaseModel):
    detail: str = Field(
        description="What went wrong, as a sentence to show the user, in the language of the "
        "request's Accept-Language header (nb, nn or en; the default language without it)"
    )
