"""A record's history as its History tab shows it: who changed which field from what to what,
when, and how the change came (made at this station, by sync, a resolved conflict).

`history(session, records, audience)` reads the audit entries of the given rows, newest
first, each with its words ready: the member's name, the record's name, the field's label and
both values as the app shows them. A page names the rows it covers with `client_records`,
`contact_records`, `project_records` or `task_records` (a record and the rows that are part of
it: a contact's important dates, a project's tasks), deleted ones included while their
tombstones last.

For the client's eyes (`Audience.CLIENT`) only the fields in `CLIENT_FACING` show: a
whitelist, as in `db.reports.client_summary`, so a private field (rapport notes, personal
dates) or one added later never does until someone decides it may. Entries of other kinds
(an erase: `capture.record_event`, or `HistoryEntry.event` for one a caller holds) are
internal too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, Enum
from sqlalchemy.orm import Session

from db.audit.schema import ORIGIN_CONFLICT, ORIGIN_LOCAL, ORIGIN_SYNC
from db.labels import elide
from db.models import ENTITIES
from db.money_text import format_money_input
from db.reports.client_summary import Audience

# What a client may see of a record's history: these tables, these fields (creation and
# deletion of the record too).
CLIENT_FACING: dict[str, frozenset[str]] = {
    "client": frozenset({"name", "status", "industry", "website", "client_since"}),
    "contact": frozenset({"name", "title", "email", "phone"}),
    "project": frozenset({"name", "status", "start_date", "due_date"}),
    "task": frozenset({"name", "start_date", "duration_days", "progress", "finish_by"}),
}
# The most entries one history reads: a record edited every day for years is still a list.
MAX_ENTRIES = 5000
VALUE_CHARS = 80  # a value longer than this is cut in the list (the full text is kept)

ACTIONS = {"I": "Created", "U": "Changed", "D": "Deleted", "R": "Restored"}
HOW = {
    ORIGIN_LOCAL: "This station",
    ORIGIN_SYNC: "Sync",
    ORIGIN_CONFLICT: "Conflict resolved",
}
UNKNOWN = "Unknown"
_LABELS = {
    "rapport_notes": "Rapport notes",
    "stay_in_touch_days": "Stay in touch (days)",
    "title": "Role",
    "account_manager_id": "Account manager",
    "project_manager_id": "Project manager",
    "annual_budget_cents": "Annual budget",
    "yearly_gift_budget_cents": "Yearly gift budget",
    "budget_cents": "Budget",
    "duration_days": "Duration (days)",
    "progress": "Progress (%)",
    "parent_id": "Parent task",
    "member_id": "Team member",
    "hours_per_day": "Hours a day",
}
_TABLE_ENTITY = {cls.__table__.name: name for name, cls in ENTITIES.items()}
_NAMED = ("name", "label", "summary", "title")


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a history. `field` is a label ("" for a whole record's creation or
    deletion, or an event); `before` and `after` are the values as shown, in full."""

    at_ms: int
    who: str
    record: str
    action: str
    field: str
    before: str
    after: str
    origin: str
    entity: str = ""
    row_id: str = ""

    @property
    def how(self) -> str:
        return HOW.get(self.origin, self.origin.capitalize())

    @classmethod
    def event(cls, at_ms: int, who: str, record: str, text: str) -> HistoryEntry:
        """An entry that is no field's change ("Personal data erased"), for a history to
        show among the others."""
        return cls(at_ms, who or UNKNOWN, record, text, "", "", "", ORIGIN_LOCAL)


Record = tuple[str, str]  # (table, row id)


def _ids(session: Session, sql: str, params: Sequence[Any]) -> list[str]:
    rows = session.connection().exec_driver_sql(sql, tuple(params)).fetchall()
    return [str(r[0]) for r in rows]


def _children(session: Session, tbl: str, fk: str, parents: Sequence[str]) -> list[str]:
    """Ids of the rows of `tbl` under these parents, live or deleted (by their tombstone)."""
    found: list[str] = []
    for first in range(0, len(parents), 400):
        chunk = list(parents[first : first + 400])
        marks = ", ".join("?" for _ in chunk)
        found += _ids(session, f'SELECT id FROM "{tbl}" WHERE "{fk}" IN ({marks})', chunk)
        found += _ids(
            session,
            f"SELECT row_id FROM sync_tomb WHERE tbl = ? AND json_extract(data, '$.{fk}') "
            f"IN ({marks})",
            [tbl, *chunk],
        )
    return list(dict.fromkeys(found))


ERASED_RECORD = "erased contact"
ERASED_TEXT = "Personal data of a contact erased"


def erasures(session: Session, client_id: str) -> list[HistoryEntry]:
    """The erases of this client's contacts (issue 18), from their synced record, which holds
    who and when and none of the erased data; one entry each (a big erase is written as
    several records)."""
    rows = (
        session.connection()
        .exec_driver_sql(
            "SELECT contact_id, erased_by, min(erased_at) FROM person_erasure WHERE client_id = ? "
            "GROUP BY contact_id, erased_by",
            (client_id,),
        )
        .fetchall()
    )
    found: list[HistoryEntry] = []
    for _contact, who, at in rows:
        when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        at_ms = int(when.replace(tzinfo=UTC).timestamp() * 1000)
        found.append(HistoryEntry.event(at_ms, str(who or ""), ERASED_RECORD, ERASED_TEXT))
    return found


def contact_records(session: Session, contact_id: str) -> list[Record]:
    """A contact and its important dates."""
    dates = _children(session, "important_date", "contact_id", [contact_id])
    return [("contact", contact_id), *(("important_date", d) for d in dates)]


def client_records(session: Session, client_id: str) -> list[Record]:
    """A client, its contacts and their important dates (a project has a history of its
    own)."""
    contacts = _children(session, "contact", "client_id", [client_id])
    dates = _children(session, "important_date", "contact_id", contacts)
    return [
        ("client", client_id),
        *(("contact", c) for c in contacts),
        *(("important_date", d) for d in dates),
    ]


def project_records(session: Session, project_id: str) -> list[Record]:
    """A project and its tasks."""
    tasks = _children(session, "task", "project_id", [project_id])
    return [("project", project_id), *(("task", t) for t in tasks)]


def task_records(session: Session, task_id: str) -> list[Record]:
    """A task and who is assigned to it."""
    assignments = _children(session, "assignment", "task_id", [task_id])
    return [("task", task_id), *(("assignment", a) for a in assignments)]


def history(
    session: Session,
    records: Iterable[Record],
    audience: Audience = Audience.INTERNAL,
    *,
    limit: int = MAX_ENTRIES,
) -> list[HistoryEntry]:
    """The audit entries of these rows, newest first, in words; for `Audience.CLIENT` only
    what `CLIENT_FACING` lets the client see."""
    by_table: dict[str, list[str]] = {}
    for tbl, row_id in records:
        if audience is Audience.CLIENT and tbl not in CLIENT_FACING:
            continue
        by_table.setdefault(tbl, []).append(row_id)
    conn = session.connection()
    rows: list[tuple[Any, ...]] = []
    for tbl, ids in by_table.items():
        for first in range(0, len(ids), 400):
            chunk = ids[first : first + 400]
            marks = ", ".join("?" for _ in chunk)
            rows += conn.exec_driver_sql(
                "SELECT id, tbl, row_id, op, field, old, new, author, at, origin "
                f"FROM audit_entry WHERE tbl = ? AND row_id IN ({marks}) "
                "ORDER BY at DESC, id DESC LIMIT ?",
                (tbl, *chunk, limit),
            ).fetchall()
    if audience is Audience.CLIENT:
        rows = [r for r in rows if r[3] in ACTIONS and _client_may_see(r[1], r[4])]
    rows.sort(key=lambda r: (r[8], r[0]), reverse=True)
    words = _Words(session)
    return [words.entry(r) for r in rows[:limit]]


def _client_may_see(tbl: str, field: str | None) -> bool:
    allowed = CLIENT_FACING.get(tbl)
    return allowed is not None and (field is None or field in allowed)


def field_label(field: str) -> str:
    found = _LABELS.get(field)
    if found is not None:
        return found
    base = field.removesuffix("_id").removesuffix("_cents")
    return base.replace("_", " ").capitalize()


def entity_label(tbl: str) -> str:
    """ "Important date" for important_date."""
    return tbl.replace("_", " ").capitalize()


class _Words:
    """Names of members and records, read once per history."""

    def __init__(self, session: Session) -> None:
        self.conn = session.connection()
        self._names: dict[tuple[str, str], str | None] = {}

    def name_of(self, tbl: str, row_id: str) -> str | None:
        """The name (or label) of a row, live or deleted; None when gone without a trace."""
        key = (tbl, row_id)
        if key in self._names:
            return self._names[key]
        entity = _TABLE_ENTITY.get(tbl)
        name: str | None = None
        if entity is not None:
            columns = ENTITIES[entity].__table__.columns
            column = next((c for c in _NAMED if c in columns), None)
            if column is not None:
                found = self.conn.exec_driver_sql(
                    f'SELECT "{column}" FROM "{tbl}" WHERE id = ?', (row_id,)
                ).fetchone()
                value: Any = None if found is None else found[0]
                if found is None:
                    tomb = self.conn.exec_driver_sql(
                        "SELECT data FROM sync_tomb WHERE tbl = ? AND row_id = ?", (tbl, row_id)
                    ).fetchone()
                    value = None if tomb is None else json.loads(tomb[0]).get(column)
                if value is not None:
                    name = str(value)
        self._names[key] = name
        return name

    def record(self, tbl: str, row_id: str) -> str:
        name = self.name_of(tbl, row_id)
        what = entity_label(tbl)
        return f"{what} “{elide(name, 60)}”" if name else what

    def value(self, tbl: str, field: str | None, value: Any) -> str:
        if value is None or value == "":
            return "(empty)"
        entity = _TABLE_ENTITY.get(tbl)
        column = None
        if entity is not None and field is not None:
            column = ENTITIES[entity].__table__.columns.get(field)
        if column is not None:
            if column.foreign_keys:
                target = next(iter(column.foreign_keys)).column.table.name
                return self.name_of(target, str(value)) or "(deleted)"
            if isinstance(column.type, Boolean):
                return "Yes" if value else "No"
            if isinstance(column.type, Enum):
                return str(value).replace("_", " ").capitalize()
            if field is not None and field.endswith("_cents") and isinstance(value, int):
                return format_money_input(value)
        return str(value)

    def entry(self, row: tuple[Any, ...]) -> HistoryEntry:
        _id, tbl, row_id, op, field, old, new, author, at, origin = row
        who = (self.name_of("team_member", author) if author else None) or UNKNOWN
        record = self.record(tbl, row_id)
        if op not in ACTIONS:  # an event: its text says what happened
            entity = _TABLE_ENTITY.get(tbl, tbl)
            return HistoryEntry(
                int(at), who, record, str(new or ""), "", "", "", str(origin), entity, str(row_id)
            )
        return HistoryEntry(
            int(at),
            who,
            record,
            ACTIONS[op],
            field_label(field) if field else "",
            self.value(tbl, field, old) if op == "U" else "",
            self.value(tbl, field, new) if op == "U" else "",
            str(origin),
            _TABLE_ENTITY.get(tbl, tbl),
            str(row_id),
        )
