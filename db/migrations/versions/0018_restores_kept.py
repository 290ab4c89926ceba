"""a local restore keeps the restores applied to its row

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 22:00:00

Issue 10 (soak seed 81): a change made having seen a restore that outranked a delete of its
row without seeing it does not meet that delete, wherever another restore answered it first.
Sync keeps the restores applied to a row in `sync_version` (`+<station>:<n>`, see
`db.sync.merge`); the insert trigger of every synced table now keeps them too when the row
is restored here, with the insert or restore the row existed by before. No table changes,
so only the triggers are reinstalled.
"""

from collections.abc import Sequence

from alembic import op

from db.sync.schema import install_triggers

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    install_triggers(op.get_bind())


def downgrade() -> None:
    # The triggers are built from the current code, which reads the kept restores: they stay.
    install_triggers(op.get_bind())
