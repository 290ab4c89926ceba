"""leave kinds, member colours, costs on tasks, change requests on contacts and tasks

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 04:50:00

Issue 11 (project managers make and change a plan in the app):
- a member's leave says what kind it is (holiday, sick, training); existing leave becomes
  holiday; a member has a colour to tell people apart (existing members get none);
- a cost entry may name the task it was spent on;
- a change request names the client contact who raised it and the tasks its schedule impact
  falls on (a new table, change_request_task).
Every table touched is synced, so the triggers are reinstalled with the new columns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.sync.schema import install_triggers

revision: str = "0006"
down_revision: str | None = "0005"
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
    with op.batch_alter_table("cost_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("task_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_cost_entry_task_id"), ["task_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_cost_entry_task_id_task"),
            "task",
            ["task_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_id", sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_change_request_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_change_request_contact_id_contact"),
            "contact",
            ["contact_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "change_request_task",
        sa.Column("change_request_id", sa.String(length=36), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_request_id"],
            ["change_request.id"],
            name=op.f("fk_change_request_task_change_request_id_change_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
            name=op.f("fk_change_request_task_task_id_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_request_task")),
        sa.UniqueConstraint(
            "change_request_id", "task_id", name=op.f("uq_change_request_task_change_request_id")
        ),
    )
    with op.batch_alter_table("change_request_task", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_request_task_change_request_id"),
            ["change_request_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_change_request_task_task_id"), ["task_id"], unique=False
        )
    install_triggers(op.get_bind())


def downgrade() -> None:
    op.drop_table("change_request_task")
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_request_contact_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_change_request_contact_id_contact"), type_="foreignkey"
        )
        batch_op.drop_column("contact_id")
    with op.batch_alter_table("cost_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cost_entry_task_id"))
        batch_op.drop_constraint(batch_op.f("fk_cost_entry_task_id_task"), type_="foreignkey")
        batch_op.drop_column("task_id")
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.drop_column("colour")
    with op.batch_alter_table("time_off", schema=None) as batch_op:
        batch_op.drop_column("kind")
    install_triggers(op.get_bind())
