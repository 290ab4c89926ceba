"""`sync_erased`: the rows an erase removed on this station, by table and id.

A station-local table like the sync bookkeeping (hence the `sync_` prefix, and its own
MetaData, not the models'): it holds ids only. Merge consults it so that an edit or delete of
an erased row that arrives later (an offline station's pending work) is dropped instead of
waiting forever for a row that will never come back (`db.privacy.erased`).
"""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table

metadata = MetaData()

sync_erased = Table(
    "sync_erased",
    metadata,
    Column("tbl", String(64), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("contact_id", String(36), nullable=False),
    sqlite_with_rowid=False,
)
