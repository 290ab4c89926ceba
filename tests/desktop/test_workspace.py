"""The workspace: one undo stack, one change signal, and refused edits that never reach the
stack. Tested on the bare workspace, no widgets."""

from __future__ import annotations

from db.changes import ChangeSet
from db.models import Client
from db.operations import Create, Delete, Update
from desktop.workspace import Workspace


def test_run_applies_pushes_and_names_the_edit(qtbot, workspace: Workspace) -> None:
    op = Create(Client, {"name": "Acme"}, label="New client")
    with qtbot.wait_signal(workspace.changed) as signal:
        assert workspace.run(op)
    changes = signal.args[0]
    assert isinstance(changes, ChangeSet)
    assert changes.added == {"Client": {op.id}}
    assert workspace.undo_stack.count() == 1
    assert workspace.undo_stack.undoText() == "New client"
    assert workspace.store.get(Client, op.id) is not None


def test_push_does_not_apply_a_second_time(workspace: Workspace) -> None:
    seen: list[ChangeSet] = []
    workspace.changed.connect(seen.append)
    workspace.run(Create(Client, {"name": "Acme"}))
    assert len(seen) == 1


def test_undo_and_redo_revert_and_reapply(qtbot, workspace: Workspace) -> None:
    op = Create(Client, {"name": "Acme"})
    workspace.run(op)
    workspace.run(Update(Client, op.id, {"name": "Acme Ltd"}, label="Rename"))
    with qtbot.wait_signal(workspace.done) as done:
        workspace.undo_stack.undo()
    assert done.args == ["Undo Rename"]
    assert workspace.store.get(Client, op.id).name == "Acme"
    with qtbot.wait_signal(workspace.done) as done:
        workspace.undo_stack.redo()
    assert done.args == ["Redo Rename"]
    assert workspace.store.get(Client, op.id).name == "Acme Ltd"


def test_a_refused_edit_leaves_no_command(qtbot, workspace: Workspace) -> None:
    op = Create(Client, {"name": "Acme"})
    workspace.run(op)
    with qtbot.wait_signal(workspace.failed) as failed:
        assert not workspace.run(Update(Client, op.id, {"name": "  "}))
    assert failed.args == ["Client name: must not be empty"]
    assert workspace.undo_stack.count() == 1
    assert workspace.store.get(Client, op.id).name == "Acme"
    with qtbot.wait_signal(workspace.failed):
        assert not workspace.run(Update(Client, "no-such-id", {"name": "X"}))
    assert workspace.undo_stack.count() == 1


def test_an_undo_that_can_no_longer_apply_is_dropped(qtbot, workspace: Workspace) -> None:
    op = Create(Client, {"name": "Acme"})
    workspace.run(op)
    workspace.run(Update(Client, op.id, {"name": "Acme Ltd"}, label="Rename"))
    # Another station deletes the client; sync applies it outside the undo stack.
    workspace.store.apply(Delete(Client, op.id))
    with qtbot.wait_signal(workspace.failed) as failed:
        workspace.undo_stack.undo()
    assert "Undo Rename failed" in failed.args[0]
    assert workspace.undo_stack.count() == 1  # the broken command is gone, the rest stays


def test_changes_from_sync_reach_the_views(qtbot, workspace: Workspace) -> None:
    incoming = ChangeSet()
    incoming.add("changed", "Client", ["abc"])
    with qtbot.wait_signal(workspace.changed) as signal:
        workspace.store.notify(incoming)
    assert signal.args[0] is incoming


def test_a_database_refusal_is_reported_not_raised(qtbot, workspace: Workspace) -> None:
    op = Create(Client, {"name": "Acme"})
    workspace.run(op)
    with qtbot.wait_signal(workspace.failed) as failed:
        assert not workspace.run(
            Update(Client, op.id, {"account_manager_id": "gone"}, label="Assign manager")
        )
    assert failed.args[0].startswith("Assign manager: not saved, it conflicts with other data")
    assert workspace.undo_stack.count() == 1
    assert workspace.store.get(Client, op.id).account_manager_id is None
