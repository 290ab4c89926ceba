"""leave kinds and team member colours

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-29 04:50:00

A member's leave says what kind it is (holiday, sick, training), so the Team area and the
Gantt can tell them apart; a member has a colour, used to tell people apart on the chart.
Existing leave becomes holiday; existing members get no colour (the app picks one from the
palette). Both tables are synced, so the triggers are reinstalled with the new columns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.sync.schema import install_triggers

revision: str = "0009"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("time_off", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "holiday",
                    "sick",
                    "training",
                    "other",
                    name="leavekind",
                    native_enum=False,
                    create_constraint=True,
                    length=8,
                ),
                nullable=False,
                server_default="holiday",
            )
        )
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("colour", sa.String(length=7), nullable=False, server_default="")
        )
    install_triggers(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.drop_column("colour")
    with op.batch_alter_table("time_off", schema=None) as batch_op:
        batch_op.drop_column("kind")
    install_triggers(op.get_bind())
