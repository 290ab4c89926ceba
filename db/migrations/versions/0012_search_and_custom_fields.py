"""global search index; custom fields of clients and contacts

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 08:00:00

- search_doc and search_fts_<table> (FTS5): the global search index (`db.search`). Local to
  the station like the sync tables, never synced; built here from the data already present.
- custom_field: a field an agency adds to its clients or contacts (text, number, date,
  choice), internal unless shareable. custom_value: one field's value on one client or
  contact, its id derived from the pair so stations filling in the same field make the same
  row (`db.models.custom_fields`). Both are synced tables: the triggers are installed for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.search import driver, rebuild
from db.search.schema import drop
from db.sync.schema import install_triggers

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "custom_field",
        sa.Column(
            "applies_to",
            sa.Enum(
                "client",
                "contact",
                name="customfieldtarget",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "text",
                "number",
                "date",
                "choice",
                name="customfieldkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("shareable", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_field")),
    )
    op.create_table(
        "custom_value",
        sa.Column("field_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=True),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["field_id"],
            ["custom_field.id"],
            name=op.f("fk_custom_value_field_id_custom_field"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_custom_value_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_custom_value_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_value")),
    )
    with op.batch_alter_table("custom_value", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custom_value_field_id"), ["field_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_custom_value_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_custom_value_contact_id"), ["contact_id"], unique=False
        )
    install_triggers(op.get_bind())
    rebuild(driver(op.get_bind()))


def downgrade() -> None:
    drop(driver(op.get_bind()))
    op.drop_table("custom_value")
    op.drop_table("custom_field")
