"""Importing through the window as a user does: drop a file, read the preview, confirm, land
on the project's Gantt, and take it all back with one Ctrl+Z."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy import select

from db.models import Client, Contact
from desktop.gantt.view import GanttView
from desktop.io.preview_dialog import ImportPreviewDialog
from desktop.main_window import MainWindow
from tests.io.helpers import FILES, row_counts

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def make_window(qtbot, workspace, settings) -> MainWindow:
    window = MainWindow(workspace, settings, auto_sync=False)
    qtbot.addWidget(window)
    window.persist = False
    window.restore_state()
    window.show()
    qtbot.waitExposed(window)
    return window


def drop(window: MainWindow, path: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    at = QPoint(window.width() // 2, window.height() // 2)
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(at, actions, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0))
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    dropped = QDropEvent(
        QPointF(at), actions, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    )
    QApplication.sendEvent(window, dropped)


def press_undo(qtbot, window: MainWindow) -> None:
    """Ctrl+Z as a user presses it: in the window, once the preview has closed and the
    window is active again (a shortcut goes to the active window)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def shown_plan(window: MainWindow) -> GanttView | None:
    if window.current_area_key() != "projects":
        return None
    detail = getattr(getattr(window.current_area(), "host", None), "detail", None)
    return detail if isinstance(detail, GanttView) else None


def test_drop_a_planner_file_preview_import_and_undo(qtbot, workspace, settings) -> None:
    window = make_window(qtbot, workspace, settings)
    before = row_counts(workspace.store)
    with qtbot.waitSignal(window.file_actions.preview_shown, timeout=20000) as shown:
        drop(window, FILES / "website.planner")
    preview = shown.args[0]
    assert isinstance(preview, ImportPreviewDialog)
    lines = [preview.summary.item(n).text() for n in range(preview.summary.count())]
    assert (
        lines[0]
        == "Add: 1 client, 1 project, 1 person, 1 leave period, 6 tasks, 4 links, 1 assignment"
    )
    assert preview.client_edit.text() == "Harbour Dental"
    # The date report is in the preview, reasons included.
    whys = [preview.dates_model.index(r, 3).data() for r in range(preview.dates_model.rowCount())]
    assert any("leave" in why for why in whys)
    assert row_counts(workspace.store) == before  # nothing written before Import

    with qtbot.waitSignal(window.file_actions.imported, timeout=20000) as imported:
        qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)
    project_id = imported.args[0]
    qtbot.waitUntil(lambda: shown_plan(window) is not None, timeout=20000)
    gantt = shown_plan(window)
    assert gantt is not None and gantt.project_id == project_id
    assert workspace.undo_stack.count() == 1
    assert row_counts(workspace.store) != before

    press_undo(qtbot, window)
    assert row_counts(workspace.store) == before
    # The plan it showed is gone: the window is back on the projects list.
    assert shown_plan(window) is None


def test_the_preview_replans_for_another_client_and_kept_dates(qtbot, workspace, settings):
    window = make_window(qtbot, workspace, settings)
    with qtbot.waitSignal(window.file_actions.preview_shown, timeout=20000) as shown:
        window.file_actions.import_path(FILES / "launch.xml")
    preview = shown.args[0]
    moved = preview.dates_model.rowCount()
    assert moved == 6
    preview.keep_dates.setChecked(True)
    assert preview.plan.keep_file_dates
    assert preview.dates_model.rowCount() < moved
    preview.client_edit.setText("Acme Group")
    preview.client_edit.editingFinished.emit()
    assert preview.plan.client_name == "Acme Group"
    with qtbot.waitSignal(window.file_actions.imported, timeout=20000):
        preview.accept()
    assert list(workspace.session.scalars(select(Client.name))) == ["Acme Group"]


def test_a_bad_drop_says_why_and_writes_nothing(qtbot, workspace, settings, tmp_path, monkeypatch):
    window = make_window(qtbot, workspace, settings)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))
    bad = tmp_path / "broken.gan"
    bad.write_bytes((FILES / "rebrand.gan").read_bytes()[:900])
    before = row_counts(workspace.store)
    drop(window, bad)
    assert len(shown) == 1 and shown[0].startswith(str(bad)) and "line" in shown[0]
    assert row_counts(workspace.store) == before
    assert window.file_actions.preview is None


def test_export_writes_the_shown_project(qtbot, workspace, settings, tmp_path, monkeypatch):
    window = make_window(qtbot, workspace, settings)
    with qtbot.waitSignal(window.file_actions.preview_shown, timeout=20000) as shown:
        window.file_actions.import_path(FILES / "rebrand.gan")
    with qtbot.waitSignal(window.file_actions.imported, timeout=20000) as imported:
        shown.args[0].accept()
    target = tmp_path / "out.xml"
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr("desktop.io.file_actions.save_file_name", lambda *a, **k: str(target))
    window.file_actions.export_action.trigger()
    assert target.read_bytes().startswith(b"<?xml")
    assert b"<Title>Rebrand</Title>" in target.read_bytes()
    assert imported.args[0]


def test_drop_a_contacts_csv_map_columns_merge_and_undo(qtbot, workspace, settings):
    from desktop.io.records_dialog import RecordsPreviewDialog

    window = make_window(qtbot, workspace, settings)
    before = row_counts(workspace.store)
    with qtbot.waitSignal(window.file_actions.preview_shown, timeout=20000) as shown:
        drop(window, FILES / "kontakte.csv")
    preview = shown.args[0]
    assert isinstance(preview, RecordsPreviewDialog)
    assert preview.column_boxes["email"].currentText() == "E-Mail"
    assert preview.column_boxes["first_name"].currentText() == "Vorname"
    assert preview.duplicates.count() == 1
    # Leave the phone numbers out: the plan follows the mapping at once.
    box = preview.column_boxes["phone"]
    box.setCurrentIndex(box.findData(-1))
    assert "phone" not in preview.plan.mapping
    preview.merge.setChecked(True)
    assert preview.plan.merge_duplicates and preview.plan.summary.added["Contact"] == 3
    with qtbot.waitSignal(window.file_actions.records_imported, timeout=20000):
        qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)
    names = sorted(workspace.session.scalars(select(Contact.name)))
    assert names == ["Anna Groß", "Jürgen Müller", "Zoë Fèvre"]
    assert all(not phone for phone in workspace.session.scalars(select(Contact.phone)))
    assert workspace.undo_stack.count() == 1
    press_undo(qtbot, window)
    assert row_counts(workspace.store) == before


@pytest.mark.parametrize(
    ("kind", "start"),
    [
        ("csv-contacts", b"\xef\xbb\xbfid,name"),
        ("csv-follow-ups", b"\xef\xbb\xbfid,title"),
        ("vcard", b"BEGIN:VCARD"),
        ("ics", b"BEGIN:VCALENDAR"),
    ],
)
def test_export_of_records_and_dates(qtbot, workspace, settings, tmp_path, kind, start):
    window = make_window(qtbot, workspace, settings)
    with qtbot.waitSignal(window.file_actions.preview_shown, timeout=20000) as shown:
        window.file_actions.import_path(FILES / "people.vcf")
    with qtbot.waitSignal(window.file_actions.records_imported, timeout=20000):
        shown.args[0].accept()
    target = tmp_path / "out"
    assert window.file_actions.export("", kind, target) == target
    assert target.read_bytes().startswith(start)


def test_drop_a_follow_ups_csv_see_a_refusal_in_place_and_undo(qtbot, workspace, settings):
    from db.models import FollowUp

    window = make_window(qtbot, workspace, settings)
    before = row_counts(workspace.store)
    with qtbot.waitSignal(window.file_actions.preview_shown, timeout=20000) as shown:
        drop(window, FILES / "follow-ups.csv")
    preview = shown.args[0]
    assert preview.kind_box.currentText() == "Follow-ups"
    assert preview.column_boxes["due_date"].currentText() == "Due Date"
    # The notes column read as due dates: refused in place, naming file, line and field.
    due = preview.column_boxes["due_date"]
    due.setCurrentIndex(due.findText("Notes"))
    assert not preview.import_button.isEnabled()
    assert "follow-ups.csv: line 2: due date: 'Mention the early-bird price' is not a date" in (
        preview.error_label.text()
    )
    due.setCurrentIndex(due.findText("Due Date"))
    assert preview.import_button.isEnabled() and preview.error_label.isHidden()
    with qtbot.waitSignal(window.file_actions.records_imported, timeout=20000):
        qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)
    titles = sorted(workspace.session.scalars(select(FollowUp.title)))
    assert titles == ["Book the venue", "Call about the invoice", "Send the spring offer"]
    assert workspace.undo_stack.count() == 1
    press_undo(qtbot, window)
    assert row_counts(workspace.store) == before
