"""The station's audit tables and the triggers that fill them.

`audit_entry` holds one row per change of a record as it happened *here*: an insert ("I"), a
restore of a deleted row ("R"), a delete ("D"), and per changed field of an update ("U") the
field with its value before and after (stored as SQLite holds them: no conversion on the
edit's path). Each row says who (`author`, a team member's id; NULL when unknown), when
(`at`, milliseconds since the epoch, UTC) and how the change came (`origin`). Other kinds of
entry (an erase of a person's data, say) are written by `capture.record_event`, with a
sentence in `new` and no values.

Why triggers, as for the sync outbox (`db.sync.schema`): the entry is written by the
statement that changes the row, so it is in the same transaction by construction, catches
ORM flushes, bulk statements and cascades alike, and costs one INSERT per changed row, with
no Python on the edit's path. Unlike the outbox triggers these also fire while sync applies
a pulled file, so a pulled change is recorded with exactly the values it replaced here.

`audit_ctl` (one row, never synced) tells the triggers what they cannot know:
- `member`: the station's "I am" (kept by the app: `capture.set_member`);
- `origin`: of local edits, normally `local`; `conflict` while a conflict is restored;
- `sync_on`, `sync_author`, `sync_at`: while sync applies a file, the change being applied
  (its author from the change file, its time from its clock). Anything else that writes with
  `sync_ctl.applying` = 1 (a rebuild from a snapshot reloads every row) is not a change of
  anyone's and records nothing; a bulk insert (`applying` = 2) records its rows itself
  (`capture.record_bulk_inserts`).

The tables are created by `ensure_tables`, which `db.sync.schema.install_triggers` calls
before (re)creating every trigger, so any migration that reinstalls triggers leaves them in
place (migration 0014 adds them to existing databases).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from db.sync.hlc import SQL_WALL_MS

AUDIT_TABLES = ("audit_entry", "audit_ctl")  # this station's own, outside the models
ORIGIN_LOCAL = "local"
ORIGIN_SYNC = "sync"
ORIGIN_CONFLICT = "conflict"

# Fields every row keeps up to date by itself: a change of them alone is no one's edit.
QUIET_FIELDS = frozenset({"id", "created_at", "updated_at"})

# `old` and `new` have no declared type, so SQLite keeps each value as the row held it.
CREATE_SQL = (
    """CREATE TABLE IF NOT EXISTS audit_entry (
  id INTEGER PRIMARY KEY,
  tbl VARCHAR(64) NOT NULL,
  row_id VARCHAR(36) NOT NULL,
  op VARCHAR(1) NOT NULL,
  field VARCHAR(64),
  old,
  new,
  author VARCHAR(36),
  at INTEGER NOT NULL,
  origin VARCHAR(16) NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS ix_audit_entry_row ON audit_entry (tbl, row_id)",
    """CREATE TABLE IF NOT EXISTS audit_ctl (
  id INTEGER PRIMARY KEY,
  member VARCHAR(36),
  origin VARCHAR(16) NOT NULL DEFAULT 'local',
  sync_on INTEGER NOT NULL DEFAULT 0,
  sync_author VARCHAR(36),
  sync_at INTEGER NOT NULL DEFAULT 0
)""",
    "INSERT OR IGNORE INTO audit_ctl (id) VALUES (1)",
)

# Who, when and how, for the statement under way: one row, read once per trigger.
_WHO = (
    "(SELECT CASE WHEN s.applying = 0 THEN a.member ELSE a.sync_author END AS author, "
    f"CASE WHEN s.applying = 0 THEN {SQL_WALL_MS} + s.clock_offset_ms ELSE a.sync_at END AS at, "
    f"CASE WHEN s.applying = 0 THEN a.origin ELSE '{ORIGIN_SYNC}' END AS origin "
    "FROM sync_ctl AS s, audit_ctl AS a WHERE s.id = 1 AND a.id = 1) AS w"
)
# Local edits, and the changes of a pulled file (nothing else that writes with triggers off).
_WHEN = (
    "WHEN (SELECT s.applying = 0 OR (s.applying = 1 AND a.sync_on = 1) "
    "FROM sync_ctl AS s, audit_ctl AS a WHERE s.id = 1 AND a.id = 1)"
)
KINDS = ("ai", "au", "ad")


def restored_sql(tbl: str, ref: str) -> str:
    """Whether the row being inserted was here before (a restore): its tombstone is still
    there, or (when the sync trigger ran first) the delete it came back from is on record."""
    return (
        f"(EXISTS (SELECT 1 FROM sync_tomb WHERE tbl = '{tbl}' AND row_id = {ref}.id) OR "
        f"EXISTS (SELECT 1 FROM sync_version WHERE tbl = '{tbl}' AND row_id = {ref}.id "
        "AND field LIKE '-%'))"
    )


def trigger_sql(tbl: str, columns: list[str]) -> list[str]:
    """CREATE TRIGGER statements recording the changes of one table with these columns."""
    fields = [c for c in columns if c not in QUIET_FIELDS]
    changed = " UNION ALL ".join(
        f'SELECT \'{c}\' AS field, OLD."{c}" AS old, NEW."{c}" AS new '
        f'WHERE OLD."{c}" IS NOT NEW."{c}"'
        for c in fields
    )
    insert = "INSERT INTO audit_entry (tbl, row_id, op, field, old, new, author, at, origin)"
    statements = [
        f"""CREATE TRIGGER audit_{tbl}_ai AFTER INSERT ON "{tbl}" {_WHEN} BEGIN
  {insert} SELECT '{tbl}', NEW.id, CASE WHEN {restored_sql(tbl, "NEW")} THEN 'R' ELSE 'I' END,
    NULL, NULL, NULL, w.author, w.at, w.origin FROM {_WHO};
END""",
        f"""CREATE TRIGGER audit_{tbl}_ad AFTER DELETE ON "{tbl}" {_WHEN} BEGIN
  {insert} SELECT '{tbl}', OLD.id, 'D', NULL, NULL, NULL, w.author, w.at, w.origin FROM {_WHO};
END""",
    ]
    if fields:
        statements.append(
            f"""CREATE TRIGGER audit_{tbl}_au AFTER UPDATE ON "{tbl}" {_WHEN} BEGIN
  {insert} SELECT '{tbl}', NEW.id, 'U', f.field, f.old, f.new, w.author, w.at, w.origin
    FROM ({changed}) AS f, {_WHO};
END"""
        )
    return statements


def ensure_tables(conn: Connection) -> None:
    """Create the audit tables where they are missing (idempotent)."""
    for sql in CREATE_SQL:
        conn.exec_driver_sql(sql)


def install(conn: Connection, tables: list[str], columns: dict[str, list[str]]) -> None:
    """(Re)create the audit triggers of these tables, each with its live columns."""
    ensure_tables(conn)
    for tbl in tables:
        for kind in KINDS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit_{tbl}_{kind}")
        for sql in trigger_sql(tbl, columns[tbl]):
            conn.exec_driver_sql(sql)


def uninstall(conn: Connection, tables: list[str]) -> None:
    for tbl in tables:
        for kind in KINDS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit_{tbl}_{kind}")
    conn.exec_driver_sql("DROP TABLE IF EXISTS audit_entry")
    conn.exec_driver_sql("DROP TABLE IF EXISTS audit_ctl")
