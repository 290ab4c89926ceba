"""task date constraints: must start on, finish no later than

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 08:30:00

- task.constraint_kind: how the task's dates are held (see `db.models.TaskConstraint`);
  every existing task keeps "start no earlier than", which is what its start date meant.
- task.finish_by: the date a "finish no later than" task must be done by; NULL otherwise.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.sync.schema import install_triggers

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "constraint_kind",
                sa.Enum(
                    "start_no_earlier",
                    "must_start_on",
                    "finish_no_later",
                    name="taskconstraint",
                    native_enum=False,
                    create_constraint=True,
                    length=16,
                ),
                nullable=False,
                server_default="start_no_earlier",
            )
        )
        batch_op.add_column(sa.Column("finish_by", sa.Date(), nullable=True))
    install_triggers(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("finish_by")
        batch_op.drop_column("constraint_kind")
    install_triggers(op.get_bind())
