"""causal sync metadata: change counters, applied vectors and edit contexts

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 04:45:00

Change files gain a causal context (format 2, see `db.sync.wire`): every version and
tombstone records its change's counter, the applied vector records the highest counter
applied per station, and each outbox row names the context (`sync_ctx`) it was made in.

Versions and tombstones from before keep counter 0: they were made under the old rules and
are taken as seen by every change that carries a context (the HLC still orders them). Own
edits not yet sent travel in the new format, so their versions get their outbox ids now.

`0002` creates the sync tables from the current definitions, so a new database has these
columns already, and `install_triggers` adds them for any migration that installs triggers
before this one runs: each step here only adds what is missing.
"""

from collections.abc import Sequence

from alembic import op

from db.sync.schema import CAUSAL_COLUMNS, ensure_causal_columns, install_triggers

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = CAUSAL_COLUMNS


def upgrade() -> None:
    bind = op.get_bind()
    ensure_causal_columns(bind)
    # Each version looks its outbox row up by (tbl, row_id, hlc); without an index that is a
    # scan of the outbox per version, hours on an agency of a few hundred thousand rows.
    bind.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS tmp_sync_outbox_row ON sync_outbox (tbl, row_id, hlc)"
    )
    # Own unsent edits are sent in the new format with their outbox id as counter.
    unsent = "o.id > (SELECT sent_id FROM sync_ctl) AND o.pushed_seq IS NULL"
    bind.exec_driver_sql(
        "UPDATE sync_version SET n = coalesce((SELECT max(o.id) FROM sync_outbox AS o WHERE "
        "o.tbl = sync_version.tbl AND o.row_id = sync_version.row_id AND o.hlc = "
        f"sync_version.hlc AND {unsent}), 0) WHERE n = 0 AND station = "
        "(SELECT station_id FROM sync_ctl)"
    )
    bind.exec_driver_sql(
        "UPDATE sync_tomb SET n = coalesce((SELECT max(o.id) FROM sync_outbox AS o WHERE "
        "o.tbl = sync_tomb.tbl AND o.row_id = sync_tomb.row_id AND o.hlc = sync_tomb.hlc AND "
        f"{unsent}), 0) WHERE n = 0 AND station = (SELECT station_id FROM sync_ctl)"
    )
    bind.exec_driver_sql("DROP INDEX tmp_sync_outbox_row")
    install_triggers(bind)


def downgrade() -> None:
    raise NotImplementedError("causal sync metadata cannot be removed again")
