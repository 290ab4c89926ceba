"""The workspace store: the one SQLAlchemy session over the open database, through which every
view reads and every operation writes.

`apply` runs an operation in one transaction and returns what it changed, gathered from the
session's own flush events, so no operation can forget to report a row it touched. Each row's
scope (its client and project) is resolved there too, while deleted rows are still loaded.

`schedules` is the session's one schedule service (`db.scheduling.schedules`): the GUI, printing
and every `db` reader given this session share its cached dates, and `notify` brings it up to
date before any listener reads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from db import search
from db.audit import capture
from db.change_scope import fill_scope, flush_changes
from db.changes import ChangeSet
from db.models import AgencySetting, Entity
from db.operations import Operation
from db.scheduling.schedules import Schedules, attach
from db.settings import DEFAULTS

E = TypeVar("E", bound=Entity)

Listener = Callable[[ChangeSet], None]

# Where an operation that writes with bulk statements (an import's ten thousand rows) names
# them, since flush events never see such rows; `Store.apply` folds them into its change set.
BULK_CHANGES = "agency_desk.bulk_changes"


def report_bulk(session: Session, changes: ChangeSet) -> None:
    """Name rows written with bulk statements, for the change set of the running operation."""
    found = session.info.setdefault(BULK_CHANGES, ChangeSet())
    assert isinstance(found, ChangeSet)
    found.merge(changes)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session = Session(engine, expire_on_commit=False, autoflush=False)
        self._pending = ChangeSet()
        self._listeners: list[Listener] = []
        event.listen(self.session, "after_flush", self._record_flush)
        self.schedules = Schedules(self.session)
        attach(self.session, self.schedules)
        # Checked at first use, not here: opening a store must not open the database yet.
        self._index_checked = False
        # Who this station's edits are recorded as made by (the audit trail's "who"): told by
        # the app, written in the transaction of the next edit (so opening writes nothing).
        self._member: str | None = None
        self._member_written = True
        # Where the app keeps it ("I am" in the station's settings): asked before each edit,
        # so a change of it anywhere holds from the next edit on.
        self.member_source: Callable[[], str | None] | None = None

    def set_member(self, member_id: str | None) -> None:
        """Record this station's edits from now on as made by `member_id` (None: unknown)."""
        if member_id != self._member or not self._member_written:
            self._member = member_id
            self._member_written = False

    def write_member(self) -> None:
        """Bring the database's record of this station's member up to date, inside the
        session's transaction (`_run` does it for every edit; a write past `apply`, such as a
        restored conflict, calls it first)."""
        if self.member_source is not None:
            self.set_member(self.member_source())
        if not self._member_written:
            capture.set_member(self.session.connection().exec_driver_sql, self._member)
            self._member_written = True

    # -- reading -----------------------------------------------------------------------------

    def get(self, entity: type[E], id_: str) -> E | None:
        return self.session.get(entity, id_)

    def setting(self, key: str) -> Any:
        row = self.session.scalars(select(AgencySetting).where(AgencySetting.key == key)).first()
        return row.value if row is not None else DEFAULTS[key]

    # -- writing -----------------------------------------------------------------------------

    def apply(self, op: Operation) -> ChangeSet:
        return self._run(op.apply)

    def revert(self, op: Operation) -> ChangeSet:
        return self._run(op.revert)

    def _run(self, step: Callable[[Session], None]) -> ChangeSet:
        self._pending = ChangeSet()
        self.session.info.pop(BULK_CHANGES, None)
        written = self._member_written
        try:
            # Before the step: checked after it, an empty index next to the rows the step
            # just wrote (a first import) would be built from them and then refreshed again.
            if not self._index_checked:
                search.ensure_index(self.raw_connection())
            self.write_member()
            step(self.session)
            self.session.flush()
            bulk = self.session.info.pop(BULK_CHANGES, None)
            if bulk is not None:
                self._pending.merge(bulk)
            # In the operation's transaction: the index commits or rolls back with the data.
            search.refresh(self.raw_connection(), self._pending)
            self.session.commit()
            self._index_checked = True
        except BaseException:
            self.session.rollback()
            self._member_written = written
            self.session.info.pop(BULK_CHANGES, None)
            self._pending = ChangeSet()
            raise
        changes, self._pending = self._pending, ChangeSet()
        self.notify(changes)
        return changes

    def raw_connection(self) -> sqlite3.Connection:
        """The sqlite3 connection under the session, inside its current transaction."""
        return search.driver(self.session.connection())

    def search_connection(self) -> sqlite3.Connection:
        """The connection to search through, its index built first if it is missing (an
        old database, rows written past the store)."""
        conn = self.raw_connection()
        if not self._index_checked:
            if search.ensure_index(conn):
                self.session.commit()
            self._index_checked = True
        return conn

    def notify(self, changes: ChangeSet) -> None:
        """Tell every listener what changed (sync calls this after applying pulled changes)."""
        if changes:
            # A change set from outside the session (sync) learns the scope of its rows when
            # a listener first asks for it.
            session = self.session
            changes.resolve = lambda found, entities: fill_scope(session, found, entities)
            # First, so no listener reads a schedule the change made stale.
            self.schedules.invalidate(changes)
            for listener in list(self._listeners):
                listener(changes)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _record_flush(self, session: Session, _context: object) -> None:
        # Scopes resolved earlier in this operation: a parent deleted by an earlier flush.
        step = flush_changes(session, dict(self._pending.scope))
        # The schedules follow the flush at once: an operation may check a rule against
        # the schedule before it commits.
        self.schedules.flushed(session, step)
        self._pending.merge(step)

    def close(self) -> None:
        self.session.close()
        self.engine.dispose()
