"""The change-file format: JSON lines, a header then one change per line.

    {"count": 2, "ctx": [{"9a1c...": 41}], "format": 2, "n": [57, 58], "schema": "0009",
     "seq": 7, "station": "3f0c...", "wall": 1790000000000}
    {"t": "client", "id": "...", "op": "U", "h": 1176..., "f": {"name": "A"}}

`f` holds the new values (the whole row for an insert, the old row for a delete). Each change
has a *dot*, (station, n): `n` is its author's change counter, consecutive from `n[0]` (when
the range has gaps every line carries its own `"n"`). `ctx` is the causal context the changes
were made in: what the author had applied from every other station (station -> highest
counter), so a receiver can tell "had seen" from "concurrent" without trusting clocks. A file
whose changes were made in several contexts lists them all and each line names its own
(`"c"`: index, only when there are several). `wall` is the author's clock at push (a clock
far ahead is flagged by it). `authors` lists the team members who made the changes (the
audit trail's "who", see `db.audit`; `null` for unknown) and each line names its own (`"a"`:
index, only when there are several); a file without it (an older release's, or no member
known) reads as "author unknown". The metadata costs the header's vector plus nothing per line in
the common case.

Format 1 (the previous release) had no counters or contexts and a per-field base HLC `b`
per line; such files are still read (`Change.ctx` is None) and judged by the rule they were
written under. Encoding is deterministic, so a push re-sent after a crash produces the same
bytes, hash and name. Reading a file back is `validate.parse_change_file`: everything on the
share is checked before it is used.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

FORMAT = 2
# The share's layout (meta.json): unchanged by format 2, so a share stays readable to every
# release that reads its change files.
SHARE_FORMAT = 1


class Rejected(Exception):
    """The file cannot be applied (yet); the message is the logged reason."""


@dataclass(frozen=True)
class Change:
    tbl: str
    row_id: str
    op: str
    hlc: int
    fields: dict[str, Any]
    bases: dict[str, int]  # format 1 only
    n: int = 0  # the author's change counter; 0 in format 1
    ctx: dict[str, int] | None = field(default=None, compare=False)  # None in format 1
    # The team member who made it (db.audit); None when unknown or from an older release.
    author: str | None = field(default=None, compare=False)


# (tbl, row_id, op, hlc, data json, base json, outbox id, context id) from the outbox
OutboxRow = tuple[str, str, str, int, str, str, int, int]


def encode(
    station: str,
    seq: int,
    schema: str,
    rows: Sequence[OutboxRow],
    contexts: dict[int, dict[str, int]],
    wall_ms: int,
    authors: Sequence[str | None] = (),
) -> bytes:
    """The JSON SQLite produced is embedded as it is, which keeps a 10,000-change push cheap.
    `contexts` maps each row's context id to its vector; `authors` holds each row's author
    (none known: empty, and the file is byte for byte what the previous release wrote)."""
    order: dict[int, int] = {}
    for row in rows:
        order.setdefault(row[7], len(order))
    ids = [row[6] for row in rows]
    consecutive = not ids or ids[-1] - ids[0] + 1 == len(ids)
    who: dict[str | None, int] = {}
    if any(a is not None for a in authors):
        for author in authors:
            who.setdefault(author, len(who))
    header: dict[str, Any] = {
        "count": len(rows),
        "ctx": [dict(sorted(contexts[c].items())) for c in order],
        "format": FORMAT,
        "n": [ids[0], ids[-1]] if ids else [],
        "schema": schema,
        "seq": seq,
        "station": station,
        "wall": wall_ms,
    }
    if who:
        header["authors"] = list(who)
    parts = [json.dumps(header, sort_keys=True)]
    for i, (tbl, row_id, op, hlc, data, _base, n, ctx) in enumerate(rows):
        extra = "" if consecutive else f', "n": {int(n)}'
        if len(order) > 1:
            extra += f', "c": {order[ctx]}'
        if len(who) > 1:
            extra += f', "a": {who[authors[i]]}'
        parts.append(
            f'{{"t": {json.dumps(tbl)}, "id": {json.dumps(row_id)}, "op": "{op}", '
            f'"h": {int(hlc)}, "f": {data}{extra}}}'
        )
    return ("\n".join(parts) + "\n").encode()
