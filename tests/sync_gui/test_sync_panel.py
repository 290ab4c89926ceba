"""The Sync panel's tables: skipped files with their reasons, and conflicts of every kind —
an edit against a delete reads as such and Restore brings the record back. Both models pass
qtmodeltester."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.models import Client
from db.operations import Create, Delete, Update
from desktop.sync.conflicts_model import humanize, show_value
from desktop.sync.skipped_model import SkippedModel
from tests.sync_gui.conftest import click_sync

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints", "This plugin does not support raise"
    ),
]


def test_skipped_files_are_listed_with_their_reason(
    qtbot, qtmodeltester, station_a, window, share: Path
) -> None:
    station_a.apply(Create(Client, {"name": "Acme Bakery"}))
    station_a.sync()
    folder = next((share / "AgencyDesk" / "changes").iterdir())
    original = next(folder.iterdir())
    (folder / f"{original.stem} (Front desk's conflicted copy).jsonl").write_bytes(b"x")
    click_sync(qtbot, window)
    panel = window.sync.show_panel()
    model = panel.skipped
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert "conflicted copy" in model.index(0, 0).data()
    assert model.index(0, 1).data() == "a cloud client's conflicted copy"
    assert panel.skipped_view.isVisible() and not panel.no_skipped.isVisible()
    assert "1 file skipped" in panel.state.text()


def test_an_edit_against_a_delete_is_listed_and_restore_brings_the_record_back(
    qtbot, qtmodeltester, station_a, window
) -> None:
    acme = Create(Client, {"name": "Acme Bakery"})
    station_a.apply(acme)
    station_a.sync()
    click_sync(qtbot, window)
    station_a.apply(Delete(Client, acme.id))
    station_a.sync()
    window.workspace.run(Update(Client, acme.id, {"website": "acme.example"}))
    click_sync(qtbot, window)

    panel = window.sync.show_panel()
    model = panel.conflicts
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    kind, record, field, kept, lost, stations, _when = row
    assert (kind, record, field, kept) == ("Client", "Acme Bakery", "Whole record", "Deleted")
    assert lost == "The record, with its edits: Acme Bakery"
    assert stations == "A over this station"
    assert window.workspace.store.get(Client, acme.id) is None
    assert window.area("clients").model.row_of(acme.id) < 0

    panel.select_row(0)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert not panel.message.isVisible(), panel.message.text()
    restored = window.workspace.store.get(Client, acme.id)
    assert restored is not None and restored.website == "acme.example"
    assert window.area("clients").model.row_of(acme.id) >= 0  # the open list shows it again


def test_a_restore_that_cannot_be_done_is_said_in_the_panel(
    qtbot, station_a, window, monkeypatch
) -> None:
    from db.sync import RestoreError

    acme = Create(Client, {"name": "Acme Bakery"})
    station_a.apply(acme)
    station_a.sync()
    click_sync(qtbot, window)
    station_a.apply(Update(Client, acme.id, {"name": "From A"}))
    station_a.sync()
    window.workspace.run(Update(Client, acme.id, {"name": "From B"}))
    click_sync(qtbot, window)
    panel = window.sync.show_panel()

    def refuse(store: object, conflict_id: int) -> None:
        raise RestoreError("Client acme was deleted; restore it first")

    monkeypatch.setattr("db.sync.restore_conflict", refuse)
    panel.select_row(0)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert panel.message.isVisible()
    assert panel.message.text() == "Not restored: Client acme was deleted; restore it first"
    assert panel.conflicts.rowCount() == 1


def test_names_and_values_read_as_words(qtmodeltester) -> None:
    assert humanize("ClientNote") == "Client note"
    assert humanize("account_manager_id") == "Account manager"
    assert show_value(None) == "(empty)"
    assert show_value(["vip", "food"]) == "vip, food"
    assert show_value(True) == "Yes"
    model = SkippedModel()
    model.set_skipped([("a/b.tmp", "temporary file"), ("c/d", "not a change file name")])
    qtmodeltester.check(model)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Why it was skipped"


def test_a_clock_far_ahead_is_one_row_with_its_offset(store, qtmodeltester) -> None:
    from db.sync import Conflict
    from desktop.sync.conflicts_model import ConflictsModel

    katja = "a" * 16
    flagged = Conflict(
        1, "future", "Client", "0" * 36, None, "clock about 30 days ahead", None, None,
        katja, None, 1_800_000_000_000 << 16, None, False,
    )  # fmt: skip
    model = ConflictsModel()
    model.set_conflicts(store, [flagged], {katja: "Katja's desk"})
    qtmodeltester.check(model)
    cells = [model.data(model.index(0, col)) for col in range(model.columnCount())]
    assert cells[2:5] == ["Clock", "Flagged", "clock about 30 days ahead"]
    assert cells[5].startswith("Katja's desk")
    assert not model.is_restorable(0)
