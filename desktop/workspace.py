"""The workspace: the open database's store, the one undo stack every view shares, and the
signal that tells every view what changed.

Views never write to the store themselves. They build a `db` operation and call `run`; they
refresh from `changed`, which carries the `ChangeSet` of every commit, whether it came from an
edit, an undo or sync (which calls `Store.notify`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.changes import ChangeSet
from db.errors import AgencyDeskError
from db.labels import short_label
from db.operations import Operation
from db.store import Store
from desktop.commands import OperationCommand

if TYPE_CHECKING:
    from db.fast_open.hand_over import ScheduledPlan


class Workspace(QObject):
    """Signals:
    changed(ChangeSet): after every commit, with what it added, changed and removed.
    failed(str): an edit was refused or could not be undone; the message is for the user.
    done(str): an edit went through; the text names it ("Rename client", "Undo …").
    """

    changed = Signal(object)
    failed = Signal(str)
    done = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        self.last_error: str | None = None
        store.subscribe(self._forward)
        self._pushing = False
        self._index = 0
        self.undo_stack.indexChanged.connect(self._report_step)
        # A plan the first look read and scheduled, offered to the Gantt that opens it next
        # (`take_scheduled_plan`); set by the start (`desktop.app`) for as long as it opens one.
        self.scheduled_plan: ScheduledPlan | None = None

    @property
    def session(self) -> Session:
        return self.store.session

    def run(self, op: Operation) -> bool:
        """Apply `op` as one undoable edit. Returns False (and emits `failed`) when the
        operation refuses, leaving the database and the undo stack as they were."""
        try:
            self.store.apply(op)
        except AgencyDeskError as exc:
            self._fail(str(exc))
            return False
        except IntegrityError as exc:
            # A rule the database enforces (a reference to a row that is gone, a duplicate):
            # the store has rolled back; tell the user in words, not a traceback.
            self._fail(
                f"{short_label(op.label)}: not saved, it conflicts with other data ({exc.orig})"
            )
            return False
        self.last_error = None
        self._pushing = True
        try:
            self.undo_stack.push(
                OperationCommand(self.store, op, applied=True, on_error=self._fail)
            )
        finally:
            self._pushing = False
        self.done.emit(short_label(op.label))
        return True

    def take_scheduled_plan(self, project_id: str) -> ScheduledPlan | None:
        """The offered plan when it is `project_id`'s (it is offered once)."""
        found, self.scheduled_plan = self.scheduled_plan, None
        return found if found is not None and found.project_id == project_id else None

    def close(self) -> None:
        self.store.unsubscribe(self._forward)
        self.undo_stack.clear()

    def _forward(self, changes: ChangeSet) -> None:
        if changes.added.get("PersonErasure"):
            # A person was erased (here or by sync): commands on the stack hold their old
            # values, and an undo or redo would write them back (issue 18).
            self.undo_stack.clear()
        self.changed.emit(changes)

    def _fail(self, message: str) -> None:
        self.last_error = message
        self.failed.emit(message)

    def _report_step(self, index: int) -> None:
        previous, self._index = self._index, index
        if self._pushing:
            return
        # Only an undo or redo moves the index without a push: name the edit it stepped over.
        if index < previous:
            self.done.emit(f"Undo {self.undo_stack.text(index)}")
        elif index > previous:
            self.done.emit(f"Redo {self.undo_stack.text(previous)}")
