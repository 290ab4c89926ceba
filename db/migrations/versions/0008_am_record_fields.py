"""opportunity probability and currency; a gift's link to the occasion it is for

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 05:00:00

- opportunity.probability: the chance of winning in percent; NULL means the stage's usual
  chance (see `db.am.money.STAGE_PROBABILITY`), so existing rows need no backfill.
- opportunity.currency: NULL means the client's currency.
- gift.important_date_id: the contact's important date a gift is for (a birthday), so the
  occasion shows the gift's state; SET NULL when the date is deleted (the gift stays).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.sync.schema import install_triggers

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("probability", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
    with op.batch_alter_table("gift", schema=None) as batch_op:
        batch_op.add_column(sa.Column("important_date_id", sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_gift_important_date_id"), ["important_date_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_gift_important_date_id_important_date"),
            "important_date",
            ["important_date_id"],
            ["id"],
            ondelete="SET NULL",
        )
    install_triggers(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("gift", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_gift_important_date_id_important_date"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_gift_important_date_id"))
        batch_op.drop_column("important_date_id")
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_column("currency")
        batch_op.drop_column("probability")
    install_triggers(op.get_bind())
