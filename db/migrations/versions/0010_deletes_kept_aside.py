"""restoring a row answers every delete its author had seen

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 08:00:00

A row can be deleted by several stations at once; a restore may have seen some of those
deletes and not others. Sync now keeps every delete of a deleted row (`~<station>:<n>` in
`sync_version`, see `db.sync.merge`), and the insert trigger turns the ones a local restore
answers into remembered deletes (`-<station>`): the triggers are rebuilt.

`sync_conflict` gains `losing_n`, the losing change's counter, so an entry can be dropped when
a later change turns out to have been made having seen it (the conflict list is then the same
on every station, whatever order the files arrived in). `install_triggers` adds the column
(`schema.CAUSAL_COLUMNS`), as it does for every column the sync code relies on.
"""

from collections.abc import Sequence

from alembic import op

from db.sync.schema import install_triggers

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    install_triggers(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("0009 (causal sync metadata) cannot be gone back to either")
