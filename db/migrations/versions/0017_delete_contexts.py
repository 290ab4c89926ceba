"""keep the causal context of other stations' deletes of rows others hang under or refer to

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 19:15:00

Issue 10 (soak seed 58): a delete a restore outranked without seeing it is kept aside, and the
rows that went with it (and references to it that read NULL) are listed as lost to a delete
the restore answered. When a restore that had seen the set-aside delete answers it later,
they are lost to it again, unless it had seen them: its causal context says, and sync kept
that only for this station's own deletes (in the outbox). `sync_delete_ctx` keeps it for
other stations' deletes of rows others hang under or refer to, one row per delete. Synced
tables are unchanged, so the triggers stay.
"""

from collections.abc import Sequence

from alembic import op

from db.sync.schema import metadata, sync_delete_ctx

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    metadata.create_all(op.get_bind(), tables=[sync_delete_ctx])


def downgrade() -> None:
    op.drop_table(sync_delete_ctx.name)
