"""global search index

Revision ID: 0012
Revises: 0009
Create Date: 2026-11-29 08:00:00

- search_doc and search_fts (FTS5): the global search index (`db.search`). Local to the
  station like the sync tables; built here from the data already present.
"""

from collections.abc import Sequence

from alembic import op

from db.search import rebuild
from db.search.schema import drop

revision: str = "0012"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    rebuild(op.get_bind().connection.driver_connection)


def downgrade() -> None:
    drop(op.get_bind().connection.driver_connection)
