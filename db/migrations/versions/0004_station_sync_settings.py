"""sync settings and agency identity stored with the database

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 04:40:00

The shared folder, the auto-sync interval and the agency's id live in two local, unsynced
tables (`db.sync.local_settings`) instead of the computer user's settings, so opening another
database never syncs it into this one's share. A database that never synced gets a new agency
id; one that did gets its id from the share it synced with (`db.sync.agency`). No synced table
changes, so the outbox triggers need no reinstall.
"""

from collections.abc import Sequence

from alembic import op

from db.sync.local_settings import TABLES, create_tables

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tables(op.get_bind())


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table.name)
