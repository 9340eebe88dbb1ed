"""The conversation tables: conversations, their transcript, staff notes and anonymous statistics.

Nothing here names a user. A user is a pseudonymous key (HMAC of the channel's user id); the only
reversible value is a channel's delivery address (Telegram's chat id), kept encrypted and deleted
with the conversation. `conversation_stat` is what survives deletion: counts and categories, no
text and no keys. Portable between SQLite and PostgreSQL: enums are VARCHAR + CHECK, lists JSON.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from nlu.interpretation import CrisisLevel
from services_catalog.models import NAMING_CONVENTION, UTCDateTime

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class ConversationBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Channel(StrEnum):
    WEB = "web"
    TELEGRAM = "telegram"
    TERMINAL = "terminal"


class ConversationMode(StrEnum):
    """Who answers: the bot, nobody yet (queued), a staff member, or nobody any more."""

    BOT = "bot"
    WAITING_FOR_STAFF = "waiting_for_staff"
    WITH_STAFF = "with_staff"
    CLOSED = "closed"


# The condition of a partial index is SQL text; the migration that builds it spells out the same.
_OPEN_ONLY = f"mode != '{ConversationMode.CLOSED.value}'"


class Outcome(StrEnum):
    REFERRED = "referred"  # referred to a service from the catalogue (slug required)
    ADVICE_GIVEN = "advice_given"
    EMERGENCY_CONTACTED = "emergency_contacted"
    NO_FURTHER_NEED = "no_further_need"
    USER_LEFT = "user_left"


class Sender(StrEnum):
    USER = "user"
    BOT = "bot"
    STAFF = "staff"
    SYSTEM = "system"


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry; visible to staff
    RECEIVED = "received"  # the user's own message: nothing to deliver
    INTERNAL = "internal"  # a system line for staff only: never shown to the user


def _enum(enum_class: type[Any], name: str) -> Enum:
    """A StrEnum stored by value as VARCHAR with a CHECK constraint (no PostgreSQL ENUM type)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Conversation(ConversationBase):
    __tablename__ = "conversation"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating_range"),
        CheckConstraint(
            "handoff_priority IS NULL OR handoff_priority IN ('acute', 'concern', 'normal')",
            name="handoff_priority",
        ),
        Index("ix_conversation_user", "channel", "user_key"),
        # One open conversation per user and channel, whatever races (two servers, a double
        # tap): the second insert fails and `bot.conversations.start_conversation` continues
        # the first. Closed ones are many: every "close -> write again" starts a new one.
        Index(
            "uq_conversation_open_user",
            "channel",
            "user_key",
            unique=True,
            sqlite_where=text(_OPEN_ONLY),
            postgresql_where=text(_OPEN_ONLY),
        ),
        Index("ix_conversation_mode_activity", "mode", "last_activity_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_key: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 hex, see bot.pseudonyms
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    # Fernet token of the channel address (Telegram chat id); None where the channel needs none.
    delivery_address: Mapped[str | None] = mapped_column(Text, default=None)
    mode: Mapped[ConversationMode] = mapped_column(
        _enum(ConversationMode, "conversation_mode"), default=ConversationMode.BOT
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(8), default="nb")
    crisis_level: Mapped[CrisisLevel] = mapped_column(
        _enum(CrisisLevel, "crisis_level"), default=CrisisLevel.NONE
    )
    crisis_unseen: Mapped[bool] = mapped_column(Boolean, default=False)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    age: Mapped[int | None] = mapped_column(Integer, default=None)
    role: Mapped[str | None] = mapped_column(String(32), default=None)
    claimed_by_staff_id: Mapped[int | None] = mapped_column(Integer, default=None)  # admin's user
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    handoff_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A value of bot.dialogue.turn.Priority; plain text so storage does not import the dialogue.
    handoff_priority: Mapped[str | None] = mapped_column(String(16), default=None)
    queue_place_told: Mapped[int | None] = mapped_column(Integer, default=None)  # last told
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "outcome"), default=None)
    outcome_service_slug: Mapped[str | None] = mapped_column(String(120), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    rating: Mapped[int | None] = mapped_column(Integer, default=None)
    rating_comment: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    samtalekode_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    # Links to the anonymous aggregate; the aggregate never links back.
    stat_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_stat.id", ondelete="SET NULL"), default=None
    )

    messages: Mapped[list["Message"]] = relationship(
        back_populates="conversation",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Message.id",
    )
    notes: Mapped[list["StaffNote"]] = relationship(
        back_populates="conversation",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StaffNote.id",
    )
    stat: Mapped["ConversationStat | None"] = relationship(lazy="raise")


class Message(ConversationBase):
    __tablename__ = "message"
    __table_args__ = (Index("ix_message_delivery_due", "delivery", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[Sender] = mapped_column(_enum(Sender, "sender"))
    staff_id: Mapped[int | None] = mapped_column(Integer, default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    # Reply kind, quick replies and service cards of bot messages; the event of system messages.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # A user message's crisis level when detection found one; None means none was found (or the
    # message is not the user's).
    crisis_level: Mapped[CrisisLevel | None] = mapped_column(
        _enum(CrisisLevel, "message_crisis_level"), default=None
    )
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivery: Mapped[DeliveryState] = mapped_column(
        _enum(DeliveryState, "delivery_state"), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    conversation: Mapped[Conversation] = relationship(back_populates="messages", lazy="raise")


class StaffNote(ConversationBase):
    """A private note by staff on a conversation; never shown to the user."""

    __tablename__ = "staff_note"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    conversation: Mapped[Conversation] = relationship(back_populates="notes", lazy="raise")


class ConversationStat(ConversationBase):
    """One conversation as anonymous numbers and categories; kept when the conversation goes."""

    __tablename__ = "conversation_stat"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)  # the day it started, Europe/Oslo
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "stat_channel"))
    language: Mapped[str] = mapped_column(String(8), default="nb")
    topic: Mapped[str | None] = mapped_column(String(64), default=None)  # the first need's topic
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # every topic seen
    services_suggested: Mapped[list[str]] = mapped_column(JSON, default=list)  # slugs
    unmet_topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # no service matched
    user_messages: Mapped[int] = mapped_column(Integer, default=0)
    crisis_level: Mapped[CrisisLevel] = mapped_column(
        _enum(CrisisLevel, "stat_crisis_level"), default=CrisisLevel.NONE
    )
    helpful: Mapped[bool | None] = mapped_column(Boolean, default=None)  # "Hjalp dette?"
    handoff_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    waited_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "stat_outcome"), default=None)
    rating: Mapped[int | None] = mapped_column(Integer, default=None)
    deleted_by_user: Mapped[bool] = mapped_column(Boolean, default=False)
