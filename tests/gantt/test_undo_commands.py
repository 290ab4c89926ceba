"""The plan edits a drag makes, as undo commands on a bare QUndoStack: redo applies, undo
restores every task the edit moved (successors and summaries included)."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QUndoStack

from db.operations import Operation
from db.scheduling.operations import Link, MoveTask, ResizeTask, SetProgress
from db.store import Store
from desktop.commands import OperationCommand
from tests.gantt.conftest import dates


def push(stack: QUndoStack, store: Store, op: Operation, errors: list[str]) -> None:
    stack.push(OperationCommand(store, op, on_error=errors.append))


def test_each_edit_is_one_step_and_undo_restores_every_moved_task(
    store: Store, project: str
) -> None:
    stack, errors = QUndoStack(), []
    original = dates(store, project)
    push(stack, store, MoveTask("design", date(2026, 3, 9)), errors)
    moved = dates(store, project)
    assert {k for k in original if original[k] != moved[k]} == {
        "design",
        "review",
        "build",
        "press",
        "launch",
    }
    push(stack, store, ResizeTask("build", 2), errors)
    push(stack, store, SetProgress("build", 50), errors)
    push(stack, store, Link("other", "party"), errors)
    assert stack.count() == 4
    for _ in range(4):
        stack.undo()
    assert dates(store, project) == original
    for _ in range(4):
        stack.redo()
    after = dates(store, project)
    assert after["build"] == (date(2026, 3, 13), date(2026, 3, 16))
    assert after["party"][0] == date(2026, 3, 4)
    stack.undo()
    stack.undo()
    stack.undo()
    assert dates(store, project) == moved
    assert errors == []
