"""Everything read from the share is untrusted: this module checks every field of every record
before sync uses it, and says in one line what is wrong.

Any station, or anyone with write access to the share, can put a file there, so a change file,
`meta.json`, an ack or the lease may hold anything: a list where a value belongs, a number too
big for SQLite, text of 200 MB, JSON nested 100,000 deep. Parsing refuses what a station
could never have written (nesting deeper than our formats use, numbers beyond range, NaN);
then each record kind is checked against its schema below, and each change's values against
the column it is meant for, with the same limits the app's own field rules use
(`db.validation`). A change file that fails is quarantined by the engine with the reason;
a bad meta.json, ack or lease is ignored with the reason.

Each record kind is a `Kind`: a dict of field name -> `Check` (a function returning the
reason a value is wrong, or None) and the fields that must be there. Fields a kind does not
list are allowed (a newer station may add some) but never used. To add a field, add its check
where the kind is defined: a version vector in the change header is
`"vector": vector` in HEADER's fields (and in `required` once every file carries one); a new
field of a change line is checked in `check_change`. Format 2's causal metadata (contexts,
counters, the author's clock) is in HEADER and `_causal_changes`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Float, Integer, String
from sqlalchemy.schema import Column

from db.models import ENTITIES
from db.sync import hlc as clock
from db.sync.wire import FORMAT, Change, Rejected
from db.validation import INTEGER_LIMIT, JSON_MAX_CHARS, JSON_MAX_DEPTH, max_chars

Check = Callable[[Any], str | None]  # a reason when the value is wrong, None when it is fine

# Bytes read of one file at most. A change file holds at most PUSH_BYTES of changes (push
# splits larger batches), so anything bigger was not written by Agency Desk.
CHANGE_FILE_CAP = 64 * 1024 * 1024
PUSH_BYTES = 32 * 1024 * 1024
SMALL_FILE_CAP = 4 * 1024 * 1024  # meta.json, an ack, the lease
SNAPSHOT_CAP = 16 * 1024 * 1024 * 1024
MAX_CHANGES_PER_FILE = 1_000_000
# Deepest nesting our own formats use (header, change, its values) plus a JSON column's own.
WIRE_MAX_DEPTH = 4 + JSON_MAX_DEPTH
# An HLC is wall-clock ms << 16 plus a counter. Clocks before 2000 or after 2200 are not
# clocks; the bound also keeps "row's version + 1", which every local edit stamps, far below
# SQLite's 64-bit integers (2**63 - 1 would overflow into a float).
HLC_MIN = 946_684_800_000 << clock.COUNTER_BITS
HLC_MAX = (7_258_118_400_000 << clock.COUNTER_BITS) - 1
SEQ_MAX = 10**12 - 1  # 12 digits in a change file's name
STATION_ID = re.compile(r"[0-9a-f]{16}")
ROW_ID = re.compile(r"[0-9A-Za-z_.:-]{1,36}")
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,63}")
SCHEMA_REVISION = re.compile(r"[0-9A-Za-z_]{1,32}")
SNAPSHOT_FILE = re.compile(r"\d{8}-[0-9a-f]{64}\.sqlite")
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?")


# -- parsing ----------------------------------------------------------------------------------


def _nesting_too_deep(data: bytes, limit: int) -> bool:
    """True when brackets outside strings nest deeper than `limit`. Checked before parsing,
    so hostile nesting never reaches the recursive parser; a line with few brackets (every
    line we write) is cleared without a scan."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    for token in _TOKEN.finditer(data):
        mark = token.group()
        if mark in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif mark in (b"]", b"}"):
            depth -= 1
    return False


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


# One decoder for every line: json.loads with hooks would build a new one per call.
_DECODER = json.JSONDecoder(parse_float=_finite_float, parse_constant=_refuse_constant)


def load_json(data: bytes, *, depth: int = WIRE_MAX_DEPTH) -> Any:
    """Parse JSON from the share; raises `Rejected` with the reason. Never RecursionError,
    never infinities or NaN, no integers longer than Python's default digit limit."""
    if _nesting_too_deep(data, depth):
        raise Rejected(f"nested deeper than {depth} levels")
    try:
        return _DECODER.decode(data.decode("utf-8"))
    except RecursionError:
        raise Rejected(f"nested deeper than {depth} levels") from None
    except UnicodeDecodeError:
        raise Rejected("not UTF-8 text") from None
    except ValueError as exc:
        raise Rejected(f"not valid JSON ({str(exc)[:80]})") from None


# -- small checks -----------------------------------------------------------------------------


def integer(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return f"{_show(value)} is not a whole number"
        if not low <= value <= high:
            return f"{_show(value)} is out of range"
        return None

    return check


def text(max_len: int, pattern: re.Pattern[str] | None = None) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"{_show(value)} is not text"
        if len(value) > max_len:
            return f"text of {len(value):,} characters (at most {max_len:,})"
        if pattern is not None and not pattern.fullmatch(value):
            return f"{_show(value)} is not in the expected form"
        return None

    return check


def mapping(key: Check, value: Check, max_items: int) -> Check:
    def check(found: Any) -> str | None:
        if not isinstance(found, dict):
            return f"{_show(found)} is not an object"
        if len(found) > max_items:
            return f"{len(found):,} entries (at most {max_items:,})"
        for k, v in found.items():
            problem = key(k) or value(v)
            if problem:
                return f"{_show(k)}: {problem}"
        return None

    return check


def sequence(item: Check, max_items: int) -> Check:
    def check(found: Any) -> str | None:
        if not isinstance(found, list):
            return f"{_show(found)} is not a list"
        if len(found) > max_items:
            return f"{len(found):,} items (at most {max_items:,})"
        for i, v in enumerate(found):
            problem = item(v)
            if problem:
                return f"item {i}: {problem}"
        return None

    return check


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "…"


station_id = text(16, STATION_ID)
seq_number = integer(0, SEQ_MAX)
wall_ms = integer(0, HLC_MAX >> clock.COUNTER_BITS)
hlc_value = integer(HLC_MIN, HLC_MAX)
vector = mapping(station_id, seq_number, 100_000)
# A change's counter is its author's outbox id: far below 2**62 in any real database.
COUNTER_MAX = 2**62
counter = integer(1, COUNTER_MAX)
# A causal context: station -> highest change counter applied (format 2).
context = mapping(station_id, integer(0, COUNTER_MAX), 100_000)

Schema = dict[str, Check]


@dataclass(frozen=True)
class Kind:
    """One record kind: its fields' checks and which of them must be there."""

    name: str
    fields: Schema
    required: frozenset[str]


def check_record(kind: Kind, value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"{kind.name} is {_show(value)}, not an object"
    for name in kind.required:
        if name not in value:
            return f"{kind.name} has no {name!r}"
    for name, check in kind.fields.items():
        if name in value:
            problem = check(value[name])
            if problem:
                return f"{kind.name} {name!r}: {problem}"
    return None


# -- the record kinds on the share ------------------------------------------------------------


def _author(value: Any) -> str | None:
    return None if value is None else text(36, ROW_ID)(value)


HEADER = Kind(
    "header",
    {
        "count": integer(0, MAX_CHANGES_PER_FILE),
        "format": integer(1, 1_000_000),
        "schema": text(32, SCHEMA_REVISION),
        "seq": integer(1, SEQ_MAX),
        "station": station_id,
        # Format 2 (wire.py): the contexts the changes were made in, their counter range,
        # and the author's clock. Required of format 2 in parse_change_file.
        "ctx": sequence(context, MAX_CHANGES_PER_FILE),
        "n": sequence(counter, 2),
        "wall": wall_ms,
        # Who made the changes (team member ids, null: unknown); each line's "a" picks one.
        "authors": sequence(_author, MAX_CHANGES_PER_FILE),
    },
    frozenset({"count", "format", "schema", "seq", "station"}),
)

ACK = Kind(
    "ack",
    {
        "station": station_id,
        "name": text(200),
        "applied": vector,
        "wall_ms": wall_ms,
        "format": integer(1, 1_000_000),
        "unsent": integer(0, 10**12),
        "seen": context,
        "counts": mapping(text(64, IDENTIFIER), integer(0, 10**12), 1000),
    },
    frozenset({"station", "applied", "wall_ms"}),
)

SNAPSHOT_ENTRY = Kind(
    "snapshot entry",
    {
        "generation": integer(1, 99_999_999),
        "name": text(80, SNAPSHOT_FILE),
        "vector": vector,
        "wall_ms": wall_ms,
    },
    frozenset({"generation", "name", "vector", "wall_ms"}),
)

META = Kind(
    "meta.json",
    {
        "format": integer(1, 1_000_000),
        "generation": integer(0, 99_999_999),
        "snapshot": text(80, SNAPSHOT_FILE),
        "vector": vector,
        "schema": text(32, SCHEMA_REVISION),
        "snapshots": sequence(lambda v: check_record(SNAPSHOT_ENTRY, v), 1000),
    },
    frozenset({"format"}),
)

LEASE = Kind(
    "lease",
    {
        "station": station_id,
        "expires_ms": wall_ms,
        "generation": integer(0, 99_999_999),
    },
    frozenset({"station", "expires_ms"}),
)


# -- values of synced columns -----------------------------------------------------------------


def _json_text(value: Any) -> str | None:
    """A JSON column travels as its stored text, which must itself be sane JSON."""
    if not isinstance(value, str):
        return f"{_show(value)} is not JSON text"
    if len(value) > JSON_MAX_CHARS:
        return f"JSON of {len(value):,} characters (at most {JSON_MAX_CHARS:,})"
    try:
        load_json(value.encode(), depth=JSON_MAX_DEPTH)
    except Rejected as exc:
        return str(exc)
    return None


def _date_text(value: Any) -> str | None:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return f"{_show(value)} is not a date"
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"{_show(value)} is not a date"
    return None


def _datetime_text(value: Any) -> str | None:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        return f"{_show(value)} is not a date and time"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return f"{_show(value)} is not a date and time"
    return None


def _boolean(value: Any) -> str | None:
    if value in (0, 1) and not isinstance(value, float):
        return None
    return f"{_show(value)} is not true or false"


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{_show(value)} is not a number"
    if not -INTEGER_LIMIT <= value <= INTEGER_LIMIT:
        return f"{_show(value)} is out of range"
    return None


def _one_of(values: frozenset[str]) -> Check:
    def check(value: Any) -> str | None:
        if value not in values:
            return f"{_show(value)} is not one of {', '.join(sorted(values))}"
        return None

    return check


def column_check(column: Column[Any]) -> Check:
    """The check of one column's values as they travel (SQLite's stored form)."""
    kind = column.type
    base: Check
    if isinstance(kind, Enum):
        base = _one_of(frozenset(str(e) for e in kind.enums))
    elif isinstance(kind, JSON):
        base = _json_text
    elif isinstance(kind, DateTime):
        base = _datetime_text
    elif isinstance(kind, Date):
        base = _date_text
    elif isinstance(kind, Boolean):
        base = _boolean
    elif isinstance(kind, Integer):
        base = integer(-INTEGER_LIMIT, INTEGER_LIMIT)
    elif isinstance(kind, Float):
        base = _number
    elif column.primary_key or column.foreign_keys:
        base = text(36, ROW_ID)
    elif isinstance(kind, String):
        base = text(max_chars(column))
    else:
        base = text(max_chars(column))
    if not column.nullable:
        return lambda v: "must not be empty (NULL)" if v is None else base(v)
    return lambda v: None if v is None else base(v)


@dataclass(frozen=True)
class TableRules:
    name: str
    columns: dict[str, Check]
    required: frozenset[str]  # NOT NULL columns an insert must carry


@cache
def table_rules() -> dict[str, TableRules]:
    rules = {}
    for cls in ENTITIES.values():
        table = cls.__table__
        checks = {c.name: column_check(c) for c in table.columns}
        required = frozenset(
            c.name for c in table.columns if not c.nullable and c.server_default is None
        )
        rules[table.name] = TableRules(table.name, checks, required)
    return rules


def _check_values(rules: TableRules, values: Mapping[str, Any]) -> str | None:
    for name, value in values.items():
        check = rules.columns.get(name)
        if check is None:
            # Not a column of ours: nothing will store it, but it must be a harmless scalar
            # (a column a newer schema added would come with a newer schema revision).
            if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
                return f"field {_show(name)} is not a column name"
            if value is None:
                problem = None
            elif isinstance(value, str):
                problem = text(JSON_MAX_CHARS)(value)
            else:
                problem = _number(value)
        else:
            problem = check(value)
        if problem:
            return f"{rules.name}.{name}: {problem}"
    return None


def _bases(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"'b' is {_show(value)}, not an object"
    for name, base in value.items():
        if name != "*" and not IDENTIFIER.fullmatch(name):
            return f"'b' names {_show(name)}, not a field"
        if problem := integer(0, HLC_MAX)(base):
            return f"'b' {name!r}: {problem}"
    return None


def check_change(line: Any, fmt: int = 1, n: int = 0, ctx: dict[str, int] | None = None) -> Change:
    """One change line, checked in full; raises `Rejected` with the reason. Format 1 lines
    carry per-field bases (`b`); format 2 lines none (the file's context says what was seen,
    and `parse_change_file` gives each change its counter and context)."""
    if not isinstance(line, dict):
        raise Rejected(f"a change is {_show(line)}, not an object")
    keys = ("t", "id", "op", "h", "f", "b") if fmt == 1 else ("t", "id", "op", "h", "f")
    for key in keys:
        if key not in line:
            raise Rejected(f"a change has no {key!r}")
    tbl, row_id, op, stamp, values = (line[k] for k in ("t", "id", "op", "h", "f"))
    bases = line["b"] if fmt == 1 else {}
    if not isinstance(tbl, str) or tbl not in table_rules():
        raise Rejected(f"unknown table {_show(tbl)}")
    rules = table_rules()[tbl]
    if problem := text(36, ROW_ID)(row_id):
        raise Rejected(f"{tbl} id: {problem}")
    if op not in ("I", "U", "D"):
        raise Rejected(f"unknown op {_show(op)} for {tbl} {row_id}")
    if problem := hlc_value(stamp):
        raise Rejected(f"{tbl} {row_id}: clock {problem}")
    if not isinstance(values, dict):
        raise Rejected(f"{tbl} {row_id}: 'f' is {_show(values)}, not an object")
    if problem := _bases(bases):
        raise Rejected(f"{tbl} {row_id}: {problem}")
    if "id" in values and values["id"] != row_id:
        raise Rejected(f"{tbl} {row_id}: its row says id {_show(values['id'])}")
    if op == "I":
        missing = sorted(rules.required - values.keys())
        if missing:
            raise Rejected(f"{tbl} {row_id}: insert without {', '.join(missing)}")
    elif op == "U" and not values:
        raise Rejected(f"{tbl} {row_id}: an edit that changes nothing")
    if problem := _check_values(rules, values):
        raise Rejected(f"{tbl} {row_id}: {problem}")
    return Change(tbl, row_id, op, stamp, values, bases, n, ctx)


def parse_change_file(
    data: bytes, *, station: str, seq: int, schemas: frozenset[str] | set[str]
) -> tuple[dict[str, Any], list[Change]]:
    """A change file's header and changes, every field checked; raises `Rejected`."""
    if len(data) > CHANGE_FILE_CAP:
        raise Rejected(f"larger than {CHANGE_FILE_CAP // (1024 * 1024)} MB")
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        raise Rejected("not a change file (empty)")
    try:
        header = load_json(lines[0])
    except Rejected as exc:
        raise Rejected(f"not a change file ({exc})") from None
    if not isinstance(header, dict) or "format" not in header:
        raise Rejected("not a change file (no header)")
    fmt = header["format"]
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT:
        raise Rejected(f"written in a newer format ({fmt}); update Agency Desk")
    if problem := check_record(HEADER, header):
        raise Rejected(problem)
    if header["schema"] not in schemas:
        raise Rejected(f"written by a newer database schema ({header['schema']})")
    if header["station"] != station or header["seq"] != seq:
        raise Rejected("header does not match its name (a file copied from elsewhere?)")
    body = lines[1:]
    if len(body) != header["count"]:
        raise Rejected(f"holds {len(body)} changes, header says {header['count']}")
    fmt = header["format"]
    if fmt == 1:
        changes = []
        for number, raw in enumerate(body, start=1):
            try:
                changes.append(check_change(load_json(raw)))
            except Rejected as exc:
                raise Rejected(f"change {number}: {exc}") from None
        return header, changes
    return header, _causal_changes(header, body)


def _causal_changes(header: dict[str, Any], body: list[bytes]) -> list[Change]:
    """Format 2: each change with its counter (consecutive from n[0], or its own "n" when
    the range has gaps; strictly increasing either way) and its context (the header's only
    one, or the one its "c" names)."""
    for key in ("ctx", "n", "wall"):
        if key not in header:
            raise Rejected(f"header has no {key!r}")
    contexts, span = header["ctx"], header["n"]
    authors = header.get("authors") or []
    if body and (len(span) != 2 or not contexts):
        raise Rejected("header 'n' or 'ctx' does not fit its changes")
    consecutive = bool(body) and span[1] - span[0] + 1 == len(body)
    changes = []
    last = 0
    for number, raw in enumerate(body, start=1):
        try:
            line = load_json(raw)
            if not isinstance(line, dict):
                raise Rejected(f"a change is {_show(line)}, not an object")
            n: Any = span[0] + number - 1 if consecutive else line.get("n")
            if problem := counter(n):
                raise Rejected(f"counter: {problem}")
            if n <= last:
                raise Rejected("counters out of order")
            which = line.get("c", 0)
            if problem := integer(0, len(contexts) - 1)(which):
                raise Rejected(f"context: {problem}")
            change = check_change(line, 2, n, contexts[which])
            if authors:
                pick = line.get("a", 0)
                if problem := integer(0, len(authors) - 1)(pick):
                    raise Rejected(f"author: {problem}")
                change = replace(change, author=authors[pick])
        except Rejected as exc:
            raise Rejected(f"change {number}: {exc}") from None
        last = n
        changes.append(change)
    if body and last != span[1]:
        raise Rejected("header 'n' does not match its changes' counters")
    return changes
