"""sync bookkeeping tables and outbox triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:50:00

The tables and triggers come from `db.sync.schema`. A later migration that changes a synced
table's columns must end with `install_triggers(op.get_bind())` (see that module).
"""

from collections.abc import Sequence

from alembic import op

from db.sync.schema import TABLES, create_sync_tables

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_sync_tables(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    for (name,) in bind.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'"
    ).fetchall():
        bind.exec_driver_sql(f'DROP TRIGGER "{name}"')
    for table in reversed(TABLES):
        op.drop_table(table.name)
