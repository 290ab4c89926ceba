"""audit trail: who changed what, when, and how it came

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 13:45:00

Issue 18 (audit trail):
- `audit_entry` and `audit_ctl`, the station's record of every change of every synced table
  and what its triggers need to know (db.audit.schema);
- `sync_outbox.author`, the team member who made a local change, so it travels with sync.
The triggers are reinstalled: the outbox triggers now fill `author`, and each synced table
gets its audit triggers.
"""

import re
from collections.abc import Sequence

from alembic import op

from db.audit import schema as audit
from db.sync.schema import _AUTHOR, install_triggers, live_columns, synced_tables, trigger_sql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    install_triggers(op.get_bind())


def downgrade() -> None:
    conn = op.get_bind()
    tables = synced_tables(conn)
    audit.uninstall(conn, tables)
    # 0013's outbox triggers, which write no author (they would read the table just dropped).
    for tbl in tables:
        for kind in ("ai", "au", "ad"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS sync_{tbl}_{kind}")
        for sql in trigger_sql(tbl, live_columns(conn, tbl)):
            conn.exec_driver_sql(_NO_AUTHOR.sub("", sql.replace(", ctx, author)", ", ctx)")))
    conn.exec_driver_sql('ALTER TABLE "sync_outbox" DROP COLUMN "author"')


_NO_AUTHOR = re.compile(r",\s*" + re.escape(_AUTHOR))
