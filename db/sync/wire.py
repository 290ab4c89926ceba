"""The change-file format: JSON lines, a header then one change per line.

    {"count": 2, "format": 1, "schema": "0002", "seq": 7, "station": "3f0c..."}
    {"t": "client", "id": "...", "op": "U", "h": 1176..., "f": {"name": "A"}, "b": {"name": 11...}}

`f` holds the new values (the whole row for an insert, the old row for a delete), `b` the
version each edited field was based on (`*` for a delete). Encoding is deterministic, so a
push re-sent after a crash produces the same bytes, hash and name.
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


def decode(data: bytes, known_schemas: set[str]) -> tuple[dict[str, Any], list[Change]]:
    try:
        lines = data.decode().splitlines()
        header = json.loads(lines[0]) if lines else None
    except (UnicodeDecodeError, ValueError) as exc:
        raise Rejected(f"not a change file ({exc.__class__.__name__})") from exc
    if not isinstance(header, dict) or "format" not in header:
        raise Rejected("not a change file (no header)")
    if header["format"] > FORMAT:
        raise Rejected(f"written in a newer format ({header['format']}); update Agency Desk")
    if header.get("schema") not in known_schemas:
        raise Rejected(f"written by a newer database schema ({header.get('schema')})")
    body = lines[1:]
    if len(body) != header.get("count"):
        raise Rejected(f"holds {len(body)} changes, header says {header.get('count')}")
    changes = []
    try:
        for line in body:
            c = json.loads(line)
            changes.append(Change(c["t"], c["id"], c["op"], int(c["h"]), c["f"], c["b"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise Rejected(f"damaged change line ({exc})") from exc
    return header, changes
