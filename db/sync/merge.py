"""Applying one pulled change file to the local database, field by field.

Every station applies the same rules, so every station converges:
- *Had seen* is causal, never a clock comparison: a change carries its dot (author, counter)
  and the context it was made in (what its author had applied from every station). A local
  version was seen by an incoming change when the change's context covers the version's dot
  (or both come from one station, in its order).
- Files wait for their causal predecessors (`engine.pull`): a change is applied only after
  everything its author had seen, so it is judged against exactly what it could know of.
- A field's value: a change replaces a version it had seen. Two changes neither of which saw
  the other are concurrent: the higher (HLC, station id) wins and the loser goes to
  `sync_conflict`, restorable. Because a local edit is stamped above every version of its
  row, the HLC order agrees with the causal order, so the winner is a pure function of the
  set of changes (the concurrent one with the highest HLC), whatever order they arrive in.
  `created_at`/`updated_at` merge the same way but never count as conflicts.
- A row exists by its insert (or restore); a delete removes the row. A delete answers only
  what its author had seen: edits it had not seen go to the conflict list with the whole
  row, children added meanwhile too. An insert or restore and a delete that did not see it
  are concurrent; the higher (HLC, station) decides whether the row stays, and a losing
  restore is listed again. A restore made after seeing a delete dominates it on every
  station. An edit arriving for a deleted row was not seen by that delete (it would have
  waited otherwise): it is listed as `edit_deleted`.
- Every delete of a row is kept: the tombstone names the highest; the others, and deletes a
  restore outranked without seeing them, are kept aside (`~<station>:<n>`). Any insert or
  restore answers the deletes its author had seen (they become `-<station>`, remembered),
  so which deletes a restored row remembers depends on the changes, not their order. A
  delete a restore outranked unseen lists nothing of the row (as where it came second).
- A conflict entry is the change that lost, on its row and field (none for a whole row):
  a row lost with its parent is an `orphan`, a row's own delete beating a restore is a
  `delete`, each edit a delete never saw is an `edit_deleted` with the fields it holds,
  whichever side arrived first. When what an entry lost to changes (a higher write or
  delete, a restore that voids the delete), the entry follows. The list is a function of
  the changes applied, not of their order (tests/sync/test_arrival_order.py):
  - supersession: an entry goes once a change made having seen its loser writes that
    field, or deletes or restores the row (this station's own edits too, when pushed):
    every station applies that change after the loser, so each lists the loser first or
    never. A delete marks the field versions it saw (`base` = 1), so an edit arriving
    later for the deleted row does not list them as losing to it;
  - a field write that lost with the very value that won is kept hidden (`SAME_VALUE`),
    and shows once a write it was concurrent with wins with another value;
  - an `edit_deleted` entry holds only the fields its edit still holds; a restore of the
    row ends them all (each field is then live or lost by field), and a restore lost to
    a delete is listed with its row, not field by field;
  - a row's tombstone names its own delete over its parent's cascade (the parent's delete
    finds the row gone where the row's own came first); a row that went with its parent
    names the highest delete of the parent its insert never saw (its tombstone follows a
    higher delete of the parent that overtakes the one that took it, so an edit of it
    arriving later is lost to that one, as where it came first), also when the parent,
    restored meanwhile, is deleted again, and when a delete set aside is answered later by
    a restore that had seen it (so other stations' deletes of rows others hang under or
    refer to keep their causal context, `sync_delete_ctx`: it says what the delete saw);
    a reference that reads NULL follows the same way;
  - an insert or restore supersedes what its author saw listed even when it loses; a
    restore lost to a delete merges into the deleted row field by field and is listed
    only while it holds something (the row exists by it, or it wrote a surviving field);
  - a write whose reference reads NULL (its row was deleted) shows NULL as the value that
    won in what lost to it; it is listed as lost to that delete until a higher write takes
    the field, and then as lost to that write. A delete nulls the references that rows
    deleted here still hold too (tombstone and entries), so an edit lost with its row
    holds NULL whichever delete came first;
  - an orphan entry naming an older cascade of its row follows the parent's later delete
    even when the row went meanwhile by its own (only one naming that keeps it);
  - a restore under a parent deleted by a delete it never saw merges into the deleted row
    by field and is that delete's orphan while it holds anything; rows that had gone with
    the row follow that delete, as where it took the restored row; so does the row's
    tombstone, over the delete the restore came back from (answered, as by a restore that
    takes effect), and each edit lost with the row holds what it still holds after the
    merge, lost to the parent's delete;
  - an entry that shows a row shows its latest values, live or deleted; a reference a
    delete of its row had seen is not lost to its target's delete.
- A deleted row keeps its field versions (an edit arriving for it still updates them), so a
  restore is merged with edits it never saw by the field rule above, as on a station where
  those edits came after the restore. A restored row keeps the delete it came back from, so
  a change made before that delete still meets a deleted row wherever it arrives.
- A row arriving under a parent deleted here (or deleted by a delete it never saw, restored
  since) is not inserted: it is recorded as an `orphan` conflict and tombstoned; the
  station that added it drops it too when the parent's delete reaches it. A reference to
  such a row in a SET NULL column becomes NULL, with the old reference in the conflict list;
  but a row restored there since (by a restore that saw that delete) stays: an insert or
  edit of it that never saw the delete and does not move it merges by field, the insert
  listed as the delete's orphan (as where it came first and the delete took it);
  the field keeps the version of the write that won it, so its winner is still decided
  among the writes alone, as on a station where the delete came after them. A delete
  outranked by a restore the change had seen (unseen by both) does not count: where they
  came first that restore set it aside. The parent then goes for the change only with its
  own parent (a local cascade deletes a row one tick below its parent); restores applied
  here are kept for this (`+<station>:<n>`).
- A row whose parent (or whose own insert) has not arrived yet is not an error: the file
  waits (`Deferred`) and is retried after other stations' files, or at the next sync.
- Two rows claiming one unique key (two stations adding the same setting): the higher
  version keeps it, the other is tombstoned and listed as a `unique` conflict.
- Format 1 files (no dots or contexts) are judged as they were written: a field's base HLC
  says what the author had seen. Versions from before causal tracking (counter 0) count as
  seen by every change that carries a context.
- A station whose clock is far ahead is flagged once, with its offset (`future`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import UniqueConstraint

from db.change_scope import Known, row_scope
from db.changes import ChangeSet
from db.models import ENTITIES
from db.privacy.erased import ErasedPeople
from db.sync import hlc as clock
from db.sync.schema import SAME_VALUE, TABLE_ENTITY
from db.sync.wire import Change

# sync_version rows that are field versions (`*` and column names), not deletes a restored
# row remembers (`-<station>`: answered by a restore that had seen it) or keeps aside
# (`~<station>:<n>`: no restore applied here had seen it), nor the restores applied here
# (`+<station>:<n>`: see `_unseen_delete`).
FIELDS_ONLY = "substr(field, 1, 1) NOT IN ('-', '~', '+')"
QUIET_FIELDS = frozenset({"created_at", "updated_at"})
Version = tuple[int, str, int]  # hlc, station, counter (the dot is station + counter)
NO_VERSION: Version = (0, "", 0)
Tomb = tuple[int, str, int, str]  # hlc, station, counter, old row as JSON


def versions_star(versions: dict[str, Version]) -> tuple[int, str]:
    """The (HLC, station) of the insert or restore a row exists by."""
    star = versions.get("*", NO_VERSION)
    return star[0], star[1]


class Deferred(Exception):
    """The file refers to rows that have not arrived yet; apply it later."""


@dataclass(frozen=True)
class ForeignKey:
    column: str
    target: str
    ondelete: str


@dataclass
class TableInfo:
    name: str
    columns: list[str]
    fks: list[ForeignKey]
    referrers: list[tuple[str, ForeignKey]]
    uniques: list[tuple[str, ...]]
    column_set: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.column_set = frozenset(self.columns)


def table_infos(conn: sqlite3.Connection) -> dict[str, TableInfo]:
    infos: dict[str, TableInfo] = {}
    for name, cls in ENTITIES.items():
        table = cls.__table__
        live = [r[1] for r in conn.execute(f'PRAGMA table_info("{table.name}")')]
        if not live:
            continue
        fks = [
            ForeignKey(fk.parent.name, fk.column.table.name, (fk.ondelete or "").upper())
            for fk in table.foreign_keys
        ]
        uniques = [
            tuple(c.name for c in con.columns)
            for con in table.constraints
            if isinstance(con, UniqueConstraint)
        ] + [(c.name,) for c in table.columns if c.unique]
        infos[table.name] = TableInfo(table.name, live, fks, [], uniques)
        assert TABLE_ENTITY[table.name] == name
    for info in infos.values():
        for fk in info.fks:
            if fk.target in infos:
                infos[fk.target].referrers.append((info.name, fk))
    return infos


@dataclass
class Outcome:
    changes: ChangeSet = field(default_factory=ChangeSet)
    applied: int = 0
    conflicts: int = 0
    flagged: int = 0
    max_hlc: int = 0


def _j(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class Merger:
    """Applies changes inside the caller's transaction (with `sync_ctl.applying` = 1)."""

    def __init__(self, conn: sqlite3.Connection, infos: dict[str, TableInfo], now_ms: int) -> None:
        self.conn = conn
        self.infos = infos
        self.now_ms = now_ms
        self.out = Outcome()
        self._scopes: Known = {}  # parents' scopes, for the rows this pull deletes
        # Rows with a listed entry (entity, row id), read once: most changes touch none,
        # and the list has no index by row.
        self._listed: set[tuple[str, str]] | None = None
        # Erased people (issue 18): their late changes are dropped, an arriving erase is
        # carried out here too.
        self.erased = ErasedPeople(conn)
        # What deleted rows refer to, per (table, column), read once when first asked: a
        # delete looks for deleted rows still referring to it only where one may (a pull
        # deleting thousands of rows would otherwise read every tombstone for each).
        self._tomb_refs: dict[tuple[str, str], set[Any]] = {}

    def _has_entries(self, entity: str, row_id: str) -> bool:
        if self._listed is None:
            self._listed = set(
                self.conn.execute(
                    "SELECT DISTINCT entity, row_id FROM sync_conflict WHERE resolved <= 0 "
                    "AND kind <> 'future'"
                ).fetchall()
            )
        return (entity, row_id) in self._listed

    # -- small queries ---------------------------------------------------------------------

    def _row(self, tbl: str, row_id: str) -> dict[str, Any] | None:
        cur = self.conn.execute(f'SELECT * FROM "{tbl}" WHERE id = ?', (row_id,))
        found = cur.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cur.description], found, strict=True))

    def _exists(self, tbl: str, row_id: str) -> bool:
        q = f'SELECT 1 FROM "{tbl}" WHERE id = ?'
        return self.conn.execute(q, (row_id,)).fetchone() is not None

    def _tomb(self, tbl: str, row_id: str) -> Tomb | None:
        tomb: Tomb | None = self.conn.execute(
            "SELECT hlc, station, n, data FROM sync_tomb WHERE tbl = ? AND row_id = ?",
            (tbl, row_id),
        ).fetchone()
        return tomb

    def _versions(self, tbl: str, row_id: str) -> dict[str, Version]:
        rows = self.conn.execute(
            "SELECT field, hlc, station, n FROM sync_version WHERE tbl = ? AND row_id = ? "
            f"AND {FIELDS_ONLY}",
            (tbl, row_id),
        )
        return {f: (h, s, n) for f, h, s, n in rows}

    def _past_deletes(self, tbl: str, row_id: str) -> list[Version]:
        """Deletes a restored row came back from (the latest per deleting station)."""
        return self.conn.execute(
            "SELECT hlc, station, n FROM sync_version WHERE tbl = ? AND row_id = ? "
            "AND field LIKE '-%'",
            (tbl, row_id),
        ).fetchall()

    def _void_deletes(self, tbl: str, row_id: str) -> list[tuple[str, Version]]:
        """Deletes of the row known here that no restore applied here had seen."""
        rows = self.conn.execute(
            "SELECT field, hlc, station, n FROM sync_version WHERE tbl = ? AND row_id = ? "
            "AND field LIKE '~%'",
            (tbl, row_id),
        )
        return [(f, (h, s, n)) for f, h, s, n in rows]

    def _void(self, tbl: str, row_id: str, v: Version) -> None:
        """Keep a delete that lost (to a restore that never saw it, or to a higher delete as
        the row's tombstone): a restore that had seen it, arriving later, answers it."""
        self.conn.execute(
            "INSERT OR IGNORE INTO sync_version (tbl, row_id, field, hlc, station, base, n) "
            "VALUES (?, ?, ?, ?, ?, 0, ?)",
            (tbl, row_id, f"~{v[1]}:{v[2]}", *v),
        )

    def _relist_void(self, tbl: str, row_id: str, void: Version) -> None:
        """A restore outranked this delete without seeing it: rows and references it took
        with the row stay as they are (each was made before a delete the restore answered,
        and that one takes them where the restore came first), so their entries name that
        delete instead. Entries are kept, never dropped: a list entry too many is safe."""
        winner = (void[1], void[0])
        answered = max(self._past_deletes(tbl, row_id), default=None)
        if answered is not None:
            self.conn.execute(
                "UPDATE sync_conflict SET winning_station = ?, winning_hlc = ? WHERE "
                "resolved <= 0 AND kind <> 'future' AND winning_station = ? AND winning_hlc = ?",
                (answered[1], answered[0], *winner),
            )

    def _relist_overtaken(
        self,
        old: tuple[int, str],
        station: str,
        change: Change,
        only: tuple[str, str] | None = None,
    ) -> None:
        """A higher delete of a deleted row arrived: what the lower one had listed lost to
        this one too, as where this one came first (`only`: just this row's entries, the
        lower one being its parent's delete). An entry is kept even when this delete had
        seen its loser (it then keeps naming the lower delete)."""
        args: tuple[str, ...]
        where, args = "", ()
        if only is not None:
            where, args = " AND entity = ? AND row_id = ?", (TABLE_ENTITY[only[0]], only[1])
        listed = self.conn.execute(
            "SELECT id, losing_hlc, losing_station, losing_n FROM sync_conflict WHERE "
            "resolved <= 0 AND kind <> 'future' AND winning_station = ? AND winning_hlc = ?"
            + where,
            (old[1], old[0], *args),
        ).fetchall()
        for entry, lh, ls, ln in listed:
            if None not in (lh, ls, ln) and self.saw(station, change, (lh, ls, ln), "*"):
                continue  # it had seen it: the entry keeps naming the delete it lost to
            self.conn.execute(
                "UPDATE sync_conflict SET winning_station = ?, winning_hlc = ? WHERE id = ?",
                (station, change.hlc, entry),
            )

    def _retarget_cascade(
        self,
        tbl: str,
        row_id: str,
        old: tuple[int, str],
        station: str,
        change: Change,
        *,
        relist: bool = True,
    ) -> None:
        """The row's own delete takes the place of its parent's, which had taken it: the row
        and the rows that went with it (children, rows added under it since) lost to this
        delete, as where it came first and the parent's delete found them gone. Without
        `relist` only the tombstones of the rows that went with it follow (a higher delete
        of the row overtook `old`, and `_relist_overtaken` moved every entry already)."""
        if relist:
            self._relist_overtaken(old, station, change, only=(tbl, row_id))
        for child_tbl, fk in self.infos[tbl].referrers if tbl in self.infos else []:
            if fk.ondelete == "SET NULL" or child_tbl == tbl:
                continue
            children = self.conn.execute(
                "SELECT row_id FROM sync_tomb WHERE tbl = ? AND hlc = ? AND station = ? AND "
                f"base = 1 AND json_extract(data, '$.\"{fk.column}\"') = ?",
                (child_tbl, old[0], old[1], row_id),
            ).fetchall()
            for (child_id,) in children:
                self.conn.execute(
                    "UPDATE sync_tomb SET hlc = ?, station = ?, n = ? WHERE tbl = ? AND row_id = ?",
                    (change.hlc, station, change.n, child_tbl, child_id),
                )
                self._retarget_cascade(child_tbl, child_id, old, station, change, relist=relist)

    def _answer_deletes(self, station: str, change: Change) -> None:
        """An insert or restore answers every delete of its row its author had seen: from
        now on a change made before such a delete meets a deleted row. Which deletes are
        answered is then a function of the changes applied, not of their order: every
        restore is weighed against every delete it saw (they all arrived before it)."""
        for fld, v in self._void_deletes(change.tbl, change.row_id):
            if self.saw(station, change, v, "*"):
                self._remember_delete(change.tbl, change.row_id, v)
                self.conn.execute(
                    "DELETE FROM sync_version WHERE tbl = ? AND row_id = ? AND field = ?",
                    (change.tbl, change.row_id, fld),
                )
                self._relist_answered(change.tbl, change.row_id, v)

    def _relist_answered(self, tbl: str, row_id: str, v: Version) -> None:
        """A delete set aside (a restore outranked it unseen, and what it took with the row
        was listed as lost to a delete that restore answered: `_relist_void`) is answered:
        it counts again, so a row that went with this one, or a reference to it that reads
        NULL, is lost to it if it is the higher and had not seen that change, as where it
        came after this answer (soak seed 58). Whether it had seen is its causal context,
        kept for this (`sync_delete_ctx`); without one (an older file, a delete from before
        it was kept) entries stay."""
        if not self._has_referrers(tbl):
            return
        ctx = self._delete_ctx(v)
        if ctx is None:
            return
        by = Change(tbl, row_id, "D", v[0], {}, {}, v[2], ctx)
        self._relist_gone_children(tbl, row_id, (v[1], v[0]), by)
        counted = {(h, s) for h, s, _n in self._past_deletes(tbl, row_id)}
        for child_tbl, fk in self.infos[tbl].referrers:
            if fk.ondelete != "SET NULL" or child_tbl == tbl:
                continue
            listed = self.conn.execute(
                "SELECT id, losing_hlc, losing_station, losing_n, winning_hlc, winning_station "
                "FROM sync_conflict WHERE entity = ? AND kind = 'field' AND field = ? AND "
                "resolved <= 0 AND losing_value = ? AND (winning_hlc < ? OR (winning_hlc = ? "
                "AND winning_station < ?))",
                (TABLE_ENTITY[child_tbl], fk.column, _j(row_id), v[0], v[0], v[1]),
            ).fetchall()
            for entry, lh, ls, ln, wh, ws in listed:
                if (wh, ws) not in counted or None in (lh, ls, ln):
                    continue  # lost to a write, not to a delete of this row
                if not self.saw(v[1], by, (lh, ls, ln), fk.column):
                    self.conn.execute(
                        "UPDATE sync_conflict SET winning_station = ?, winning_hlc = ? "
                        "WHERE id = ?",
                        (v[1], v[0], entry),
                    )

    def _has_referrers(self, tbl: str) -> bool:
        """Can rows of other tables go with a row of `tbl`, or refer to it?"""
        info = self.infos.get(tbl)
        return info is not None and any(child != tbl for child, _fk in info.referrers)

    def _keep_delete_ctx(self, station: str, change: Change) -> None:
        """Keep the context of another station's delete of a row others hang under or refer
        to (see `_relist_answered`); its dot names it, the rows going with it share it."""
        if change.ctx is not None and self._has_referrers(change.tbl):
            self.conn.execute(
                "INSERT OR IGNORE INTO sync_delete_ctx (station, n, vector) VALUES (?, ?, ?)",
                (station, change.n, json.dumps(change.ctx, sort_keys=True)),
            )

    def _delete_ctx(self, v: Version) -> dict[str, int] | None:
        """The context delete `v` was made in: ours in the outbox, others' as kept."""
        found = self.conn.execute(
            "SELECT vector FROM sync_delete_ctx WHERE station = ? AND n = ? UNION ALL "
            "SELECT x.vector FROM sync_ctl AS c JOIN sync_outbox AS o ON o.id = ? AND "
            "o.op = 'D' JOIN sync_ctx AS x ON x.id = o.ctx WHERE c.station_id = ?",
            (v[1], v[2], v[2], v[1]),
        ).fetchone()
        if found is None:
            return None
        ctx: dict[str, int] = json.loads(found[0])
        return ctx

    def _unseen_delete(self, station: str, change: Change, tbl: str, row_id: str) -> Tomb | None:
        """The row is there, but this change was made before a delete of it that it never
        saw (the row was restored since): to it, the row is deleted, on every station,
        whatever the order the delete, the restore and the change arrive in.

        Not a delete that a restore the change had seen outranks (that restore had not seen
        it either): where the change came first, the restore had set that delete aside and
        the change met a row that was there. The row still went for the change if its
        parent did, by a delete the change never saw: a local cascade deletes the row by
        its own delete one tick below its parent's, and a restore outranking the row's own
        delete goes with the parent's (soak seed 81, id seed 4)."""
        unseen = [
            v for v in self._past_deletes(tbl, row_id) if not self.saw(station, change, v, "*")
        ]
        if not unseen:
            return None
        seen = [r for r in self._restores(tbl, row_id) if self.saw(station, change, r, "*")]
        counted = [v for v in unseen if not any((r[0], r[1]) > (v[0], v[1]) for r in seen)]
        if counted:
            # The highest of them, whichever arrived first (see _relist_gone_children).
            v = max(counted, key=lambda d: (d[0], d[1]))
            return (v[0], v[1], v[2], _j(self._row(tbl, row_id) or {}))
        row = self._row(tbl, row_id) or {}
        for fk in self.infos[tbl].fks if tbl in self.infos else []:
            ref = row.get(fk.column)
            if ref is None or fk.ondelete == "SET NULL" or fk.target == tbl:
                continue
            parent = self._unseen_delete(station, change, fk.target, ref)
            if parent is not None:
                return parent
        return None

    def _restores(self, tbl: str, row_id: str) -> list[Version]:
        """The inserts and restores of the row applied here once it had been deleted."""
        found: list[Version] = self.conn.execute(
            "SELECT hlc, station, n FROM sync_version WHERE tbl = ? AND row_id = ? "
            "AND field LIKE '+%'",
            (tbl, row_id),
        ).fetchall()
        return found

    def _note_restore(self, tbl: str, row_id: str, v: Version) -> None:
        """Keep a restore of the row (and the insert or restore the row existed by before
        it, ours too), for `_unseen_delete`: which deletes a change made having seen it
        still meets depends on the restores it saw, not on which the row exists by."""
        star = self.conn.execute(
            "SELECT hlc, station, n FROM sync_version WHERE tbl = ? AND row_id = ? AND field = '*'",
            (tbl, row_id),
        ).fetchone()
        for hlc, author, n in [v] if star is None else [v, star]:
            if author:
                self.conn.execute(
                    "INSERT OR IGNORE INTO sync_version (tbl, row_id, field, hlc, station, "
                    "base, n) VALUES (?, ?, ?, ?, ?, 0, ?)",
                    (tbl, row_id, f"+{author}:{n}", hlc, author, n),
                )

    def _set_version(self, tbl: str, row_id: str, fld: str, v: Version) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO sync_version (tbl, row_id, field, hlc, station, base, n) "
            "VALUES (?, ?, ?, ?, ?, 0, ?)",
            (tbl, row_id, fld, *v),
        )

    def _set_tomb(
        self, tbl: str, row_id: str, v: Version, data: dict[str, Any], *, cascade: bool = False
    ) -> None:
        """`cascade`: the row went with its parent, by the parent's delete (`base` = 1);
        a delete of the row itself, arriving later, takes its place (`_delete_change`)."""
        old = self._tomb(tbl, row_id)
        if old is not None and (old[0], old[1]) >= (v[0], v[1]):
            return
        self.conn.execute(
            "INSERT OR REPLACE INTO sync_tomb (tbl, row_id, hlc, station, base, data, n) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (tbl, row_id, v[0], v[1], int(cascade), _j(data), v[2]),
        )
        self._note_tomb(tbl, data)

    def _by_cascade(self, tbl: str, row_id: str) -> bool:
        found = self.conn.execute(
            "SELECT base FROM sync_tomb WHERE tbl = ? AND row_id = ?", (tbl, row_id)
        ).fetchone()
        return found is not None and found[0] == 1

    def conflict(
        self,
        kind: str,
        tbl: str,
        row_id: str,
        fld: str | None = None,
        losing: Any = None,
        winning: Any = None,
        loser: tuple[str, int, int] | None = None,
        winner: tuple[str, int] | None = None,
        row_data: dict[str, Any] | None = None,
        *,
        same: bool = False,
    ) -> None:
        """List a change that lost: `loser` is its (station, HLC, counter), `winner` the
        (station, HLC) of what it lost to. `same`: a field write that lost with the value
        that won is kept out of sight (`SAME_VALUE`) but still known, so it shows once a
        write it was concurrent with wins with another value, as where it came later."""
        ls, lh, ln = loser or (None, None, None)
        ws, wh = winner or (None, None)
        # An entry is the change that lost, on its row and field (none for a whole row):
        # whichever station applies both sides lists it, whatever the order they came in,
        # and a file applied twice (say, rebuilt from a snapshot) never lists it twice.
        dup = self.conn.execute(
            "SELECT id, resolved FROM sync_conflict WHERE entity = ? AND row_id = ? AND "
            "field IS ? AND losing_hlc IS ? AND losing_station IS ? AND "
            "(kind = 'future') = (? = 'future')",
            (TABLE_ENTITY[tbl], row_id, fld, lh, ls, kind),
        ).fetchone()
        if dup is None and kind == "field" and self._lost_with_row(tbl, row_id, ls, ln):
            return  # a restore lost to a delete is listed with its row (see below)
        if dup:
            if dup[1] == SAME_VALUE and not same:
                self.conn.execute(
                    "UPDATE sync_conflict SET resolved = 0, winning_station = ?, "
                    "winning_hlc = ?, winning_value = ? WHERE id = ?",
                    (ws, wh, _j(winning), dup[0]),
                )
                self.out.conflicts += 1
            return
        self.conn.execute(
            "INSERT INTO sync_conflict (kind, entity, row_id, field, losing_value, "
            "winning_value, losing_station, winning_station, losing_hlc, winning_hlc, "
            "row_data, detected_at, losing_n, resolved) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                TABLE_ENTITY[tbl],
                row_id,
                fld,
                None if losing is None and kind != "field" else _j(losing),
                None if winning is None and kind != "field" else _j(winning),
                ls,
                ws,
                lh,
                wh,
                None if row_data is None else _j(row_data),
                self.now_ms,
                ln,
                SAME_VALUE if same else 0,
            ),
        )
        self.out.conflicts += 0 if same else 1
        if self._listed is not None:
            self._listed.add((TABLE_ENTITY[tbl], row_id))
        if kind == "delete" and ls is not None:
            # A restore lost to a delete is listed with its whole row: its values are no
            # longer also listed field by field, as where the delete came first and they
            # were never merged.
            self.conn.execute(
                "DELETE FROM sync_conflict WHERE kind = 'field' AND resolved <= 0 AND "
                "entity = ? AND row_id = ? AND losing_station = ? AND losing_n IS ?",
                (TABLE_ENTITY[tbl], row_id, ls, ln),
            )

    def _lost_with_row(self, tbl: str, row_id: str, ls: str | None, ln: int | None) -> bool:
        """Is this insert or restore listed as lost, with its row, to the row's delete? Its
        values are then not also listed field by field, whatever came first: the delete's
        entry or an edit that outranks one of its fields (soak seed 135)."""
        if ls is None:
            return False
        found = self.conn.execute(
            "SELECT 1 FROM sync_conflict WHERE kind = 'delete' AND entity = ? AND row_id = ? "
            "AND losing_station = ? AND losing_n IS ?",
            (TABLE_ENTITY[tbl], row_id, ls, ln),
        ).fetchone()
        return found is not None

    def _drop_seen(
        self, station: str, change: Change, fields: set[str] | None, *, rows: bool = False
    ) -> None:
        """Supersession: an entry goes once a change made having seen its loser writes that
        field (`fields`) or, with `rows`, inserts, restores or deletes the row: whatever
        this change lost or won, the loser is no longer a concurrent value. Every station
        applies that change after the loser (it waits for what it had seen), and each of
        them lists the loser first or never, so this makes the list a function of the
        changes, not of their order. Resolved entries are the user's, left as they are."""
        entity = TABLE_ENTITY[change.tbl]
        if not self._has_entries(entity, change.row_id):
            return
        listed = self.conn.execute(
            "SELECT id, kind, field, losing_hlc, losing_station, losing_n, losing_value FROM "
            "sync_conflict WHERE entity = ? AND row_id = ? AND resolved <= 0 AND "
            "kind <> 'future' AND losing_station IS NOT NULL AND losing_n IS NOT NULL",
            (entity, change.row_id),
        ).fetchall()
        for entry, kind, fld, lh, ls, ln, losing in listed:
            held: dict[str, Any] = {}
            if kind == "edit_deleted" and not rows and fields is not None:
                # An edit lost with its row holds the fields it wrote last; once a change
                # that saw it has written them all it holds none, as where that change came
                # before the delete.
                held = {k: v for k, v in json.loads(losing or "{}").items() if k not in fields}
                if len(held) == len(json.loads(losing or "{}")):
                    continue
            elif fld is None or kind != "field":
                if not rows or kind == "unique":
                    continue
            elif fields is not None and fld not in fields:
                continue
            if not self.saw(station, change, (lh, ls, ln), fld or "*"):
                continue
            if held:
                self.conn.execute(
                    "UPDATE sync_conflict SET losing_value = ? WHERE id = ?", (_j(held), entry)
                )
            else:
                self.conn.execute("DELETE FROM sync_conflict WHERE id = ?", (entry,))

    def _supersede_delete(self, station: str, change: Change) -> None:
        """A delete that takes effect answers what its author had seen of the row: entries
        whose loser it saw go, and the field versions it saw are marked (`base` = 1) as
        deleted having been seen, so an edit arriving later for the deleted row does not
        list them as losing to it (where that edit came first, this delete dropped that
        entry). The insert or restore the row exists by (`*`) is marked too, for a
        reference it wrote (`_null_deleted_references`). A restore clears the marks."""
        self._drop_seen(station, change, None, rows=True)
        for fld, v in self._versions(change.tbl, change.row_id).items():
            if self.saw(station, change, v, fld):
                self.conn.execute(
                    "UPDATE sync_version SET base = 1 WHERE tbl = ? AND row_id = ? AND field = ?",
                    (change.tbl, change.row_id, fld),
                )

    def _unhold(self, tbl: str, row_id: str, fld: str, v: Version) -> None:
        """An edit lost with its row is listed with the fields it still holds: one taken
        by a higher write leaves its entry (and the entry goes with the last one), as
        where that write came first and the edit never held it."""
        found = self.conn.execute(
            "SELECT id, losing_value FROM sync_conflict WHERE kind = 'edit_deleted' AND "
            "resolved <= 0 AND entity = ? AND row_id = ? AND losing_station = ? AND "
            "losing_n = ? AND losing_hlc = ?",
            (TABLE_ENTITY[tbl], row_id, v[1], v[2], v[0]),
        ).fetchone()
        if found is None:
            return
        held = json.loads(found[1] or "{}")
        if fld not in held:
            return
        del held[fld]
        if held:
            self.conn.execute(
                "UPDATE sync_conflict SET losing_value = ? WHERE id = ?", (_j(held), found[0])
            )
        else:
            self.conn.execute("DELETE FROM sync_conflict WHERE id = ?", (found[0],))

    def _seen_by_delete(self, tbl: str, row_id: str) -> set[str]:
        """Fields whose version a delete of the (deleted) row had seen."""
        rows = self.conn.execute(
            "SELECT field FROM sync_version WHERE tbl = ? AND row_id = ? AND base = 1 "
            f"AND {FIELDS_ONLY}",
            (tbl, row_id),
        )
        return {r[0] for r in rows}

    def _deleted_having_seen(self, tbl: str, row_id: str, fld: str) -> bool:
        """Had a delete of the (deleted) row seen the field's version (`*`: its insert)?"""
        found = self.conn.execute(
            "SELECT base FROM sync_version WHERE tbl = ? AND row_id = ? AND field = ?",
            (tbl, row_id, fld),
        ).fetchone()
        return found is not None and found[0] == 1

    def _repoint(
        self,
        tbl: str,
        row_id: str,
        fld: str,
        old: Version,
        new: tuple[str, int],
        value: Any,
    ) -> None:
        """The field's winner changes from `old` to `new` (station, HLC), which reads
        `value`: what had lost to `old` lost to this one, as on a station where this one
        came first (entries whose loser this change had seen are gone already,
        `_drop_seen`). With `new` the writer of `old`, only the value it reads changes."""
        if not old[1]:
            return
        where = (
            "WHERE entity = ? AND row_id = ? AND field = ? AND kind = 'field' AND "
            "resolved <= 0 AND winning_station = ? AND winning_hlc = ?"
        )
        args = (TABLE_ENTITY[tbl], row_id, fld, old[1], old[0])
        # An entry whose value is the new winner's is kept out of sight, and one hidden so
        # shows again: what is listed is what differs from the value that won.
        self.conn.execute(
            "UPDATE sync_conflict SET winning_station = ?, winning_hlc = ?, winning_value = ?, "
            f"resolved = CASE WHEN losing_value = ? THEN {SAME_VALUE} ELSE 0 END {where}",
            (*new, _j(value), _j(value), *args),
        )  # fmt: skip

    def _outwritten(
        self, tbl: str, row_id: str, fld: str, old: Version, new: tuple[str, int], value: Any
    ) -> None:
        """A higher write takes the field from `old`, whose reference read NULL and is
        listed as lost to that row's delete: it lost the field to this write, as where this
        one came first and the delete found it holding the field no more."""
        if not old[1]:
            return
        self.conn.execute(
            "UPDATE sync_conflict SET winning_station = ?, winning_hlc = ?, winning_value = ?, "
            f"resolved = CASE WHEN losing_value = ? THEN {SAME_VALUE} ELSE 0 END WHERE "
            "entity = ? AND row_id = ? AND field = ? AND kind = 'field' AND resolved <= 0 AND "
            "losing_station = ? AND losing_hlc = ? AND losing_n IS ?",
            (*new, _j(value), _j(value), TABLE_ENTITY[tbl], row_id, fld, old[1], old[0], old[2]),
        )

    def flag_clock(self, station: str, ahead_ms: int, change: Change) -> None:
        """List a station whose clock runs far ahead once, with how far; a later sighting
        only updates the offset shown."""
        text = f"clock {clock.describe_offset(ahead_ms)}"
        found = self.conn.execute(
            "SELECT id FROM sync_conflict WHERE kind = 'future' AND winning_station = ?",
            (station,),
        ).fetchone()
        if found is not None:
            self.conn.execute(
                "UPDATE sync_conflict SET losing_value = ? WHERE id = ?", (_j(text), found[0])
            )
            return
        self.conflict(
            "future", change.tbl, change.row_id, losing=text, winner=(station, change.hlc)
        )
        self.out.flagged += 1

    # -- had seen -----------------------------------------------------------------------------

    @staticmethod
    def saw(station: str, change: Change, v: Version, base_key: str) -> bool:
        """Had the author of `change` seen local version `v` when making it?"""
        hlc, author, n = v
        if not author:
            return True  # nothing recorded: nothing to have missed
        if change.ctx is None:  # format 1: the field's base HLC says what it had seen
            if author == station:
                return hlc < change.hlc
            return int(change.bases.get(base_key, 0)) >= hlc
        if author == station:
            return n < change.n or n == 0
        if n == 0:
            return True  # from before causal tracking: common history
        return change.ctx.get(author, 0) >= n

    # -- applying ------------------------------------------------------------------------

    def apply(self, station: str, change: Change) -> None:
        info = self.infos.get(change.tbl)
        if info is None:
            raise Deferred(f"unknown table {change.tbl}")
        self.out.max_hlc = max(self.out.max_hlc, change.hlc)
        if self.erased.drops(change):
            self.out.applied += 1
            return
        if clock.is_far_future(change.hlc, self.now_ms):
            self.flag_clock(station, clock.physical_ms(change.hlc) - self.now_ms, change)
        if change.op == "I":
            self._insert(info, station, change)
        elif change.op == "U":
            self._update(info, station, change)
        elif change.op == "D":
            self._delete_change(info, station, change)
        self.erased.applied(change, self.out.changes)
        self.out.applied += 1

    def _check_refs(
        self,
        info: TableInfo,
        values: dict[str, Any],
        station: str,
        change: Change,
        *,
        null_only: bool = False,
    ) -> bool:
        """Fix references to deleted rows in place; False if the row must not exist. A
        reference set to NULL keeps this change's version: the field's winner is decided
        among the writes to it, and a winner that refers to a deleted row reads NULL, as on
        a station where the delete came after it."""
        for fk in info.fks:
            ref = values.get(fk.column)
            if ref is None or fk.column not in values:
                continue
            if null_only and fk.ondelete != "SET NULL":
                continue
            if self._exists(fk.target, ref):
                tomb = self._unseen_delete(station, change, fk.target, ref)
                if tomb is None or (
                    fk.ondelete != "SET NULL"
                    and self._back_since(change.tbl, change.row_id, fk.column, ref, tomb)
                ):
                    continue
            else:
                tomb = self._tomb(fk.target, ref)
            if tomb is None:
                raise Deferred(f"{fk.target} {ref} has not arrived yet")
            if fk.ondelete == "SET NULL":
                self.conflict(
                    "field",
                    change.tbl,
                    change.row_id,
                    fk.column,
                    losing=ref,
                    winning=None,
                    loser=(station, change.hlc, change.n),
                    winner=(tomb[1], tomb[0]),
                )
                values[fk.column] = None
            else:
                return False
        return True

    def _back_since(self, tbl: str, row_id: str, column: str, ref: str, tomb: Tomb) -> bool:
        """The row is here, under `ref` already, by an insert or restore made after the
        parent's delete `tomb` (which a change now writing this reference never saw): that
        delete took the row with its parent where the change came first, and this restore,
        which saw the delete, brought it back there, merged with the change field by field
        (soak seed 145). So the change is no move under a deleted parent: the row stays,
        on every station, whatever order the delete, the restores and the change come in.

        The restore saw the delete: the row is under `ref`, the delete was applied here, and
        an insert under `ref` that had not seen it is never let in after it (`_check_refs`,
        and the parent's delete takes it where it came first), so the row exists by one that
        had. Its context is not kept; the dot order (one author) or the HLC (which every
        change made having seen the delete stamps above it) is what is stored of it."""
        row = self._row(tbl, row_id)
        if row is None or row.get(column) != ref:
            return False  # a move: judged as one
        star = self._versions(tbl, row_id).get("*", NO_VERSION)
        if star[1] == tomb[1]:
            return star[2] > tomb[2]
        return bool(star[1]) and (star[0], star[1]) > (tomb[0], tomb[1])

    def _orphan_of_unseen(
        self, info: TableInfo, station: str, change: Change, values: dict[str, Any]
    ) -> Tomb | None:
        """The parent's delete an insert or restore of a row restored since never saw (the
        row stays: `_back_since`); where the insert came first, that delete took it as the
        insert the row existed by, and lists it as its orphan."""
        for fk in info.fks:
            ref = values.get(fk.column)
            if ref is None or fk.ondelete == "SET NULL" or not self._exists(fk.target, ref):
                continue
            tomb = self._unseen_delete(station, change, fk.target, ref)
            if tomb is not None and self._back_since(
                change.tbl, change.row_id, fk.column, ref, tomb
            ):
                return tomb
        return None

    def _reads(self, info: TableInfo, station: str, change: Change, fld: str, value: Any) -> Any:
        """What a write of `value` reads once merged: a reference in a SET NULL column to a
        row deleted for this change reads NULL (see _check_refs). An entry that lost to the
        write shows that, as where the delete came after the write and nulled the field."""
        if value is None:
            return None
        for fk in info.fks:
            if fk.column != fld or fk.ondelete != "SET NULL":
                continue
            if self._exists(fk.target, value):
                return None if self._unseen_delete(station, change, fk.target, value) else value
            return None if self._tomb(fk.target, value) is not None else value
        return value

    def _insert(self, info: TableInfo, station: str, change: Change) -> None:
        tbl, row_id, me = change.tbl, change.row_id, (change.hlc, station)
        values = {k: v for k, v in change.fields.items() if k in info.column_set}
        self._answer_deletes(station, change)
        # Whether it takes effect or loses (to a delete, to its parent's delete), an insert
        # or restore supersedes what its author had seen listed of the row.
        self._drop_seen(station, change, None, rows=True)
        tomb = self._tomb(tbl, row_id)
        if tomb is not None:
            if (tomb[0], tomb[1]) == me:
                return  # this very insert, tombstoned here before (orphan, unique)
            self._note_restore(tbl, row_id, (change.hlc, station, change.n))
            deleted_by = (tomb[0], tomb[1], tomb[2])
            if not self.saw(station, change, deleted_by, "*") and (tomb[0], tomb[1]) > me:
                # A delete this insert (a restore, mostly) had not seen, and that outranks
                # it: the row stays deleted and the insert is listed, restorable again.
                # Its values merge into the deleted row field by field, as where it came
                # before that delete, so the entry holds the row that delete took.
                self._update_retained(info, station, change, tomb)
                mine = (change.hlc, station, change.n)
                if me > versions_star(self._versions(tbl, row_id)):
                    self._set_version(tbl, row_id, "*", mine)  # the higher of two restores
                # As that delete lists what it takes: the insert the row existed by, and each
                # change still holding a field; a restore another one outranked in every
                # field is no longer a concurrent value (see _list_lost_row).
                # A row that went with its parent (a restore of it went with the parent's
                # delete, `_orphan_restore`) lists it as that delete's orphan.
                cascaded = self._by_cascade(tbl, row_id)
                self._drop_hollow_restores(tbl, row_id, ("delete", "orphan"))
                if self._holds(tbl, row_id, mine):
                    merged = self._tomb(tbl, row_id) or tomb
                    self.conflict(
                        "orphan" if cascaded else "delete",
                        tbl,
                        row_id,
                        loser=(station, change.hlc, change.n),
                        winner=(tomb[1], tomb[0]),
                        row_data=json.loads(merged[3]),
                    )
                self._refresh_lost_row(tbl, row_id)
                return
            # A restore made after seeing the delete dominates it (or it outranks a delete
            # it had not seen): the row comes back, merged with the edits it never saw.
            kept = self._merge_retained(station, change, values, json.loads(tomb[3]))
        else:
            kept = {}
        if self._exists(tbl, row_id):
            ours = self._versions(tbl, row_id).get("*", NO_VERSION)
            if (ours[0], ours[1]) == me:
                return  # this very insert, applied before
            self._note_restore(tbl, row_id, (change.hlc, station, change.n))
            fields = {k: v for k, v in values.items() if k != "id"}
            gone = self._orphan_of_unseen(info, station, change, values)
            self._merge_fields(info, station, change, fields)
            if gone is not None:
                # Where this insert came first, the parent's delete it never saw took it
                # with the row (it was the row's insert): listed as that delete's orphan
                # whatever its clock against the restore the row exists by now (which saw
                # the delete, and keeps the row's `*`); its values merge by field.
                self.conflict(
                    "orphan",
                    tbl,
                    row_id,
                    loser=(station, change.hlc, change.n),
                    winner=(gone[1], gone[0]),
                    row_data=self._row(tbl, row_id),
                )
                self._relist_with_restore(tbl, row_id, gone)
                return
            if me > (ours[0], ours[1]):
                # Two restores of one row: it exists by the higher one on every station.
                self._set_version(tbl, row_id, "*", (change.hlc, station, change.n))
            return
        if not self._check_refs(info, values, station, change):
            parent_tomb = self._deleted_parent(info, station, change, values)
            if tomb is not None:
                self._orphan_restore(tbl, row_id, station, change, values, kept, parent_tomb)
                return
            self.conflict(
                "orphan",
                tbl,
                row_id,
                loser=(station, change.hlc, change.n),
                winner=(parent_tomb[1], parent_tomb[0]),
                row_data=values,
            )
            self._set_tomb(
                tbl, row_id, (parent_tomb[0], parent_tomb[1], parent_tomb[2]), values, cascade=True
            )
            return
        if not self._claim_unique(info, station, change, values):
            return
        cols = list(values)
        names = ", ".join(f'"{c}"' for c in cols)
        self.conn.execute(
            f'INSERT INTO "{tbl}" ({names}) VALUES ({", ".join("?" for _ in cols)})',
            [values[c] for c in cols],
        )
        if tomb is not None:
            # Only a delete the restore answered counts from now on; one it outranked
            # without seeing it is kept aside, as where it arrives after the restore.
            deleted = (tomb[0], tomb[1], tomb[2])
            if self.saw(station, change, deleted, "*"):
                self._remember_delete(tbl, row_id, deleted)
            else:
                self._void(tbl, row_id, deleted)
                self._relist_void(tbl, row_id, deleted)
            # The row is back: each edit that had been lost with it either holds its fields
            # in the restored row or lost them to the restore (listed by field), as where it
            # arrived after the restore; it is no longer lost with the row.
            self.conn.execute(
                "DELETE FROM sync_conflict WHERE kind = 'edit_deleted' AND resolved <= 0 AND "
                "entity = ? AND row_id = ?",
                (TABLE_ENTITY[tbl], row_id),
            )
        if tomb is not None:  # a row never deleted here has no tombstone, no field versions
            self.conn.execute("DELETE FROM sync_tomb WHERE tbl = ? AND row_id = ?", (tbl, row_id))
            self.conn.execute(
                f"DELETE FROM sync_version WHERE tbl = ? AND row_id = ? AND {FIELDS_ONLY}",
                (tbl, row_id),
            )
        self._set_version(tbl, row_id, "*", (change.hlc, station, change.n))
        for fld, version in kept.items():
            self._set_version(tbl, row_id, fld, version)
        self._refresh_live_row(tbl, row_id)
        self.out.changes.add("added", TABLE_ENTITY[tbl], [row_id])

    def _orphan_restore(
        self,
        tbl: str,
        row_id: str,
        station: str,
        change: Change,
        values: dict[str, Any],
        kept: dict[str, Version],
        parent_delete: Tomb,
    ) -> None:
        """A restore of a deleted row whose parent is deleted by a delete it never saw: the
        row stays deleted, with the restore's values merged in field by field (`values`, as
        `_merge_retained` left them; `kept`: the fields an edit it never saw holds), as
        where it came before that delete and the delete took the row it restored. It is
        that delete's orphan while it holds anything: of two restores neither of which saw
        the other, the higher takes every field, and the lower is no longer listed, as
        where they met while the parent was there (soak seed 81)."""
        mine = (change.hlc, station, change.n)
        for fld in values:
            if fld != "id" and fld not in kept:
                self._set_version(tbl, row_id, fld, mine)
        if (change.hlc, station) > versions_star(self._versions(tbl, row_id)):
            self._set_version(tbl, row_id, "*", mine)
        by_parent = self._went_with_parent(tbl, row_id, station, change, parent_delete)
        self.conn.execute(
            "UPDATE sync_tomb SET data = ? WHERE tbl = ? AND row_id = ?",
            (_j(values), tbl, row_id),
        )
        self._note_tomb(tbl, values)
        if by_parent:
            self._rehold_edits(tbl, row_id, values, parent_delete)
        self._drop_hollow_restores(tbl, row_id, kinds=("delete", "orphan"))
        if self._holds(tbl, row_id, mine):
            self.conflict(
                "orphan", tbl, row_id, loser=(station, change.hlc, change.n),
                winner=(parent_delete[1], parent_delete[0]), row_data=values,
            )  # fmt: skip
        self._refresh_lost_row(tbl, row_id)
        self._relist_with_restore(tbl, row_id, parent_delete)

    def _went_with_parent(
        self, tbl: str, row_id: str, station: str, change: Change, parent_delete: Tomb
    ) -> bool:
        """The restored row went with its parent, by `parent_delete`: its tombstone names
        that delete, as where the restore came first and that delete took the restored row,
        also when the delete the restore came back from (and had seen) is the higher. That
        one is answered, as by a restore that takes effect, so a change made having seen it
        is not judged as lost to it (soak seed 27). A higher delete the restore never saw
        stays the tombstone. True if the tombstone names `parent_delete`."""
        tomb = self._tomb(tbl, row_id)
        if tomb is not None and (tomb[0], tomb[1]) != (parent_delete[0], parent_delete[1]):
            deleted = (tomb[0], tomb[1], tomb[2])
            if self.saw(station, change, deleted, "*"):
                self._remember_delete(tbl, row_id, deleted)
                self.conn.execute(
                    "DELETE FROM sync_tomb WHERE tbl = ? AND row_id = ?", (tbl, row_id)
                )
        self._set_tomb(tbl, row_id, parent_delete[:3], {}, cascade=True)
        tomb = self._tomb(tbl, row_id)
        return tomb is not None and (tomb[0], tomb[1]) == (parent_delete[0], parent_delete[1])

    def _rehold_edits(
        self, tbl: str, row_id: str, data: dict[str, Any], parent_delete: Tomb
    ) -> None:
        """A restore that went with its parent merged into the deleted row: each edit lost
        with the row holds only the fields it still holds after that merge, and is lost to
        the parent's delete, as where the restore came first (the row back, its edits no
        longer lost with it) and that delete took the row and listed the edits holding a
        field (`_list_lost_row`); an edit that delete had seen is not listed."""
        listed = self.conn.execute(
            "SELECT id, losing_hlc, losing_station, losing_n FROM sync_conflict WHERE "
            "kind = 'edit_deleted' AND resolved <= 0 AND entity = ? AND row_id = ? AND "
            "losing_station IS NOT NULL AND losing_n IS NOT NULL",
            (TABLE_ENTITY[tbl], row_id),
        ).fetchall()
        if not listed:
            return
        versions = self._versions(tbl, row_id)
        ctx = self._delete_ctx(parent_delete[:3])
        by = None
        if ctx is not None:
            by = Change(tbl, row_id, "D", parent_delete[0], {}, {}, parent_delete[2], ctx)
        for entry, lh, ls, ln in listed:
            held = {
                f: data.get(f)
                for f, v in versions.items()
                if v == (lh, ls, ln) and f != "*" and f not in QUIET_FIELDS
            }
            seen = by is not None and self.saw(parent_delete[1], by, (lh, ls, ln), "*")
            if not held or seen:
                self.conn.execute("DELETE FROM sync_conflict WHERE id = ?", (entry,))
                continue
            self.conn.execute(
                "UPDATE sync_conflict SET losing_value = ?, winning_station = ?, "
                "winning_hlc = ? WHERE id = ?",
                (_j(held), parent_delete[1], parent_delete[0], entry),
            )

    def _holds(self, tbl: str, row_id: str, v: Version) -> bool:
        """Does version `v` of a deleted row still count: the insert or restore the row
        exists by, or the writer of a field that is listed when it loses?"""
        versions = self._versions(tbl, row_id)
        return versions.get("*") == v or any(
            w == v for f, w in versions.items() if f != "*" and f not in QUIET_FIELDS
        )

    def _drop_hollow_restores(
        self, tbl: str, row_id: str, kinds: tuple[str, ...] = ("delete",)
    ) -> None:
        """A restore listed as lost to the row's delete (or its parent's: `kinds`) that no
        longer holds anything (a higher restore, arriving since, took every field and the
        row) goes, as where that one came before the delete and the delete listed only it."""
        listed = self.conn.execute(
            "SELECT id, losing_hlc, losing_station, losing_n FROM sync_conflict WHERE "
            f"kind IN ({', '.join('?' for _ in kinds)}) AND resolved <= 0 AND entity = ? AND "
            "row_id = ? AND losing_station IS NOT NULL AND losing_n IS NOT NULL",
            (*kinds, TABLE_ENTITY[tbl], row_id),
        ).fetchall()
        for entry, lh, ls, ln in listed:
            if not self._holds(tbl, row_id, (lh, ls, ln)):
                self.conn.execute("DELETE FROM sync_conflict WHERE id = ?", (entry,))

    def _remember_delete(self, tbl: str, row_id: str, v: Version) -> None:
        """A row restored after a delete keeps that delete (the latest per station), so a
        change made before it, arriving later, is still judged as meeting a deleted row."""
        self.conn.execute(
            "INSERT INTO sync_version (tbl, row_id, field, hlc, station, base, n) "
            "VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (tbl, row_id, field) DO UPDATE SET "
            "hlc = excluded.hlc, n = excluded.n WHERE excluded.n > n OR excluded.hlc > hlc",
            (tbl, row_id, f"-{v[1]}", *v),
        )

    def _merge_retained(
        self, station: str, change: Change, values: dict[str, Any], old: dict[str, Any]
    ) -> dict[str, Version]:
        """A deleted row comes back: each field takes the restore's value unless an edit the
        restore never saw outranks it (the same field winner a station gets when that edit
        arrives after the restore). Changes `values`; returns the versions kept."""
        tbl, row_id, incoming = change.tbl, change.row_id, (change.hlc, station)
        versions = self._versions(tbl, row_id)
        star = versions.get("*", NO_VERSION)
        kept: dict[str, Version] = {}
        for fld, value in list(values.items()):
            v = versions.get(fld, star)
            if fld == "id" or fld not in old:
                continue
            if self.saw(station, change, v, fld):
                # It replaces the version it had seen: what lost to that one (and it never
                # saw) lost to the restore, as where it arrived after the restore.
                self._repoint(tbl, row_id, fld, v, (station, change.hlc), value)
                continue
            listed = fld not in QUIET_FIELDS
            same = old[fld] == value
            if incoming > (v[0], v[1]):
                self._repoint(tbl, row_id, fld, v, (station, change.hlc), value)
                # A write listed as lost to its member's delete lost the field to this
                # restore, as where the two met first (fight property, example 457).
                self._outwritten(tbl, row_id, fld, v, (station, change.hlc), value)
                if listed:
                    self.conflict(
                        "field", tbl, row_id, fld, losing=old[fld], winning=value,
                        loser=(v[1], v[0], v[2]), winner=(station, change.hlc), same=same,
                    )  # fmt: skip
                continue
            if listed:
                self.conflict(
                    "field", tbl, row_id, fld, losing=value, winning=old[fld],
                    loser=(station, change.hlc, change.n), winner=(v[1], v[0]), same=same,
                )  # fmt: skip
            values[fld] = old[fld]
            kept[fld] = v
        return kept

    def _lost_unique(self, tbl: str, row_id: str, tomb: Tomb) -> bool:
        """The row was kept out by the insert that lost a unique key (it never got in)."""
        return (
            self.conn.execute(
                "SELECT 1 FROM sync_conflict WHERE kind = 'unique' AND entity = ? AND "
                "row_id = ? AND losing_station = ? AND losing_hlc = ?",
                (TABLE_ENTITY[tbl], row_id, tomb[1], tomb[0]),
            ).fetchone()
            is not None
        )

    def _claim_unique(
        self, info: TableInfo, station: str, change: Change, values: dict[str, Any]
    ) -> bool:
        """Settle a unique-key clash before inserting; False if the incoming row loses."""
        for cols in info.uniques:
            if any(values.get(c) is None for c in cols):
                continue
            where = " AND ".join(f'"{c}" = ?' for c in cols)
            found = self.conn.execute(
                f'SELECT id FROM "{info.name}" WHERE {where} AND id <> ?',
                [values[c] for c in cols] + [change.row_id],
            ).fetchone()
            if found is None:
                continue
            other = found[0]
            theirs = self._versions(info.name, other).get("*", NO_VERSION)
            if (theirs[0], theirs[1]) > (change.hlc, station):
                self.conflict(
                    "unique",
                    info.name,
                    change.row_id,
                    loser=(station, change.hlc, change.n),
                    winner=(theirs[1], theirs[0]),
                    row_data=values,
                )
                self._set_tomb(info.name, change.row_id, (change.hlc, station, change.n), values)
                return False
            row = self._row(info.name, other) or {}
            # What had lost the key to the row that loses it now lost it to this one, as
            # where this one came first.
            self.conn.execute(
                "UPDATE sync_conflict SET winning_station = ?, winning_hlc = ? WHERE "
                "kind = 'unique' AND resolved = 0 AND entity = ? AND winning_station = ? AND "
                "winning_hlc = ?",
                (station, change.hlc, TABLE_ENTITY[info.name], theirs[1], theirs[0]),
            )
            self.conflict(
                "unique",
                info.name,
                other,
                loser=(theirs[1], theirs[0], theirs[2]),
                winner=(station, change.hlc),
                row_data=row,
            )
            self._remove(info.name, other, theirs, station, record=False)
        return True

    def _update(self, info: TableInfo, station: str, change: Change) -> None:
        tbl, row_id = change.tbl, change.row_id
        if not self._exists(tbl, row_id):
            tomb = self._tomb(tbl, row_id)
            if tomb is None:
                raise Deferred(f"{tbl} {row_id} has not arrived yet")
            # The row was deleted by a delete that had not seen this edit (the edit waited
            # for everything its author had seen, so that delete is concurrent with it):
            # the delete wins and the edit is listed with the row, by the fields it holds.
            self._update_retained(info, station, change, tomb)
            mine = (change.hlc, station, change.n)
            versions = self._versions(tbl, row_id).items()
            held = [f for f, v in versions if v == mine and f != "*" and f not in QUIET_FIELDS]
            after = self._tomb(tbl, row_id) or tomb
            # A row that lost a unique key is tombstoned by its own insert: its entry holds
            # the whole row, this edit included, as where the edit came before the clash.
            lost_key = (tomb[0], tomb[1]) == versions_star(
                self._versions(tbl, row_id)
            ) or self._lost_unique(tbl, row_id, tomb)
            if station != tomb[1] and held and not lost_key:
                data = json.loads(after[3])
                self.conflict(
                    "edit_deleted",
                    tbl,
                    row_id,
                    losing={f: data.get(f) for f in held},
                    loser=(station, change.hlc, change.n),
                    winner=(tomb[1], tomb[0]),
                    row_data=data,
                )
            self._refresh_lost_row(tbl, row_id)
            return
        fields = {k: v for k, v in change.fields.items() if k in info.column_set and k != "id"}
        self._merge_fields(info, station, change, fields)

    def _update_retained(self, info: TableInfo, station: str, change: Change, tomb: Tomb) -> None:
        """Keep a deleted row's field versions as if it were there, so a later restore is
        merged with this edit the same way on every station."""
        tbl, row_id, incoming = change.tbl, change.row_id, (change.hlc, station)
        versions = self._versions(tbl, row_id)
        star = versions.get("*", NO_VERSION)
        # A reference to a row deleted here reads NULL, with the reference listed, as where
        # this edit came before that delete (a row that must go with its parent is gone):
        # where the edit takes the field. One a higher write holds is lost to that write,
        # as where the two met first (fight property, example 188).
        values = dict(change.fields)
        taken = {
            fld: value
            for fld, value in values.items()
            if self.saw(station, change, versions.get(fld, star), fld)
            or incoming > versions.get(fld, star)[:2]
        }
        self._check_refs(info, taken, station, change, null_only=True)
        values.update(taken)
        self._drop_seen(station, change, set(change.fields))
        deleted_seen = self._seen_by_delete(tbl, row_id)
        data = json.loads(tomb[3])
        changed = False
        for fld, value in values.items():
            if fld == "id" or fld not in info.column_set:
                continue
            v = versions.get(fld, star)
            if (v[0], v[1]) == incoming:
                continue
            listed = fld not in QUIET_FIELDS
            same = data.get(fld) == value
            if self.saw(station, change, v, fld) or incoming > (v[0], v[1]):
                self._repoint(tbl, row_id, fld, v, (station, change.hlc), value)
                if not self.saw(station, change, v, fld):
                    self._outwritten(tbl, row_id, fld, v, (station, change.hlc), value)
                self._unhold(tbl, row_id, fld, v)
                if listed and not self.saw(station, change, v, fld) and fld not in deleted_seen:
                    self.conflict(
                        "field", tbl, row_id, fld, losing=data.get(fld), winning=value,
                        loser=(v[1], v[0], v[2]), winner=(station, change.hlc), same=same,
                    )  # fmt: skip
                data[fld] = value
                self._set_version(tbl, row_id, fld, (change.hlc, station, change.n))
                changed = True
            elif listed:
                # Listed by field too, as where the row is still there: restorable by itself
                # once the row is back.
                self.conflict(
                    "field", tbl, row_id, fld, losing=value, winning=data.get(fld),
                    loser=(station, change.hlc, change.n), winner=(v[1], v[0]), same=same,
                )  # fmt: skip
        if changed:
            self.conn.execute(
                "UPDATE sync_tomb SET data = ? WHERE tbl = ? AND row_id = ?",
                (_j(data), tbl, row_id),
            )
            self._note_tomb(tbl, data)

    def _merge_fields(
        self, info: TableInfo, station: str, change: Change, fields: dict[str, Any]
    ) -> None:
        tbl, row_id, incoming = change.tbl, change.row_id, (change.hlc, station)
        self._drop_seen(station, change, set(fields))
        versions = self._versions(tbl, row_id)
        row = self._row(tbl, row_id)
        assert row is not None
        star = versions.get("*", NO_VERSION)
        to_set: dict[str, Any] = {}
        for fld, value in fields.items():
            local = versions.get(fld, star)
            if (local[0], local[1]) == incoming:
                continue
            current = row.get(fld)
            listed = fld not in QUIET_FIELDS
            same = current == value
            if self.saw(station, change, local, fld):
                to_set[fld] = value  # superseded by an edit made having seen it
                reads = self._reads(info, station, change, fld, value)
                self._repoint(tbl, row_id, fld, local, (station, change.hlc), reads)
            elif incoming > (local[0], local[1]):
                to_set[fld] = value
                reads = self._reads(info, station, change, fld, value)
                self._repoint(tbl, row_id, fld, local, (station, change.hlc), reads)
                self._outwritten(tbl, row_id, fld, local, (station, change.hlc), reads)
                if listed:
                    self.conflict(
                        "field",
                        tbl,
                        row_id,
                        fld,
                        losing=current,
                        winning=reads,
                        loser=(local[1], local[0], local[2]),
                        winner=(station, change.hlc),
                        same=current == reads,
                    )
            elif listed:
                self.conflict(
                    "field",
                    tbl,
                    row_id,
                    fld,
                    losing=value,
                    winning=current,
                    loser=(station, change.hlc, change.n),
                    winner=(local[1], local[0]),
                    same=same,
                )
        if not to_set:
            return
        if not self._check_refs(info, to_set, station, change):
            # Moved under a parent deleted here: it goes the way the parent went.
            self._cascade_from_missing_parent(info, station, change, to_set)
            return
        assignments = ", ".join(f'"{c}" = ?' for c in to_set)
        self.conn.execute(
            f'UPDATE "{tbl}" SET {assignments} WHERE id = ?', [*to_set.values(), row_id]
        )
        for fld in to_set:
            self._set_version(tbl, row_id, fld, (change.hlc, station, change.n))
        self._refresh_live_row(tbl, row_id)
        self.out.changes.add("changed", TABLE_ENTITY[tbl], [row_id])

    def _deleted_parent(
        self, info: TableInfo, station: str, change: Change, values: dict[str, Any]
    ) -> Tomb:
        """The delete of the parent that `values` may not be put under (see _check_refs)."""
        for fk in info.fks:
            ref = values.get(fk.column)
            if ref is None or fk.ondelete == "SET NULL":
                continue
            if self._exists(fk.target, ref):
                tomb = self._unseen_delete(station, change, fk.target, ref)
            else:
                tomb = self._tomb(fk.target, ref)
            if tomb is not None:
                return tomb
        raise AssertionError("no deleted parent")

    def _cascade_from_missing_parent(
        self, info: TableInfo, station: str, change: Change, values: dict[str, Any]
    ) -> None:
        tomb = self._deleted_parent(info, station, change, values)
        self._remove(info.name, change.row_id, (tomb[0], tomb[1], tomb[2]), tomb[1], record=True)

    def _delete_change(self, info: TableInfo, station: str, change: Change) -> None:
        tbl, row_id = change.tbl, change.row_id
        version = (change.hlc, station, change.n)
        self._keep_delete_ctx(station, change)
        row = self._row(tbl, row_id)
        if row is None:
            tomb = self._tomb(tbl, row_id)
            if tomb is None:
                self._set_tomb(tbl, row_id, version, change.fields)
            elif (tomb[1], tomb[2]) == (station, change.n):
                pass  # this very delete, applied before
            elif (tomb[0], tomb[1]) > version[:2] and not self._by_cascade(tbl, row_id):
                self._void(tbl, row_id, version)
            else:
                # Every delete of the row is kept (a restore may answer some and not
                # others); the tombstone names the highest of the row's own deletes, and
                # one of its own over its parent's (where the row's own came first, the
                # parent's delete found it gone), and keeps the row's values.
                cascaded = self._by_cascade(tbl, row_id)
                self._void(tbl, row_id, (tomb[0], tomb[1], tomb[2]))
                if cascaded:
                    self._retarget_cascade(tbl, row_id, (tomb[0], tomb[1]), station, change)
                else:
                    self._relist_overtaken((tomb[0], tomb[1]), station, change)
                    # The rows that went with it (which no delete of the row had seen)
                    # went by this one, as where it came first: an edit of one, arriving
                    # later, is listed as lost to it (soak seeds 27, 199).
                    self._retarget_cascade(
                        tbl, row_id, (tomb[0], tomb[1]), station, change, relist=False
                    )
                self.conn.execute(
                    "UPDATE sync_tomb SET hlc = ?, station = ?, n = ?, base = 0 WHERE tbl = ? "
                    "AND row_id = ?",
                    (*version, tbl, row_id),
                )
            self._supersede_delete(station, change)
            return
        versions = self._versions(tbl, row_id)
        star = versions.get("*", NO_VERSION)
        if not self.saw(station, change, star, "*") and (star[0], star[1]) > version[:2]:
            # A restore this delete had not seen outranks it: the row stays, and the delete
            # is kept aside for a restore that had seen it.
            self._void(tbl, row_id, version)
            return
        self._supersede_delete(station, change)
        self._list_lost_row(tbl, row_id, row, versions, (station, change), (station, change.hlc))
        self._remove(tbl, row_id, version, station, record=False, row=row, by=change)

    def _list_lost_row(
        self,
        tbl: str,
        row_id: str,
        row: dict[str, Any],
        versions: dict[str, Version],
        by: tuple[str, Change] | None,
        winner: tuple[str, int],
        *,
        with_parent: bool = False,
    ) -> None:
        """List what a delete takes that its author had not seen, one entry per change, as a
        station gets them when those changes arrive after the delete (`_update`, `_insert`):
        the row's insert or restore (`orphan` when it goes with its parent), and each edit
        still holding a field (`edit_deleted`, with the fields it holds)."""
        star = versions.get("*", NO_VERSION)
        held: dict[Version, dict[str, Any]] = {}
        for fld, v in versions.items():
            if by is not None and self.saw(by[0], by[1], v, "*"):
                continue
            held.setdefault(v, {})
            if fld != "*" and fld not in QUIET_FIELDS:
                held[v][fld] = row.get(fld)
        for v in sorted(held):
            if v != star and not held[v]:
                continue  # it holds only when the row was last touched
            if v == star:
                kind = "orphan" if with_parent else "delete"
                self.conflict(
                    kind, tbl, row_id, loser=(v[1], v[0], v[2]), winner=winner, row_data=row
                )
            else:
                self.conflict(
                    "edit_deleted", tbl, row_id, losing=held[v], loser=(v[1], v[0], v[2]),
                    winner=winner, row_data=row,
                )  # fmt: skip

    def _refresh_lost_row(self, tbl: str, row_id: str) -> None:
        """A deleted row's listed entries show its latest values, as on a station where the
        edits made meanwhile arrived before the delete."""
        tomb = self._tomb(tbl, row_id)
        if tomb is None:
            return
        self.conn.execute(
            "UPDATE sync_conflict SET row_data = ? WHERE entity = ? AND row_id = ? AND "
            "row_data IS NOT NULL AND resolved = 0 AND kind IN ('delete', 'orphan', "
            "'edit_deleted', 'unique')",
            # The tombstone of a local delete holds SQLite's JSON text: entries hold one form.
            (_j(json.loads(tomb[3])), TABLE_ENTITY[tbl], row_id),
        )

    def _refresh_live_row(self, tbl: str, row_id: str) -> None:
        """A row that is there (restored since) and changed: its listed entries that show
        the row (an orphan of a delete it came back from) show its latest values too, as on
        a station where they were listed after this change (soak seed 81)."""
        if not self._has_entries(TABLE_ENTITY[tbl], row_id):
            return
        row = self._row(tbl, row_id)
        if row is None:
            return
        self.conn.execute(
            "UPDATE sync_conflict SET row_data = ? WHERE entity = ? AND row_id = ? AND "
            "row_data IS NOT NULL AND resolved = 0 AND kind IN ('delete', 'orphan', "
            "'edit_deleted', 'unique')",
            (_j(row), TABLE_ENTITY[tbl], row_id),
        )

    def _relist_gone_children(
        self, tbl: str, row_id: str, winner: tuple[str, int], by: Change
    ) -> None:
        """The row is deleted again (it was restored since an earlier delete): rows that
        had gone with it before, by a lower delete their changes never saw, lost to this
        one too, as where they arrived after it and met it as the parent's tombstone. An
        entry names the highest delete of the parent its loser had not seen; an entry that
        names the row's own delete (its tombstone, not a cascade) keeps naming it. One that
        names an older cascade does not: the row, restored since, went again by its own
        delete, which its loser outranked where it came after (soak seed 155)."""
        for child_tbl, fk in self.infos[tbl].referrers:
            if fk.ondelete == "SET NULL" or child_tbl == tbl:
                continue
            listed = self.conn.execute(
                "SELECT c.id, c.row_id, c.losing_hlc, c.losing_station, c.losing_n FROM "
                "sync_conflict AS c JOIN sync_tomb AS t ON t.tbl = ? AND t.row_id = c.row_id "
                "WHERE (t.base = 1 OR t.hlc <> c.winning_hlc OR t.station <> c.winning_station) "
                "AND c.entity = ? AND c.resolved <= 0 AND c.kind IN ('orphan', "
                "'edit_deleted') AND (c.winning_hlc < ? OR (c.winning_hlc = ? AND "
                f"c.winning_station < ?)) AND json_extract(t.data, '$.\"{fk.column}\"') = ?",
                (child_tbl, TABLE_ENTITY[child_tbl], winner[1], winner[1], winner[0], row_id),
            ).fetchall()
            for entry, child_id, lh, ls, ln in listed:
                if None in (lh, ls, ln) or self.saw(winner[0], by, (lh, ls, ln), "*"):
                    continue
                self.conn.execute(
                    "UPDATE sync_conflict SET winning_station = ?, winning_hlc = ? WHERE id = ?",
                    (*winner, entry),
                )
                self._relist_gone_children(child_tbl, child_id, winner, by)

    def _relist_with_restore(self, tbl: str, row_id: str, parent_delete: Tomb) -> None:
        """A restore of the row that never saw its parent's delete went with the parent: rows
        that had gone with the row before, by a lower delete their changes never saw, lost to
        the parent's delete too, as where it came after the restore and took the restored
        row (`_remove`, soak seed 81). Whether their changes had seen that delete is its
        kept context (`sync_delete_ctx`), as where it arrives as a change: an entry whose
        loser it had seen keeps naming the delete it lost to (soak seed 81, id seed 24).
        Without one (an older file), only a change its author made before it counts."""
        ctx = self._delete_ctx(parent_delete[:3]) or {}
        by = Change(tbl, row_id, "D", parent_delete[0], {}, {}, parent_delete[2], ctx)
        self._relist_gone_children(tbl, row_id, (parent_delete[1], parent_delete[0]), by)

    def _tombs_referring(self, tbl: str, column: str, ref: str) -> list[tuple[str, str]]:
        """Deleted rows of `tbl` whose `column` refers to `ref`: (row id, data)."""
        path = f"json_extract(data, '$.\"{column}\"')"
        refs = self._tomb_refs.get((tbl, column))
        if refs is None:
            refs = self._tomb_refs[(tbl, column)] = {
                r
                for (r,) in self.conn.execute(
                    f"SELECT DISTINCT {path} FROM sync_tomb WHERE tbl = ? AND {path} IS NOT NULL",
                    (tbl,),
                )
            }
        if ref not in refs:
            return []
        found: list[tuple[str, str]] = self.conn.execute(
            f"SELECT row_id, data FROM sync_tomb WHERE tbl = ? AND {path} = ?", (tbl, ref)
        ).fetchall()
        return found

    def _note_tomb(self, tbl: str, data: dict[str, Any]) -> None:
        """A tombstone written: its references join those known (a superset is safe)."""
        for (t, column), refs in self._tomb_refs.items():
            if t == tbl and data.get(column) is not None:
                refs.add(data[column])

    def _null_deleted_references(
        self, tbl: str, row_id: str, version: Version, station: str, by: Change | None
    ) -> None:
        """Rows deleted here already that refer to this row in a SET NULL column read NULL,
        as where this delete came before theirs and nulled them while they were there: the
        write that holds the reference is listed as lost to this delete (unless its author
        had seen that write, or a delete of the row had: where this delete came first, that
        one came after the listing and superseded it), and the tombstone and the entries
        that show the row hold NULL. So an edit lost with its row holds the same value
        whichever delete came first."""
        for child_tbl, fk in self.infos[tbl].referrers if tbl in self.infos else []:
            if fk.ondelete != "SET NULL":
                continue
            gone = self._tombs_referring(child_tbl, fk.column, row_id)
            for child_id, data in gone:
                if child_tbl == tbl and child_id == row_id:
                    continue
                child_versions = self._versions(child_tbl, child_id)
                held_by = fk.column if fk.column in child_versions else "*"
                wrote = child_versions.get(held_by, NO_VERSION)
                if wrote[1]:
                    if (by is None or not self.saw(station, by, wrote, fk.column)) and not (
                        self._deleted_having_seen(child_tbl, child_id, held_by)
                    ):
                        self.conflict(
                            "field", child_tbl, child_id, fk.column, losing=row_id,
                            winning=None, loser=(wrote[1], wrote[0], wrote[2]),
                            winner=(station, version[0]),
                        )  # fmt: skip
                    self._repoint(child_tbl, child_id, fk.column, wrote, (wrote[1], wrote[0]), None)
                values = json.loads(data)
                values[fk.column] = None
                self.conn.execute(
                    "UPDATE sync_tomb SET data = ? WHERE tbl = ? AND row_id = ?",
                    (_j(values), child_tbl, child_id),
                )
                held = self.conn.execute(
                    "SELECT id, losing_value FROM sync_conflict WHERE kind = 'edit_deleted' "
                    "AND resolved <= 0 AND entity = ? AND row_id = ?",
                    (TABLE_ENTITY[child_tbl], child_id),
                ).fetchall()
                for entry, losing in held:
                    fields = json.loads(losing or "{}")
                    if fields.get(fk.column) == row_id:
                        fields[fk.column] = None
                        self.conn.execute(
                            "UPDATE sync_conflict SET losing_value = ? WHERE id = ?",
                            (_j(fields), entry),
                        )
                self._refresh_lost_row(child_tbl, child_id)

    def _remove(
        self,
        tbl: str,
        row_id: str,
        version: Version,
        station: str,
        *,
        record: bool,
        row: dict[str, Any] | None = None,
        by: Change | None = None,
    ) -> None:
        """Delete a row and, first, whatever still refers to it. Rows the deleting station
        knew of were deleted by its own earlier lines, so anything left here it had not seen
        (or saw only in part): listed as a conflict before it goes."""
        row = row if row is not None else self._row(tbl, row_id)
        if row is None:
            return
        # Whose the row was, read while it and its parents are still there (children go
        # first), so the views and the schedules can tell which client and project it left.
        scope = row_scope(self.conn, TABLE_ENTITY[tbl], row, self._scopes)
        if record:
            self._list_lost_row(
                tbl,
                row_id,
                row,
                self._versions(tbl, row_id),
                None if by is None else (station, by),
                (station, version[0]),
                with_parent=True,
            )
        if by is not None:
            self._relist_gone_children(tbl, row_id, (station, version[0]), by)
        self._null_deleted_references(tbl, row_id, version, station, by)
        for child_tbl, fk in self.infos[tbl].referrers:
            children = self.conn.execute(
                f'SELECT id FROM "{child_tbl}" WHERE "{fk.column}" = ?', (row_id,)
            ).fetchall()
            for (child_id,) in children:
                if child_tbl == tbl and child_id == row_id:
                    continue
                if fk.ondelete == "SET NULL":
                    child_versions = self._versions(child_tbl, child_id)
                    wrote = child_versions.get(fk.column, child_versions.get("*", NO_VERSION))
                    self.conflict(
                        "field",
                        child_tbl,
                        child_id,
                        fk.column,
                        losing=row_id,
                        winning=None,
                        loser=(wrote[1], wrote[0], wrote[2]) if wrote[1] else None,
                        winner=(station, version[0]),
                    )
                    # What lost to that write now shows it reading NULL, as where this
                    # delete came before the write.
                    if wrote[1]:
                        self._repoint(
                            child_tbl, child_id, fk.column, wrote, (wrote[1], wrote[0]), None
                        )
                    # The field keeps the version of the write that won it (see _check_refs).
                    self.conn.execute(
                        f'UPDATE "{child_tbl}" SET "{fk.column}" = NULL WHERE id = ?', (child_id,)
                    )
                    self._refresh_live_row(child_tbl, child_id)
                    self.out.changes.add("changed", TABLE_ENTITY[child_tbl], [child_id])
                else:
                    self._remove(child_tbl, child_id, version, station, record=True, by=by)
        self.conn.execute(f'DELETE FROM "{tbl}" WHERE id = ?', (row_id,))
        self._set_tomb(tbl, row_id, version, row, cascade=record)
        self.out.changes.add("removed", TABLE_ENTITY[tbl], [row_id])
        if scope is not None:
            self.out.changes.scope[(TABLE_ENTITY[tbl], row_id)] = scope


def supersede_own(
    conn: sqlite3.Connection,
    station: str,
    rows: list[tuple[Any, ...]],
    contexts: dict[int, dict[str, int]],
) -> None:
    """Apply to this station's own list what its pushed changes supersede, as every other
    station does when it applies them (`Merger._drop_seen`, `_supersede_delete`): a local
    edit saw every entry listed here when it was made (a pull comes only after a push)."""
    listed = {
        (e, r)
        for e, r in conn.execute(
            "SELECT DISTINCT entity, row_id FROM sync_conflict WHERE resolved <= 0 AND "
            "kind <> 'future'"
        )
    }
    # A delete of ours nulls references to its row that rows deleted here still hold.
    merger = Merger(conn, table_infos(conn) if any(r[2] == "D" for r in rows) else {}, 0)
    for tbl, row_id, op, hlc, data, _base, n, ctx in rows:
        if op == "D" and tbl in merger.infos:
            by = Change(tbl, row_id, op, hlc, {}, {}, n, contexts.get(ctx, {}))
            merger._null_deleted_references(tbl, row_id, (hlc, station, n), station, by)
        if op != "D" and (TABLE_ENTITY.get(tbl), row_id) not in listed:
            continue
        change = Change(tbl, row_id, op, hlc, json.loads(data), {}, n, contexts.get(ctx, {}))
        if op == "D":
            tomb = merger._tomb(tbl, row_id)
            if tomb is not None and (tomb[1], tomb[2]) == (station, n):
                merger._supersede_delete(station, change)
            elif (TABLE_ENTITY.get(tbl), row_id) in listed:
                merger._drop_seen(station, change, None, rows=True)
        elif op == "I":
            merger._drop_seen(station, change, None, rows=True)
        else:
            merger._drop_seen(station, change, set(change.fields))
        if op != "D":
            merger._refresh_live_row(tbl, row_id)
