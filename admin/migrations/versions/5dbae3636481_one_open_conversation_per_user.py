"""one open conversation per user

Revision ID: 5dbae3636481
Revises: a145eb481f27
Create Date: 2026-11-23 19:27:20.118847

A partial unique index: at most one conversation per (channel, user_key) that is not closed.
A database from before it may already hold duplicates (two first messages raced): the user only
ever reached the most recently active one, so the older ones are closed here, each with a line
for staff in its transcript, before the index is built.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '5dbae3636481'
down_revision: str | None = 'a145eb481f27'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "mode != 'closed'"
STAFF_LINE = (
    "Lukket ved oppgradering: brukeren hadde en nyere åpen samtale i samme kanal, "
    "og bare den nyeste kan være åpen."
)

conversation = sa.table(
    'conversation',
    sa.column('id', sa.Uuid()),
    sa.column('channel', sa.String()),
    sa.column('user_key', sa.String()),
    sa.column('mode', sa.String()),
    sa.column('last_activity_at', sa.DateTime(timezone=True)),
    sa.column('closed_at', sa.DateTime(timezone=True)),
)
message = sa.table(
    'message',
    sa.column('conversation_id', sa.Uuid()),
    sa.column('sender', sa.String()),
    sa.column('text', sa.Text()),
    sa.column('payload', sa.JSON()),
    sa.column('truncated', sa.Boolean()),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('delivery', sa.String()),
    sa.column('attempts', sa.Integer()),
)


def _close_older_duplicates() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    is_open = conversation.c.mode != 'closed'
    duplicated = bind.execute(
        sa.select(conversation.c.channel, conversation.c.user_key)
        .where(is_open)
        .group_by(conversation.c.channel, conversation.c.user_key)
        .having(sa.func.count() > 1)
    ).all()
    for channel, user_key in duplicated:
        newest_first = bind.execute(
            sa.select(conversation.c.id)
            .where(
                is_open, conversation.c.channel == channel, conversation.c.user_key == user_key
            )
            .order_by(conversation.c.last_activity_at.desc(), conversation.c.id.desc())
        ).scalars().all()
        for older in newest_first[1:]:
            bind.execute(
                conversation.update()
                .where(conversation.c.id == older)
                .values(mode='closed', closed_at=now)
            )
            bind.execute(
                message.insert().values(
                    conversation_id=older, sender='system', text=STAFF_LINE,
                    payload={'event': 'closed-as-duplicate'}, truncated=False, created_at=now,
                    delivery='internal', attempts=0,
                )
            )


def upgrade() -> None:
    _close_older_duplicates()
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index('uq_conversation_open_user', ['channel', 'user_key'], unique=True, sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index('uq_conversation_open_user', sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
