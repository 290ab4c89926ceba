"""The sync bookkeeping tables and the outbox triggers.

The tables live on their own `MetaData`: they belong to this station, not to the agency's data
model, and never travel in change files (a snapshot carries the version tables, see
`snapshots.py`).

Why triggers rather than a `before_flush` hook: an SQLite trigger runs inside the statement
that changes the row, so the change record is in the same transaction by construction, and it
catches ORM flushes, bulk `update()`/`delete()`, raw SQL and foreign-key cascades alike. The
price is that a migration which changes a synced table's columns must regenerate them: call
`install_triggers(op.get_bind())` at the end of its `upgrade()` (Alembic's batch mode copies the
table and drops its triggers). `missing_trigger_columns` lets a test catch a forgotten call.

Per row and statement, a trigger:
- ticks the station's HLC (`sync_ctl.hlc`) and stamps the change above every version of the
  row, so an edit made after seeing a change always orders after it (the HLC is only the
  tie-breaker between concurrent changes; see `merge.py`). A station that found its clock
  ahead of the share's by more than `hlc.SHARE_SLACK_MS` (`sync_ctl.clock_excess_ms`) stamps
  by the share's clock instead, so a clock a month ahead cannot win every concurrent write;
- makes sure the station's current causal context is on record: `sync_ctl.ctx` names the
  applied vector (station -> highest change counter applied, its own excluded) and changes
  with every pulled file, and `sync_ctx` keeps that vector the first time an edit is made
  under it. The edit's outbox row names it, so an edit made before a pull never claims to
  have seen what the pull brought;
- writes an outbox row: insert = every column, update = the changed columns only, delete =
  a tombstone carrying the whole old row. The outbox id is the change's counter: with the
  station id it is the change's *dot*, which other stations' vectors are compared with;
- keeps `sync_version` (row `*` = the insert or restore the row exists by, plus one row per
  field edited since, each with its HLC and dot; kept when the row is deleted, so a restore
  is merged with edits it never saw exactly as on a station where they came after it; a
  restored row keeps the delete it came back from as field `-<station>`, so a change made
  before that delete still meets a deleted row wherever it arrives; deletes no restore had
  seen yet wait as `~<station>:<n>`, and a local restore answers them all; the restores
  applied here stay as `+<station>:<n>`, a local restore keeping the `*` it replaces, so
  a change made having seen one is judged by it, `db.sync.merge`) and `sync_tomb`
  (deleted rows, with their last values, so a conflict can restore them).
While sync applies pulled changes `sync_ctl.applying` is 1 and the triggers stay silent.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, text
from sqlalchemy.engine import Connection

from db.models import ENTITIES
from db.sync.hlc import COUNTER_BITS, SQL_WALL_MS

metadata = MetaData()

sync_ctl = Table(
    "sync_ctl",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("station_id", String(36), nullable=False),
    Column("station_name", String(200), nullable=False, server_default=""),
    Column("hlc", Integer, nullable=False, server_default="0"),
    # Added to this station's wall clock; tests use it to skew clocks, users never need to.
    Column("clock_offset_ms", Integer, nullable=False, server_default="0"),
    Column("applying", Integer, nullable=False, server_default="0"),
    Column("seq", Integer, nullable=False, server_default="0"),  # last seq pushed
    # Every outbox id up to here is sent: unsent rows are found by rowid range, no index.
    Column("sent_id", Integer, nullable=False, server_default="0"),
    # A push in flight: (seq, last outbox id). A crash between writing the file and marking
    # the outbox re-pushes exactly the same rows under the same seq: same bytes, same name.
    Column("pushing_seq", Integer),
    Column("pushing_upto", Integer),
    Column("acked", Text, nullable=False, server_default="{}"),  # vector last written to acks/
    Column("generation", Integer, nullable=False, server_default="0"),  # snapshot joined/made
    # Where this database lives (host, path, file): a copy of the file elsewhere is a copied
    # install, which takes a new station id (see engine.check_install). Added by 0007.
    Column("install_mark", String(64)),
    # The causal context local edits are made under: a key of sync_ctx, bumped by every
    # applied file (sync_ctx gets the vector when the first edit under it is made).
    Column("ctx", Integer, nullable=False, server_default="0"),
    # How far this station's clock ran ahead of the share's at its last push, when beyond
    # the slack allowed (else 0); local edits are stamped that much earlier (see hlc.py).
    Column("clock_excess_ms", Integer, nullable=False, server_default="0"),
    # This station's clock minus the share's, measured at the last push (None: not yet).
    Column("share_offset_ms", Integer),
    # The wall clock written into the header of the push in flight, so a re-push after a
    # crash produces the same bytes.
    Column("pushing_wall", Integer),
)

sync_ctx = Table(
    "sync_ctx",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("vector", Text, nullable=False),  # JSON {station: highest counter applied}
)

sync_outbox = Table(
    "sync_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tbl", String(64), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("op", String(1), nullable=False),
    Column("hlc", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("base", Text, nullable=False),  # format 1 only: per-field HLC bases; now '{}'
    Column("pushed_seq", Integer),
    Column("ctx", Integer, nullable=False, server_default="0"),  # sync_ctx id at edit time
    # The team member who made the change (the station's "I am", see db.audit); NULL when
    # unknown. Added by 0014.
    Column("author", String(36)),
)

sync_version = Table(
    "sync_version",
    metadata,
    Column("tbl", String(64), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("field", String(64), primary_key=True),
    Column("hlc", Integer, nullable=False),
    Column("station", String(36), nullable=False),
    # Format 1 kept a base HLC here; now 1 marks a field version a delete of the (deleted)
    # row had seen, so a later edit of the row does not list it as lost (merge.py).
    Column("base", Integer, nullable=False, server_default="0"),
    # The dot's counter: the author's outbox id; 0 = from before causal tracking (format 1).
    Column("n", Integer, nullable=False, server_default="0"),
    sqlite_with_rowid=False,
)

sync_tomb = Table(
    "sync_tomb",
    metadata,
    Column("tbl", String(64), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("hlc", Integer, nullable=False),
    Column("station", String(36), nullable=False),
    # 1: the row went with its parent, by the parent's delete; its own delete, arriving
    # later, takes the tombstone's place (merge.py).
    Column("base", Integer, nullable=False, server_default="0"),
    Column("data", Text, nullable=False),
    Column("n", Integer, nullable=False, server_default="0"),
    sqlite_with_rowid=False,
)

sync_applied = Table(
    "sync_applied",
    metadata,
    Column("station", String(36), primary_key=True),
    Column("seq", Integer, nullable=False),
    # The highest change counter applied from that station: the entry of the applied vector
    # that causal contexts are made of (seq orders files, n orders changes).
    Column("n", Integer, nullable=False, server_default="0"),
)

sync_pushed = Table(
    "sync_pushed",
    metadata,
    Column("station", String(36), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("wall", Integer),  # the clock in its header, to write it again byte for byte
)

SAME_VALUE = -1
sync_conflict = Table(
    "sync_conflict",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # field: same field edited on two stations; delete: a row deleted while edited (or whose
    # parent was deleted) elsewhere; edit_deleted: an edit that arrived for a deleted row;
    # orphan: a row added under a parent deleted elsewhere; unique: two rows claiming one
    # unique key; future: a change stamped far ahead of this station's clock.
    Column("kind", String(16), nullable=False),
    Column("entity", String(64), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("field", String(64)),
    Column("losing_value", Text),  # JSON
    Column("winning_value", Text),  # JSON
    Column("losing_station", String(36)),
    Column("winning_station", String(36)),
    Column("losing_hlc", Integer),
    Column("winning_hlc", Integer),
    Column("row_data", Text),  # JSON of the whole lost row, for delete/orphan/unique
    Column("detected_at", Integer, nullable=False),
    # 1 once the user restored or dismissed it; SAME_VALUE (-1): a field write that lost
    # with the very value that won, kept out of the list while that holds (merge.py).
    Column("resolved", Integer, nullable=False, server_default="0"),
    # The losing change's counter (its dot is losing_station + losing_n), to tell whether a
    # later change had seen it. Added by 0010; NULL in entries from before.
    Column("losing_n", Integer),
)

# Change files as this station last saw them: its own as published (size and time, to notice
# one damaged on the share without reading it) and everyone else's as applied (to notice a
# second file at a seq already applied). Added by migration 0007.
sync_file = Table(
    "sync_file",
    metadata,
    Column("station", String(36), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("size", Integer),
    Column("mtime_ns", Integer),
    sqlite_with_rowid=False,
)

# Files on the share that failed validation, with the reason: listed in the Sync panel until
# the file is gone or was applied after all (db/sync/quarantine.py). Added by migration 0007.
sync_quarantine = Table(
    "sync_quarantine",
    metadata,
    Column("name", String(200), primary_key=True),  # <station>/<seq:012>-<sha256>.jsonl
    Column("station", String(36), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("seen_ms", Integer, nullable=False),
    Column("resolved", Integer, nullable=False, server_default="0"),
)

# Created by migration 0007, not by 0002 (which creates TABLES as they are now).
INTEGRITY_TABLES = (sync_file, sync_quarantine)

# The causal context of other stations' deletes of rows that others hang under or refer to
# (a client's contacts, a member as account manager): keyed by the delete's dot, so the rows
# that went with it share one entry. A delete a restore outranked without seeing it is kept
# aside (merge.py); when a restore that had seen it answers it later, the rows that went with
# the row, and references to it, are listed as lost to it again unless it had seen them,
# which only its context tells. This station's own deletes have theirs in the outbox.
# Created by migration 0017.
sync_delete_ctx = Table(
    "sync_delete_ctx",
    metadata,
    Column("station", String(36), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("vector", Text, nullable=False),  # JSON {station: highest counter applied}
    sqlite_with_rowid=False,
)

TABLES = (
    sync_ctl,
    sync_ctx,
    sync_outbox,
    sync_version,
    sync_tomb,
    sync_applied,
    sync_pushed,
    sync_conflict,
)

TABLE_ENTITY = {cls.__table__.name: name for name, cls in ENTITIES.items()}
ENTITY_TABLE = {name: table for table, name in TABLE_ENTITY.items()}

# Tick the clock, then stamp this change above every version of the row (including its
# tombstone, so a restore outranks the delete it undoes).
_TICK = (
    f"UPDATE sync_ctl SET hlc = max(hlc + 1, ({SQL_WALL_MS} + clock_offset_ms) << {COUNTER_BITS});"
)
# The stamp's clock part: the station's HLC, or, when its clock runs ahead of the share's,
# the share's time (plus the slack) instead.
_CLOCK = (
    "(SELECT CASE WHEN clock_excess_ms > 0 THEN min(hlc, "
    f"(({SQL_WALL_MS} + clock_offset_ms - clock_excess_ms) << {COUNTER_BITS}) + "
    f"{(1 << COUNTER_BITS) - 1}) ELSE hlc END FROM sync_ctl)"
)
# Record the vector the current context stands for, once, before the first edit made in it.
_CONTEXT = (
    "INSERT INTO sync_ctx (id, vector) SELECT c.ctx, (SELECT json_group_object(station, n) "
    "FROM sync_applied WHERE n > 0 AND station <> c.station_id) FROM sync_ctl AS c "
    "WHERE NOT EXISTS (SELECT 1 FROM sync_ctx WHERE id = c.ctx);"
)
_CTX = "(SELECT ctx FROM sync_ctl)"
_AUTHOR = "(SELECT member FROM audit_ctl WHERE id = 1)"


def _row_max(tbl: str, ref: str) -> str:
    return (
        f"max(coalesce((SELECT max(hlc) FROM sync_version WHERE tbl = '{tbl}' AND row_id = "
        f"{ref}.id), 0), coalesce((SELECT hlc FROM sync_tomb WHERE tbl = '{tbl}' AND row_id = "
        f"{ref}.id), 0))"
    )


def _stamp(tbl: str, ref: str) -> str:
    return f"max({_CLOCK}, {_row_max(tbl, ref)} + 1)"


def _obj(ref: str, cols: list[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {ref}.\"{c}\"" for c in cols) + ")"


def trigger_sql(tbl: str, columns: list[str]) -> list[str]:
    """CREATE TRIGGER statements for one synced table with these live columns."""
    fields = [c for c in columns if c != "id"]
    quiet = "WHEN (SELECT applying FROM sync_ctl) = 0"
    unchanged = ", ".join(
        f"CASE WHEN OLD.\"{c}\" IS NEW.\"{c}\" THEN '$.{c}' ELSE '$.__same' END" for c in fields
    )
    changed_data = f"json_remove({_obj('NEW', fields)}, {unchanged})"
    changed_fields = " UNION ALL ".join(
        f'SELECT \'{c}\' AS field WHERE OLD."{c}" IS NOT NEW."{c}"' for c in fields
    )
    last = "(SELECT hlc FROM sync_outbox WHERE id = last_insert_rowid())"
    me = "(SELECT station_id FROM sync_ctl)"
    return [
        f"""CREATE TRIGGER sync_{tbl}_ai AFTER INSERT ON "{tbl}" {quiet} BEGIN
  {_TICK}
  {_CONTEXT}
  INSERT INTO sync_outbox (tbl, row_id, op, hlc, data, base, ctx, author)
    VALUES ('{tbl}', NEW.id, 'I', {_stamp(tbl, "NEW")}, {_obj("NEW", columns)}, '{{}}', {_CTX},
    {_AUTHOR});
  INSERT OR REPLACE INTO sync_version (tbl, row_id, field, hlc, station, base, n)
    SELECT '{tbl}', NEW.id, '-' || station, hlc, station, 0, n FROM sync_tomb
    WHERE tbl = '{tbl}' AND row_id = NEW.id;
  INSERT INTO sync_version (tbl, row_id, field, hlc, station, base, n)
    SELECT '{tbl}', NEW.id, '-' || station, hlc, station, 0, n FROM sync_version
    WHERE tbl = '{tbl}' AND row_id = NEW.id AND field LIKE '~%'
    ON CONFLICT (tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc, n = excluded.n
    WHERE excluded.n > sync_version.n;
  INSERT OR IGNORE INTO sync_version (tbl, row_id, field, hlc, station, base, n)
    SELECT '{tbl}', NEW.id, '+' || station || ':' || n, hlc, station, 0, n FROM sync_version
    WHERE tbl = '{tbl}' AND row_id = NEW.id AND field = '*' AND station <> '';
  DELETE FROM sync_version WHERE tbl = '{tbl}' AND row_id = NEW.id
    AND substr(field, 1, 1) NOT IN ('-', '+');
  DELETE FROM sync_tomb WHERE tbl = '{tbl}' AND row_id = NEW.id;
  INSERT INTO sync_version (tbl, row_id, field, hlc, station, base, n)
    VALUES ('{tbl}', NEW.id, '*', {last}, {me}, 0, last_insert_rowid());
END""",
        f"""CREATE TRIGGER sync_{tbl}_au AFTER UPDATE ON "{tbl}" {quiet} BEGIN
  {_TICK}
  {_CONTEXT}
  INSERT INTO sync_outbox (tbl, row_id, op, hlc, data, base, ctx, author)
    SELECT '{tbl}', NEW.id, 'U', {_stamp(tbl, "NEW")}, {changed_data}, '{{}}', {_CTX}, {_AUTHOR}
    WHERE {changed_data} <> '{{}}';
  INSERT OR REPLACE INTO sync_version (tbl, row_id, field, hlc, station, base, n)
    SELECT '{tbl}', NEW.id, f.field, {last}, {me}, 0, last_insert_rowid()
    FROM ({changed_fields}) AS f;
END""",
        f"""CREATE TRIGGER sync_{tbl}_ad AFTER DELETE ON "{tbl}" {quiet} BEGIN
  {_TICK}
  {_CONTEXT}
  INSERT INTO sync_outbox (tbl, row_id, op, hlc, data, base, ctx, author)
    VALUES ('{tbl}', OLD.id, 'D', {_stamp(tbl, "OLD")}, {_obj("OLD", columns)}, '{{}}', {_CTX},
    {_AUTHOR});
  INSERT OR REPLACE INTO sync_tomb (tbl, row_id, hlc, station, base, data, n)
    SELECT '{tbl}', OLD.id, o.hlc, {me}, 0, o.data, o.id
    FROM sync_outbox AS o WHERE o.id = last_insert_rowid();
END""",
    ]


def live_columns(conn: Connection, tbl: str) -> list[str]:
    return [row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{tbl}")')]


def synced_tables(conn: Connection) -> list[str]:
    present = {
        row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
    }
    return sorted(t for t in TABLE_ENTITY if t in present)


# Columns the triggers rely on that a database from before causal tracking lacks (0009 adds
# them; `install_triggers` too, so a migration ordered before 0009 can install triggers).
CAUSAL_COLUMNS = {
    "sync_ctl": [
        ("ctx", "INTEGER NOT NULL DEFAULT 0"),
        ("clock_excess_ms", "INTEGER NOT NULL DEFAULT 0"),
        ("share_offset_ms", "INTEGER"),
        ("pushing_wall", "INTEGER"),
    ],
    "sync_outbox": [("ctx", "INTEGER NOT NULL DEFAULT 0")],
    "sync_version": [("n", "INTEGER NOT NULL DEFAULT 0")],
    "sync_tomb": [("n", "INTEGER NOT NULL DEFAULT 0")],
    "sync_applied": [("n", "INTEGER NOT NULL DEFAULT 0")],
    "sync_pushed": [("wall", "INTEGER")],
    "sync_conflict": [("losing_n", "INTEGER")],
}


def ensure_causal_columns(conn: Connection) -> None:
    """Add what causal tracking needs where it is missing (idempotent)."""
    for table, columns in CAUSAL_COLUMNS.items():
        have = {r[1] for r in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')}
        if not have:
            continue
        for name, ddl in columns:
            if name not in have:
                conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {ddl}')
    sync_ctx.create(conn, checkfirst=True)
    conn.exec_driver_sql("INSERT OR IGNORE INTO sync_ctx (id, vector) VALUES (0, '{}')")


# Set in a connection's `info` while migrations build a new database (see install_triggers).
DEFER_TRIGGERS = "agency_desk.defer_triggers"


def install_triggers(conn: Connection) -> None:
    """(Re)create the outbox triggers of every synced table from its live columns. Call at the
    end of any migration that adds, drops or rebuilds a synced table."""
    from db.audit import schema as audit

    ensure_causal_columns(conn)
    ensure_author_column(conn)
    if conn.info.get(DEFER_TRIGGERS):
        # A new, empty database built by every migration in turn: only the last step's
        # triggers count, and `db.database` installs them once at the end.
        return
    columns = {tbl: live_columns(conn, tbl) for tbl in synced_tables(conn)}
    for tbl, live in columns.items():
        for kind in ("ai", "au", "ad"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS sync_{tbl}_{kind}")
        for sql in trigger_sql(tbl, live):
            conn.exec_driver_sql(sql)
    # The audit trail's triggers follow the same columns (and need its tables: made here).
    audit.install(conn, list(columns), columns)


def ensure_author_column(conn: Connection) -> None:
    """The outbox's `author` (0014), where a database from before lacks it (idempotent)."""
    have = {r[1] for r in conn.exec_driver_sql('PRAGMA table_info("sync_outbox")')}
    if have and "author" not in have:
        conn.exec_driver_sql('ALTER TABLE "sync_outbox" ADD COLUMN "author" VARCHAR(36)')


def missing_trigger_columns(conn: Connection) -> dict[str, set[str]]:
    """Columns of synced tables that their triggers do not record (should be empty)."""
    found: dict[str, set[str]] = {}
    for tbl in synced_tables(conn):
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type='trigger' AND name = ?", (f"sync_{tbl}_ai",)
        ).scalar()
        cols = set(live_columns(conn, tbl))
        missing = cols if sql is None else {c for c in cols if f'NEW."{c}"' not in sql}
        if missing:
            found[tbl] = missing
    return found


def new_station_id() -> str:
    return secrets.token_hex(8)


def create_sync_tables(conn: Connection, tables: Iterable[Table] = TABLES) -> None:
    """Create the bookkeeping tables, a fresh station identity, and the triggers; rows that
    exist already (a database from before sync) are queued as inserts so they travel too."""
    metadata.create_all(conn, tables=list(tables))
    conn.execute(
        text("INSERT INTO sync_ctl (id, station_id, station_name) VALUES (1, :sid, '')"),
        {"sid": new_station_id()},
    )
    conn.exec_driver_sql("INSERT OR IGNORE INTO sync_ctx (id, vector) VALUES (0, '{}')")
    install_triggers(conn)
    enqueue_existing_rows(conn)


def enqueue_existing_rows(conn: Connection) -> None:
    """Queue every row present as an insert, parents before children (and parent tasks
    before subtasks), so a receiver never meets a child before its parent."""
    from db.models import Base

    conn.exec_driver_sql(_TICK)
    before = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM sync_outbox").scalar()
    present = set(synced_tables(conn))
    for table in Base.metadata.sorted_tables:
        tbl = table.name
        if tbl not in present:
            continue
        cols = live_columns(conn, tbl)
        self_fk = next(
            (fk.parent.name for fk in table.foreign_keys if fk.column.table is table), None
        )
        if self_fk:
            source = (
                f'WITH RECURSIVE d(id, depth) AS (SELECT id, 0 FROM "{tbl}" WHERE "{self_fk}" '
                f'IS NULL UNION ALL SELECT t.id, d.depth + 1 FROM "{tbl}" AS t JOIN d ON '
                f't."{self_fk}" = d.id) SELECT r.* FROM "{tbl}" AS r JOIN d ON d.id = r.id '
                "ORDER BY d.depth"
            )
        else:
            source = f'SELECT * FROM "{tbl}"'
        conn.exec_driver_sql(
            f"INSERT INTO sync_outbox (tbl, row_id, op, hlc, data, base) "
            f"SELECT '{tbl}', NEW.id, 'I', (SELECT hlc FROM sync_ctl), {_obj('NEW', cols)}, '{{}}' "
            f"FROM ({source}) AS NEW"
        )
        conn.exec_driver_sql(
            f"INSERT INTO sync_version (tbl, row_id, field, hlc, station, base, n) "
            f"SELECT '{tbl}', o.row_id, '*', o.hlc, (SELECT station_id FROM sync_ctl), 0, o.id "
            f"FROM sync_outbox AS o WHERE o.tbl = '{tbl}' AND o.op = 'I' AND o.id > ?",
            (before,),
        )
