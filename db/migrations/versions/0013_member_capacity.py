"""member capacity over time, working days, placeholder people, day rates, overtime

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 07:50:00

Issue 14 (portfolio timeline and team workload), on issue 11's Team:
- a member works on given weekdays (`working_days`, digits Monday=0; existing members work
  Monday to Friday), and their weekly hours and days may change from a date on
  (`member_capacity`, a new table: someone going part-time from March);
- a member may be a placeholder, a role still to fill ("Designer (to hire)");
- a member has a day rate, which prices the hours planned for them;
- overtime a member accepts (extra hours a day over a date range) raises their capacity
  (`overtime`, a new table).
Every table touched is synced, so the triggers are reinstalled with the new columns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.sync.schema import install_triggers

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("working_days", sa.String(length=7), nullable=False, server_default="01234")
        )
        batch_op.add_column(
            sa.Column("placeholder", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("day_rate_cents", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "member_capacity",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("weekly_hours", sa.Float(), nullable=False),
        sa.Column("working_days", sa.String(length=7), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["team_member.id"],
            name=op.f("fk_member_capacity_member_id_team_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_capacity")),
        sa.UniqueConstraint("member_id", "starts_on", name=op.f("uq_member_capacity_member_id")),
    )
    with op.batch_alter_table("member_capacity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_capacity_member_id"), ["member_id"], unique=False
        )
    op.create_table(
        "overtime",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("hours_per_day", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["team_member.id"],
            name=op.f("fk_overtime_member_id_team_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overtime")),
    )
    with op.batch_alter_table("overtime", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_overtime_member_id"), ["member_id"], unique=False)
    install_triggers(op.get_bind())


def downgrade() -> None:
    op.drop_table("overtime")
    op.drop_table("member_capacity")
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.drop_column("day_rate_cents")
        batch_op.drop_column("placeholder")
        batch_op.drop_column("working_days")
    install_triggers(op.get_bind())
