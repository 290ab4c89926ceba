"""The workspace store: the one SQLAlchemy session over the open database, through which every
view reads and every operation writes.

`apply` runs an operation in one transaction and returns what it changed, gathered from the
session's own flush events, so no operation can forget to report a row it touched.

`schedules` is the session's one schedule service (`db.scheduling.schedules`): the GUI, printing
and every `db` reader given this session share its cached dates, and `notify` brings it up to
date before any listener reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

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
        try:
            step(self.session)
            bulk = self.session.info.pop(BULK_CHANGES, None)
            if bulk is not None:
                self._pending.merge(bulk)
            self.session.commit()
        except BaseException:
            self.session.rollback()
            self.session.info.pop(BULK_CHANGES, None)
            self._pending = ChangeSet()
            raise
        changes, self._pending = self._pending, ChangeSet()
        self.notify(changes)
        return changes

    def notify(self, changes: ChangeSet) -> None:
        """Tell every listener what changed (sync calls this after applying pulled changes)."""
        if changes:
            # First, so no listener reads a schedule the change made stale.
            self.schedules.invalidate(changes)
            for listener in list(self._listeners):
                listener(changes)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _record_flush(self, session: Session, _context: object) -> None:
        step = ChangeSet()
        for obj in session.new:
            if isinstance(obj, Entity):
                step.add("added", type(obj).__name__, [obj.id])
        for obj in session.dirty:
            if isinstance(obj, Entity) and session.is_modified(obj, include_collections=False):
                step.add("changed", type(obj).__name__, [obj.id])
        for obj in session.deleted:
            if isinstance(obj, Entity):
                step.add("removed", type(obj).__name__, [obj.id])
        self._pending.merge(step)

    def close(self) -> None:
        self.session.close()
        self.engine.dispose()
