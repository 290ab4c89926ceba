"""sync integrity: quarantined files, published and applied change files, install mark

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 05:00:00

Adds what sync needs to survive hostile or damaged files on the share: `sync_quarantine`
(files that failed validation, with the reason), `sync_file` (own files as published, others'
as applied) and `sync_ctl.install_mark` (where this database lives, to tell a copied install
from someone else's file in our folder). Synced tables are unchanged, so the triggers stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.sync.schema import INTEGRITY_TABLES, metadata

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, tables=list(INTEGRITY_TABLES))
    # 0002 builds sync_ctl from the current table definition, which has the column already
    # on a database created from scratch; one made before this revision lacks it.
    columns = {row[1] for row in bind.exec_driver_sql("PRAGMA table_info(sync_ctl)")}
    if "install_mark" not in columns:
        op.add_column("sync_ctl", sa.Column("install_mark", sa.String(64)))


def downgrade() -> None:
    for table in reversed(INTEGRITY_TABLES):
        op.drop_table(table.name)
    with op.batch_alter_table("sync_ctl") as batch:
        batch.drop_column("install_mark")
