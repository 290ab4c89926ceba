"""Erasing a person (GDPR article 17: "forget me") on this station.

What goes: the contact row and everything that is theirs alone (important dates, gifts for
them, their custom field values, the links that say they took part in an interaction).
What stays: the client's business history. An interaction keeps its date, kind and summary,
and shows "erased contact" where the person was (`PersonErasure.interaction_ids`). Texts that
still name the person (`mentions`) are the user's to edit in the same step (`ErasePerson`).

The rows are removed with the sync triggers silent: a delete would otherwise put the whole old
row in the outbox, and from there into a change file on the share, which is the very thing an
erase must not do. Instead the erase travels as one `PersonErasure` row, and every station
runs `erase_rows` itself when that row arrives (`db.privacy.erased`). `erase_rows` also
scrubs this station's own sync bookkeeping (outbox, conflict list, tombstones, versions) of
the person, removes their words from the search index, and `vacuum` afterwards rewrites the
database file so freed pages do not keep the text. An erase is not undoable, by design: there
is nothing left to undo it from.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from db.changes import ChangeSet, Scope
from db.errors import NotFoundError
from db.models import (
    ENTITIES,
    Contact,
    Interaction,
    PersonErasure,
    new_id,
    utcnow,
)
from db.operations import Update
from db.privacy.mentions import needles
from db.privacy.person import person, tombstoned_links
from db.search.documents import BY_KIND
from db.search.index import refresh as refresh_search
from db.search.schema import present as index_present
from db.store import report_bulk

REDACTED = "[erased]"
IDS_PER_RECORD = 2_000  # 44 characters at most each in JSON: well under a value's 100,000
# Tables whose rows belong to one contact (by `contact_id`), children before the contact.
PERSON_TABLES = ("interaction_contact", "custom_value", "gift", "important_date")
_ENTITY_OF = {cls.__table__.name: name for name, cls in ENTITIES.items()}
# This station's sync bookkeeping columns that can hold a person's words.
_BOOKKEEPING_TEXT = (
    ("sync_conflict", "id", ("losing_value", "winning_value", "row_data")),
    ("sync_tomb", "tbl || '/' || row_id", ("data",)),
)
# The audit trail (db.audit): another row's history may quote them (a summary that named
# them, before the user reworded it in the erase dialog). Such a value goes whole: the rest
# of a text about a person (the allergy it mentioned) is theirs as much as the name.
_HISTORY_COLUMNS = ("old", "new")


@dataclass
class Erased:
    """What an erase removed on this station, by table (ids only)."""

    contact_id: str
    client_id: str = ""
    rows: dict[str, set[str]] = field(default_factory=dict)
    interaction_ids: list[str] = field(default_factory=list)

    def changes(self) -> ChangeSet:
        """The removals as a change set, scoped to the client, for views and the index."""
        found = ChangeSet()
        for tbl, ids in self.rows.items():
            entity = _ENTITY_OF[tbl]
            found.add("removed", entity, ids)
            for id_ in ids:
                found.scope[(entity, id_)] = Scope(self.client_id or None)
        # The interactions themselves are unchanged (and need no new search documents): the
        # removed links tell the lists that show who took part.
        return found


def erase_rows(conn: sqlite3.Connection, contact_id: str, also: Iterable[str] = ()) -> Erased:
    """Remove the contact and their rows, and scrub this station's sync bookkeeping and search
    index of them, inside the caller's transaction. `also`: rows of theirs that no longer
    name them ("gift:<id>", `PersonErasure.row_ids`; only the person's own tables count).
    Idempotent: a second erase (the same erase arriving again, or after a rebuild) finds
    nothing more to do."""
    found = Erased(contact_id)
    # A contact deleted the ordinary way is erased from its tombstone (and its children's).
    who = person(conn.execute, contact_id)
    words: list[str] = []
    if who is not None:
        found.client_id = who.client_id
        words = needles(who.name, who.email)
    secure = conn.execute("PRAGMA secure_delete").fetchone()[0]
    # Freed space is overwritten with zeros as it is freed; `vacuum` then rewrites the file.
    conn.execute("PRAGMA secure_delete = ON")
    (applying,) = conn.execute("SELECT applying FROM sync_ctl WHERE id = 1").fetchone()
    conn.execute("UPDATE sync_ctl SET applying = 1 WHERE id = 1")
    try:
        took_part = {
            r[0]
            for r in conn.execute(
                "SELECT interaction_id FROM interaction_contact WHERE contact_id = ?",
                (contact_id,),
            )
        }
        if who is not None and who.deleted:
            took_part.update(tombstoned_links(conn.execute, contact_id))
        found.interaction_ids = sorted(took_part)
        for tbl in PERSON_TABLES:
            ids = {
                r[0]
                for r in conn.execute(f"SELECT id FROM {tbl} WHERE contact_id = ?", (contact_id,))
            }
            if ids:
                found.rows[tbl] = ids
        for tbl, id_ in _listed_rows(also):
            if conn.execute(f"SELECT 1 FROM {tbl} WHERE id = ?", (id_,)).fetchone():
                found.rows.setdefault(tbl, set()).add(id_)
                conn.execute(f"DELETE FROM {tbl} WHERE id = ?", (id_,))
            else:  # gone here already (or never arrived): its late changes are dropped
                conn.execute(
                    "INSERT OR IGNORE INTO sync_erased (tbl, row_id, contact_id) VALUES (?, ?, ?)",
                    (tbl, id_, contact_id),
                )
        if who is not None and not who.deleted:
            found.rows["contact"] = {contact_id}
        _remember(conn, found)
        _drop_search_documents(conn, found)
        for tbl in PERSON_TABLES:
            conn.execute(f"DELETE FROM {tbl} WHERE contact_id = ?", (contact_id,))
        conn.execute("DELETE FROM contact WHERE id = ?", (contact_id,))
        _scrub_bookkeeping(conn, contact_id, words)
    finally:
        conn.execute("UPDATE sync_ctl SET applying = ? WHERE id = 1", (applying,))
        conn.execute(f"PRAGMA secure_delete = {int(secure)}")
    return found


def _listed_rows(also: Iterable[str]) -> list[tuple[str, str]]:
    """("table", "id") of each "table:id" naming a row of the person's own tables; anything
    else (a damaged or hostile value from another station) is ignored."""
    found = []
    for item in also:
        tbl, sep, id_ = item.partition(":") if isinstance(item, str) else ("", "", "")
        if sep and tbl in PERSON_TABLES and 0 < len(id_) <= 36:
            found.append((tbl, id_))
    return found


def detached_gifts(conn: sqlite3.Connection, contact_id: str) -> list[str]:
    """Gifts that were for the contact and now are for nobody ("gift:<id>"): deleting a
    contact the ordinary way keeps their gifts as the client's. This station's audit trail
    says whose they were; nothing else does, so the erase lists them for every station."""
    return [
        f"gift:{r[0]}"
        for r in conn.execute(
            "SELECT DISTINCT a.row_id FROM audit_entry AS a JOIN gift AS g ON g.id = a.row_id "
            "WHERE a.tbl = 'gift' AND a.field = 'contact_id' AND a.old = ? "
            "AND g.contact_id IS NULL ORDER BY a.row_id",
            (contact_id,),
        )
    ]


def _remember(conn: sqlite3.Connection, found: Erased) -> None:
    """Record every id the person's data had here, tombstoned rows included, so a change to
    any of them that arrives later is dropped (`db.privacy.erased`)."""
    rows = [(tbl, id_, found.contact_id) for tbl, ids in found.rows.items() for id_ in ids]
    rows.append(("contact", found.contact_id, found.contact_id))
    tables = ", ".join(f"'{t}'" for t in PERSON_TABLES)
    rows += [
        (tbl, id_, found.contact_id)
        for tbl, id_ in conn.execute(
            f"SELECT tbl, row_id FROM sync_tomb WHERE tbl IN ({tables}) AND "
            "json_extract(data, '$.contact_id') = ?",
            (found.contact_id,),
        )
    ]
    conn.executemany(
        "INSERT OR IGNORE INTO sync_erased (tbl, row_id, contact_id) VALUES (?, ?, ?)", rows
    )


def _drop_search_documents(conn: sqlite3.Connection, found: Erased) -> None:
    if not index_present(conn):
        return
    for tbl, ids in found.rows.items():
        doc = BY_KIND.get(_ENTITY_OF[tbl])
        if doc is None:
            continue
        listed = json.dumps(sorted(ids))
        where = "kind = ? AND row_id IN (SELECT value FROM json_each(?))"
        picked = f"SELECT id FROM search_doc WHERE {where}"
        conn.execute(f"DELETE FROM {doc.fts} WHERE rowid IN ({picked})", (doc.kind, listed))
        conn.execute(f"DELETE FROM search_doc WHERE {where}", (doc.kind, listed))


def optimize_search(conn: sqlite3.Connection, kinds: Iterable[str]) -> None:
    """Merge the index segments of these kinds: FTS5 keeps a deleted document's words in its
    segments until they are merged, and the words are the person's."""
    if not index_present(conn):
        return
    for kind in sorted(set(kinds)):
        doc = BY_KIND.get(kind)
        if doc is not None:
            conn.execute(f"INSERT INTO {doc.fts} ({doc.fts}) VALUES ('optimize')")


def _scrub_bookkeeping(conn: sqlite3.Connection, contact_id: str, words: list[str]) -> None:
    """This station's outbox, conflict list, tombstones and versions: nothing of the person's
    rows stays, and their name and email are replaced wherever else they were written (an old
    summary that named them, waiting in the outbox or on the conflict list)."""
    erased = "SELECT tbl, row_id FROM sync_erased WHERE contact_id = ?"
    for sql in (
        "DELETE FROM sync_conflict WHERE row_id IN "
        "(SELECT row_id FROM sync_erased WHERE contact_id = ?)",
        f"DELETE FROM sync_tomb WHERE (tbl, row_id) IN ({erased})",
        f"DELETE FROM sync_version WHERE (tbl, row_id) IN ({erased})",
    ):
        conn.execute(sql, (contact_id,))
    # A conflict or tombstone of another row that refers to the person (a gift that was
    # theirs, a link to them) goes too: it would bring them back if restored.
    for sql in (
        "DELETE FROM sync_conflict WHERE instr(coalesce(row_data, '') || "
        "coalesce(losing_value, '') || coalesce(winning_value, ''), ?) > 0",
        "DELETE FROM sync_tomb WHERE instr(data, ?) > 0",
    ):
        conn.execute(sql, (contact_id,))
    # Their rows' history holds every value they ever had, and the erase's own deletes
    # were just recorded there too.
    conn.execute(
        "DELETE FROM audit_entry WHERE (tbl, row_id) IN "
        "(SELECT tbl, row_id FROM sync_erased WHERE contact_id = ?)",
        (contact_id,),
    )
    _scrub_outbox(conn, contact_id, words)
    redact(conn, words)


def _scrub_outbox(conn: sqlite3.Connection, contact_id: str, words: list[str]) -> None:
    """One pass over the outbox (it has no index by row, and holds every row's insert):
    the person's rows' changes go, other texts that name them are replaced."""
    forms = _forms(words)
    like = "".join(" OR data LIKE ? ESCAPE '\\'" for _ in forms)
    rows = conn.execute(
        "SELECT id, row_id IN (SELECT row_id FROM sync_erased WHERE contact_id = ?1), data "
        "FROM sync_outbox WHERE row_id IN (SELECT row_id FROM sync_erased WHERE contact_id = ?1)"
        f"{like}",
        [contact_id, *(f"%{_like_escape(f)}%" for f in forms)],
    ).fetchall()
    gone = [(id_,) for id_, erased, _data in rows if erased]
    conn.executemany("DELETE FROM sync_outbox WHERE id = ?", gone)
    pattern = _pattern(forms)
    conn.executemany(
        "UPDATE sync_outbox SET data = ? WHERE id = ?",
        [(_blanked(data, pattern), id_) for id_, erased, data in rows if not erased],
    )


def _blanked(data: str, pattern: re.Pattern[str]) -> str:
    """A change's values with every text that names the person replaced whole, as in the
    audit trail: the rest of such a text is about them too."""
    try:
        values = json.loads(data)
    except ValueError:
        values = None
    if not isinstance(values, dict):
        return pattern.sub(REDACTED, data)
    for name, value in values.items():
        if isinstance(value, str) and pattern.search(value):
            values[name] = REDACTED
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def _forms(words: list[str]) -> list[str]:
    """Each word as written, and as JSON escapes it (the outbox holds JSON)."""
    return list(dict.fromkeys(f for w in words for f in (w, json.dumps(w)[1:-1])))


def _pattern(forms: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(f) for f in forms), re.IGNORECASE)


def redact(conn: sqlite3.Connection, words: list[str]) -> None:
    """Replace `words` (any case) in the conflict list and tombstones with "[erased]", and
    every value of the audit trail that holds one of them."""
    forms = _forms(words)
    if not forms:
        return
    pattern = _pattern(forms)
    for column in _HISTORY_COLUMNS:
        like = " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for _ in forms)
        args = [f"%{_like_escape(f)}%" for f in forms]
        conn.execute(f"UPDATE audit_entry SET {column} = ? WHERE {like}", [REDACTED, *args])
    for table, key, columns in _BOOKKEEPING_TEXT:
        for column in columns:
            like = " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for _ in forms)
            args = [f"%{_like_escape(f)}%" for f in forms]
            for row_key, text in conn.execute(
                f"SELECT {key}, {column} FROM {table} WHERE {like}", args
            ).fetchall():
                conn.execute(
                    f"UPDATE {table} SET {column} = ? WHERE {key} = ?",
                    (pattern.sub(REDACTED, text), row_key),
                )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def vacuum(path: Path) -> None:
    """Rewrite the database file without its free pages, and empty the write-ahead log (old
    page images stay in it until then). Run after the erase committed, with no transaction
    open on the file."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


# -- the user's erase, through the store ---------------------------------------------------------


@dataclass
class ErasePerson:
    """Erase one contact: apply the user's edits of texts that name them (`edits`: (entity,
    id, field) -> new text, each checked like any edit), erase the person's rows, and record
    the erase so it travels. Run with `Store.apply`, never through the undo stack: it has no
    `revert` worth the name, and the workspace clears its undo history after it (the commands
    there hold the person's old values)."""

    contact_id: str
    erased_by: str = ""
    edits: Mapping[tuple[str, str, str], str] = field(default_factory=dict)
    label: str = "Erase personal data"
    erasure_id: str = field(default_factory=new_id)
    erased: Erased | None = None

    def apply(self, session: Session) -> None:
        if session.get(Contact, self.contact_id) is None and (
            person(session.connection().exec_driver_sql, self.contact_id) is None
        ):
            raise NotFoundError(f"contact {self.contact_id} no longer exists")
        for (entity, row_id, column), text in self.edits.items():
            Update(ENTITIES[entity], row_id, {column: text}, label=self.label).apply(session)
        session.flush()
        conn = _driver(session)
        # The reworded texts' documents are replaced now, before the index is merged, or
        # their old words would stay in it (the store refreshes them again, harmlessly).
        reworded = ChangeSet()
        for entity, row_id, _field in self.edits:
            reworded.add("changed", entity, {row_id})
        refresh_search(conn, reworded)
        deleted = session.get(Contact, self.contact_id) is None
        row_ids = detached_gifts(conn, self.contact_id) if deleted else []
        erased = erase_rows(conn, self.contact_id, also=row_ids)
        optimize_search(conn, {"Contact", *reworded.entities()})
        # The rows went by SQL: the session must forget them, or it would write them back.
        for tbl, ids in erased.rows.items():
            cls = ENTITIES[_ENTITY_OF[tbl]]
            for id_ in ids:
                obj = session.identity_map.get(identity_key(cls, id_))
                if obj is not None:
                    session.expunge(obj)
        for interaction in session.scalars(
            select(Interaction).where(Interaction.id.in_(erased.interaction_ids))
        ):
            session.expire(interaction, ["contact_links"])
        # A JSON value travels only up to 100,000 characters: someone in thousands of
        # interactions takes several records (the first one is the erase's own id).
        took_part = erased.interaction_ids
        chunks = _chunks(took_part)
        row_chunks = _chunks(row_ids)
        when = utcnow()
        for n in range(max(len(chunks), len(row_chunks), 1)):
            session.add(
                PersonErasure(
                    id=self.erasure_id if n == 0 else new_id(),
                    contact_id=self.contact_id,
                    client_id=erased.client_id,
                    erased_by=self.erased_by[:200],
                    erased_at=when,
                    interaction_ids=chunks[n] if n < len(chunks) else [],
                    row_ids=row_chunks[n] if n < len(row_chunks) else [],
                )
            )
        report_bulk(session, erased.changes())
        self.erased = erased

    def revert(self, session: Session) -> None:
        raise NotImplementedError("an erase cannot be undone")


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + IDS_PER_RECORD] for i in range(0, len(ids), IDS_PER_RECORD)]


def _driver(session: Session) -> sqlite3.Connection:
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection), "erasing needs SQLite"
    return raw


def erased_at(session: Session, contact_id: str) -> datetime | None:
    """When the contact was erased on this station's knowledge (None: never)."""
    return session.scalar(
        select(PersonErasure.erased_at).where(PersonErasure.contact_id == contact_id)
    )
