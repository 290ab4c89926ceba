"""The window's import and export: File > Import…, File > Export…, and project files dropped
on the window, all through the same preview.

A file is read and parsed on a worker thread (it may be large, and the interface keeps
painting); the plan is made on the UI thread, which owns the session; nothing is written
until the user confirms the preview, and then as one edit on the workspace's undo stack, so
one Undo removes the whole import. The imported project's Gantt opens afterwards.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import AgencyDeskError
from db.models import Client, Project
from desktop.file_dialogs import file_dialog, save_file_name
from desktop.printing.printable import PrintTarget
from desktop.workspace import Workspace

if TYPE_CHECKING:  # the readers, writers and dialogs load when a file is imported or exported
    from db.io import CsvTable, ProjectFile, ProjectImport
    from db.io.records_csv import RecordImport, RecordKind
    from desktop.io.preview_dialog import ImportPreviewDialog
    from desktop.io.records_dialog import RecordsPreviewDialog

IMPORT_FILTERS = (
    "Files Agency Desk reads (*.xml *.gan *.planner *.mrproject *.csv *.txt *.vcf);;"
    "Microsoft Project XML (*.xml);;GanttProject (*.gan);;GNOME Planner (*.planner);;"
    "CSV (*.csv *.txt);;vCard (*.vcf);;"
    "All files (*)"
)
# (key, file filter, suffix, whether it writes one project)
EXPORT_FORMATS = (
    ("mspdi", "Microsoft Project XML (*.xml)", ".xml", True),
    ("gan", "GanttProject (*.gan)", ".gan", True),
    ("csv-tasks", "Task list, CSV (*.csv)", ".csv", True),
    ("ics-project", "Project dates, iCalendar (*.ics)", ".ics", True),
    ("csv-clients", "All clients, CSV (*.csv)", ".csv", False),
    ("csv-contacts", "All contacts, CSV (*.csv)", ".csv", False),
    ("csv-interactions", "All interactions, CSV (*.csv)", ".csv", False),
    ("csv-follow-ups", "All follow-ups, CSV (*.csv)", ".csv", False),
    ("vcard", "All contacts, vCard (*.vcf)", ".vcf", False),
    ("ics", "All dates, iCalendar (*.ics)", ".ics", False),
)
SETTINGS_FOLDER = "import_export/folder"


class ProjectOpener(Protocol):
    def open_project(self, project_id: str) -> None: ...


class FileActions(QObject):
    """Import and Export actions for a window, and the window's file drops.

    Signals:
    imported(str): a project was imported (its id), after its Gantt was asked to open.
    records_imported(str): clients or contacts were imported ("clients" or "contacts").
    preview_shown(QDialog): the preview is up (tests and screenshots find it here).
    """

    imported = Signal(str)
    records_imported = Signal(str)
    preview_shown = Signal(QDialog)

    def __init__(
        self,
        window: QWidget,
        workspace: Workspace,
        settings: QSettings,
        opener: ProjectOpener,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.settings = settings
        self.opener = opener
        self.preview: ImportPreviewDialog | RecordsPreviewDialog | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-reader")
        self.import_action = QAction("&Import…", window)
        self.import_action.setStatusTip(
            "Bring in a project (MS Project XML, GanttProject, Planner, CSV tasks), or clients "
            "and contacts (CSV, vCard)"
        )
        self.import_action.triggered.connect(self.ask_import)
        self.export_action = QAction("E&xport…", window)
        self.export_action.setStatusTip(
            "Write a project (MS Project XML, GanttProject, CSV), clients and contacts (CSV, "
            "vCard) or dates (iCalendar) for other programs"
        )
        self.export_action.triggered.connect(lambda: self.ask_export(self._shown_project()))
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        window.destroyed.connect(lambda: self._pool.shutdown(wait=False))

    # -- drops --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.DragEnter:
            assert isinstance(event, QDragEnterEvent)
            if _local_files(event.mimeData().urls()):
                event.acceptProposedAction()
                return True
        if watched is self.window and event.type() == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            files = _local_files(event.mimeData().urls())
            if files:
                event.acceptProposedAction()
                self.import_path(files[0])
                return True
        return super().eventFilter(watched, event)

    # -- import -------------------------------------------------------------------------------

    def ask_import(self) -> None:
        dialog = file_dialog(
            self.window,
            "Import a Project",
            self._folder(),
            IMPORT_FILTERS,
            mode=QFileDialog.FileMode.ExistingFile,
        )
        try:
            if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
                return
            path = Path(dialog.selectedFiles()[0])
        finally:
            dialog.deleteLater()
        self.import_path(path)

    def import_path(self, path: Path) -> None:
        """Read `path`, show the preview, and import on Import."""
        from db.io import CsvTable, plan_project_import
        from desktop.io.preview_dialog import ImportPreviewDialog

        self.settings.setValue(SETTINGS_FOLDER, str(path.parent))
        try:
            found = self._read(path)
            if isinstance(found, CsvTable):
                self._preview_records(found)
                return
            project = found
            plan = plan_project_import(self.workspace.session, project, str(path))
        except AgencyDeskError as exc:
            self._refuse(str(exc))
            return

        def replan(client: str, keep: bool) -> ProjectImport:
            return plan_project_import(
                self.workspace.session, project, str(path), client=client, keep_file_dates=keep
            )

        dialog = ImportPreviewDialog(plan, replan, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._apply(dialog.plan))
        dialog.finished.connect(self._preview_closed)
        self.preview = dialog
        dialog.open()
        self.preview_shown.emit(dialog)

    def _preview_records(self, table: CsvTable) -> None:
        from db.io.records_csv import guess_kind, plan_csv_import
        from desktop.io.records_dialog import RecordsPreviewDialog

        def replan(
            kind: RecordKind, mapping: dict[str, int], key: str, merge: bool
        ) -> RecordImport:
            return plan_csv_import(
                self.workspace.session,
                table,
                kind,
                mapping=mapping,
                key=key,
                merge_duplicates=merge,
            )

        plan = plan_csv_import(self.workspace.session, table, guess_kind(table.header))
        dialog = RecordsPreviewDialog(plan, replan, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._apply_records(dialog.plan))
        dialog.finished.connect(self._preview_closed)
        self.preview = dialog
        dialog.open()
        self.preview_shown.emit(dialog)

    def _apply_records(self, plan: RecordImport) -> None:
        if self.workspace.run(plan.operation):
            self.records_imported.emit(plan.kind.value)

    def _preview_closed(self) -> None:
        self.preview = None

    def _read(self, path: Path) -> ProjectFile | CsvTable:
        """The file's content, parsed on the worker thread while the interface paints."""
        future: Future[ProjectFile | CsvTable] = self._pool.submit(_read_file, path)
        app = QApplication.instance()
        while not future.done():
            wait([future], timeout=0.03)
            if app is not None:  # paint, but take no clicks or keys meanwhile
                app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        return future.result()

    def _apply(self, plan: ProjectImport) -> None:
        if self.workspace.run(plan.operation):
            self.opener.open_project(plan.project_id)
            self.imported.emit(plan.project_id)

    def _refuse(self, message: str) -> None:
        self.workspace.failed.emit(message)
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Import", message, QMessageBox.StandardButton.Ok, self.window
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _folder(self) -> str:
        return str(self.settings.value(SETTINGS_FOLDER, str(Path.home())))

    # -- export -------------------------------------------------------------------------------

    def ask_export(self, project_id: str | None = None) -> Path | None:
        """Ask for a project, a format and a file, and write it; the path written, or None."""
        session = self.workspace.session
        projects = session.execute(
            select(Project.id, Project.name, Client.name)
            .join(Client, Client.id == Project.client_id)
            .order_by(Client.name, Project.name)
        ).all()
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Export")
        project_box = QComboBox()
        for pid, name, client in projects:
            project_box.addItem(f"{client} — {name}", pid)
        if project_id is not None:
            project_box.setCurrentIndex(max(project_box.findData(project_id), 0))
        format_box = QComboBox()
        for key, label, _suffix, per_project in EXPORT_FORMATS:
            if per_project and not projects:
                continue
            format_box.addItem(label, key)

        def follow_format() -> None:
            chosen = next(f for f in EXPORT_FORMATS if f[0] == format_box.currentData())
            project_box.setEnabled(chosen[3])

        format_box.currentIndexChanged.connect(follow_format)
        follow_format()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow("&Format:", format_box)
        form.addRow("&Project:", project_box)
        form.addRow(buttons)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            kind = str(format_box.currentData())
            _key, label, suffix, per_project = next(f for f in EXPORT_FORMATS if f[0] == kind)
            chosen = str(project_box.currentData()) if per_project else ""
            name = next((n for pid, n, _c in projects if pid == chosen), kind.split("-")[-1])
        finally:
            dialog.deleteLater()
        target = save_file_name(
            self.window, "Export", str(Path(self._folder()) / f"{name}{suffix}"), label
        )
        if not target:
            return None
        return self.export(chosen, kind, Path(target))

    def _shown_project(self) -> str | None:
        """The project whose plan the window shows, if any: the one Export offers first."""
        target = getattr(self.window, "print_target", None)
        if callable(target):
            shown = target()
            if isinstance(shown, PrintTarget) and shown.kind == "project":
                return shown.item_id
        return None

    def export(self, project_id: str, kind: str, path: Path) -> Path | None:
        """Write `kind` (a key of EXPORT_FORMATS; `project_id` for a project's) to `path`."""
        try:
            data = _exported(self.workspace.session, kind, project_id)
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(name, path)
            finally:
                Path(name).unlink(missing_ok=True)
        except (AgencyDeskError, OSError) as exc:
            self._refuse(f"{path}: not exported ({exc})")
            return None
        self.settings.setValue(SETTINGS_FOLDER, str(path.parent))
        self.workspace.done.emit(f"Exported to {path.name}")
        return path


def _exported(session: Session, kind: str, project_id: str) -> bytes:
    from db.io import csv_write
    from db.io.gan_write import write_gan
    from db.io.ics import calendar_ics
    from db.io.mspdi_write import write_mspdi
    from db.io.vcard import contacts_vcard

    if kind == "mspdi":
        return write_mspdi(session, project_id)
    if kind == "gan":
        return write_gan(session, project_id)
    if kind == "csv-tasks":
        return csv_write.tasks_csv(session, project_id)
    if kind == "ics-project":
        return calendar_ics(session, project_id=project_id)
    if kind == "ics":
        return calendar_ics(session)
    if kind == "vcard":
        return contacts_vcard(session)
    writers = {
        "csv-clients": csv_write.clients_csv,
        "csv-contacts": csv_write.contacts_csv,
        "csv-interactions": csv_write.interactions_csv,
        "csv-follow-ups": csv_write.follow_ups_csv,
    }
    return writers[kind](session)


def _read_file(path: Path) -> ProjectFile | CsvTable:
    from db.io import Source, read_import

    return read_import(Source.read(path))


def _local_files(urls: list[QUrl]) -> list[Path]:
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
