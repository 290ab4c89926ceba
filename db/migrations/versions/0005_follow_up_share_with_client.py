"""follow-ups are internal unless shared with the client

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 05:05:00

A client summary and a client's meeting agenda printed every open follow-up, internal to-dos
and surprises included. `share_with_client` (false for every existing row) marks the ones the
client may see. follow_up is a synced table: its outbox triggers are rebuilt from the live
columns so the new column travels.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.sync.schema import install_triggers

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_with_client", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    install_triggers(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("share_with_client")
    install_triggers(op.get_bind())
