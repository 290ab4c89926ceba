"""Undo commands: one `OperationCommand` wraps one `db` operation on the shared undo stack.

The workspace applies an operation before pushing its command (so a rejected edit never lands
on the stack), which is why the command skips the redo that `QUndoStack.push` calls at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import IntegrityError

from db.errors import AgencyDeskError
from db.labels import short_label
from db.operations import Operation
from db.store import Store

ErrorSink = Callable[[str], None]


class OperationCommand(QUndoCommand):
    """Redo applies the operation through the store, undo reverts it; the text is its label.

    A step that fails later (sync deleted the row meanwhile) reports the message and marks the
    command obsolete, so the stack drops it instead of keeping an edit it cannot replay.
    """

    def __init__(
        self, store: Store, op: Operation, *, applied: bool = False, on_error: ErrorSink
    ) -> None:
        # The stack's text feeds the Undo/Redo menu entries and the status bar: user text in
        # a label (a pasted 5,000-character name) must not stretch them.
        super().__init__(short_label(op.label))
        self.store = store
        self.op = op
        self._skip_redo = applied
        self._on_error = on_error

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._step(self.store.apply, "Redo")

    def undo(self) -> None:
        self._step(self.store.revert, "Undo")

    def _step(self, run: Callable[[Operation], object], verb: str) -> None:
        try:
            run(self.op)
        except (AgencyDeskError, IntegrityError) as exc:
            self.setObsolete(True)
            self._on_error(f"{verb} {short_label(self.op.label)} failed: {exc}")
