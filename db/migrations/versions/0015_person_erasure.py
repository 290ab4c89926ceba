"""the record of an erased contact, and the rows an erase removed

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 13:40:00

Issue 18 (erase a person everywhere):
- `person_erasure` (synced): which contact was erased, by whom and when, with no personal
  data; the insert is how an erase travels to every station;
- `sync_erased` (this station's own): the ids of the rows an erase removed, so changes to
  them that arrive later are dropped.
The new synced table gets its outbox triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.sync.schema import install_triggers

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_erasure",
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("erased_by", sa.String(length=200), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("interaction_ids", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_erasure")),
    )
    with op.batch_alter_table("person_erasure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_erasure_contact_id"), ["contact_id"], unique=False
        )
    op.create_table(
        "sync_erased",
        sa.Column("tbl", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "row_id"),
        sqlite_with_rowid=False,
    )
    install_triggers(op.get_bind())


def downgrade() -> None:
    op.drop_table("sync_erased")
    op.drop_table("person_erasure")
    install_triggers(op.get_bind())
