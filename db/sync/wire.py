"""The change-file format: JSON lines, a header then one change per line.

    {"count": 2, "format": 1, "schema": "0002", "seq": 7, "station": "3f0c..."}
    {"t": "client", "id": "...", "op": "U", "h": 1176..., "f": {"name": "A"}, "b": {"name": 11...}}

`f` holds the new values (the whole row for an insert, the old row for a delete), `b` the
version each edited field was based on (`*` for a delete). Encoding is deterministic, so a
push re-sent after a crash produces the same bytes, hash and name. Reading a file back is
`validate.parse_change_file`: everything on the share is checked before it is used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

FORMAT = 1


class Rejected(Exception):
    """The file cannot be applied (yet); the message is the logged reason."""


@dataclass(frozen=True)
class Change:
    tbl: str
    row_id: str
    op: str
    hlc: int
    fields: dict[str, Any]
    bases: dict[str, int]


def encode(
    station: str, seq: int, schema: str, rows: list[tuple[str, str, str, int, str, str]]
) -> bytes:
    """rows: (tbl, row_id, op, hlc, data json, base json) straight from the outbox; the JSON
    SQLite produced is embedded as it is, which keeps a 10,000-change push cheap."""
    header = {
        "count": len(rows),
        "format": FORMAT,
        "schema": schema,
        "seq": seq,
        "station": station,
    }
    parts = [json.dumps(header, sort_keys=True)]
    for tbl, row_id, op, hlc, data, base in rows:
        parts.append(
            f'{{"t": {json.dumps(tbl)}, "id": {json.dumps(row_id)}, "op": "{op}", '
            f'"h": {int(hlc)}, "f": {data}, "b": {base}}}'
        )
    return ("\n".join(parts) + "\n").encode()
