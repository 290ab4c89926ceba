"""an erase names the rows it removed that no longer named the contact

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 16:30:00

Issue 18: a contact deleted the ordinary way can be erased afterwards. Their gifts were kept
by that delete as the client's (the contact cleared), so a station receiving the erase cannot
tell them from the client's other gifts; the erasing station finds them in its audit trail
and lists them in `person_erasure.row_ids` ("table:id", ids only), and every station erases
those rows too. The table is synced, so the triggers are reinstalled with the new column.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.sync.schema import install_triggers

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person_erasure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("row_ids", sa.JSON(), nullable=False, server_default="[]"))
    install_triggers(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("person_erasure", schema=None) as batch_op:
        batch_op.drop_column("row_ids")
    install_triggers(op.get_bind())
